package dev.seqwatch.reliability;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.ingest.LabelImporter;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.ModelService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process {@link CrashRecoveryTest} kills with SIGKILL. It opens a workspace, prints
 * {@code READY}, then does one kind of work, printing a line only AFTER each unit of work has been
 * committed; so every line the parent read names something that must survive the kill.
 *
 * <pre>
 * CrashChild import WS FILE          IMPORTED id stored
 * CrashChild labels WS DIR N         LABEL i user | LABELFILE i rows   (every 5th unit a 200-row label file)
 * CrashChild train  WS OUT N         MODEL id
 * CrashChild score  WS N             SCORED id users       (BATCH after each committed batch of score blocks)
 * </pre>
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        try (Workspace ws = Workspace.open(Path.of(args[1]))) {
            say("READY");
            switch (mode) {
                case "import" -> {
                    ImportResult r = new EventImporter(ws).importFile(Path.of(args[2]),
                            ImportOptions.defaults().withForce(true), ProgressListener.NONE);
                    say("IMPORTED " + r.importId() + " " + r.stored());
                }
                case "labels" -> labels(ws, Path.of(args[2]), Integer.parseInt(args[3]));
                case "train" -> {
                    ModelService svc = new ModelService(ws, DetectorRegistry.standard());
                    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                        ModelService.TrainRequest req = new ModelService.TrainRequest("markov", 0, i, false,
                                Map.of("alpha", "0." + (1 + i % 9)), true);
                        say("MODEL " + svc.train(req, Path.of(args[2]), ProgressListener.NONE).modelId());
                    }
                }
                case "score" -> {
                    // small blocks and a commit after each, so that kill points fall between block commits
                    System.setProperty("seqwatch.score.blockUsers", "50");
                    System.setProperty("seqwatch.score.commitBytes", "1");
                    ModelService svc = new ModelService(ws, DetectorRegistry.standard());
                    int id = svc.active().orElseThrow().id();
                    ProgressListener batches = new ProgressListener() {
                        @Override
                        public void progress(double fraction, String message) {
                            if (message.contains("committed")) {
                                say("BATCH");
                            }
                        }

                        @Override
                        public boolean isCancelled() {
                            return false;
                        }
                    };
                    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                        say("SCORED " + id + " " + svc.score(id, batches).scores().users().size());
                    }
                }
                default -> throw new IllegalArgumentException(mode);
            }
            say("DONE");
        }
    }

    private static void labels(Workspace ws, Path dir, int n) throws IOException {
        InvestigationService inv = new InvestigationService(ws, "crash-analyst");
        LabelImporter files = new LabelImporter(ws);
        for (int i = 0; i < n; i++) {
            if (i % 5 == 4) {
                Path f = dir.resolve("labels-" + ProcessHandle.current().pid() + "-" + i + ".csv");
                StringBuilder sb = new StringBuilder("user_id,label,fraud_type,note\n");
                for (int k = 0; k < 200; k++) {
                    sb.append("f").append(k).append(k % 3 == 0 ? ",fraud,scripted_bot," : ",normal,,")
                            .append("file-").append(ProcessHandle.current().pid()).append('-').append(i).append('\n');
                }
                Files.writeString(f, sb);
                LabelImporter.Result r = files.importFile(f, "crash-analyst");
                Files.delete(f);
                say("LABELFILE file-" + ProcessHandle.current().pid() + "-" + i + " " + r.appended());
            } else {
                String user = "u" + (i % 37);
                String note = "single-" + ProcessHandle.current().pid() + "-" + i;
                inv.setLabel(user, i % 2 == 0, i % 2 == 0 ? "click_farming" : null, note);
                say("LABEL " + note + " " + user);
            }
        }
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }
}

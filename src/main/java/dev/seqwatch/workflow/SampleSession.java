package dev.seqwatch.workflow;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.SubProgress;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.LabelImporter;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample session behind {@code seqwatch --sample}: a workspace under {@code ~/.seqwatch/samples/}
 * that is filled on first use from the committed {@code sample-sessions/demo/} (events.csv, and the
 * analyst labels in labels.csv; truth.csv is the answer key and is not imported), trained and scored,
 * so the workbench opens on a scored queue. Later opens only open it.
 */
public final class SampleSession {
    /**
     * First-open detector: the stacked ensemble (Markov, statistical, Isolation Forest, LOF, learning from
     * the sample's labels), with per-step scores from its Markov member for the timeline and heatmap.
     * Measured on the demo against truth.csv: ROC-AUC 0.937 / PR-AUC 0.713 against Markov's 0.72 / 0.34
     * (whose top 24 users tie at one score), for about 30 s more CPU. The LSTM was measured too and is
     * far too slow for a first open on a shared 2-core machine (see the README's workbench section);
     * it is one click away in the Models tab.
     */
    public static final String FIRST_DETECTOR = "ensemble";
    /** Used when the registry has no ensemble. */
    public static final String FALLBACK_DETECTOR = "markov";

    /** Who the sample's labels.csv rows are recorded as in the audit trail. */
    public static final String ANALYST = "sample-session";

    private SampleSession() {
    }

    public static Workspace open(Path samplesDir, DetectorRegistry registry, ProgressListener p) {
        Path source = locate();
        Workspace ws = Workspace.open(samplesDir.resolve("demo"));
        try {
            prepare(ws, source, registry, p);
            return ws;
        } catch (RuntimeException e) {
            ws.close();
            throw e;
        }
    }

    static void prepare(Workspace ws, Path source, DetectorRegistry registry, ProgressListener p) {
        long events = ws.read(c -> new EventDao().countEvents(c));
        if (events == 0) {
            p.progress(0, "importing the sample events");
            // the same path as File > Import events and `seqwatch import`: auto-detected columns, quarantine
            new EventImporter(ws).importFile(source.resolve("events.csv"), ImportOptions.defaults(),
                    new SubProgress(p, 0, 0.3));
        }
        Path labels = source.resolve("labels.csv");
        if (Files.isRegularFile(labels) && ws.read(c -> new LabelDao().current(c)).isEmpty()) {
            p.progress(0.3, "importing the sample labels");
            new LabelImporter(ws).importFile(labels, ANALYST);
        }
        ModelService models = new ModelService(ws, registry);
        if (models.active().isEmpty()) {
            String detector = registry.names().contains(FIRST_DETECTOR) ? FIRST_DETECTOR
                    : registry.names().contains(FALLBACK_DETECTOR) ? FALLBACK_DETECTOR : registry.names().get(0);
            p.progress(0.35, "training the " + detector + " detector on the sample");
            ModelService.TrainResult r = models.train(new ModelService.TrainRequest(detector, 0, 42L, true,
                    java.util.Map.of(), true), null, new SubProgress(p, 0.35, 0.7));
            p.progress(0.7, "scoring the sample users");
            models.score(r.modelId(), new SubProgress(p, 0.7, 1.0));
        }
        p.progress(1, "sample session ready");
    }

    /**
     * Finds {@code sample-sessions/demo}: under the working folder, or next to the jar's folder
     * ({@code target/seqwatch.jar} in a checkout), or set by the {@code seqwatch.samples} property.
     */
    public static Path locate() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("seqwatch.samples");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("sample-sessions", "demo"));
        try {
            Path jar = Path.of(SampleSession.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            for (int i = 0; i < 3 && dir != null; i++, dir = dir.getParent()) {
                candidates.add(dir.resolve("sample-sessions").resolve("demo"));
            }
        } catch (Exception ignored) {
            // no code source: only the working folder is searched
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("events.csv"))) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new UserFacingException("cannot find the sample session (sample-sessions/demo/events.csv); run Seqwatch"
                + " from the project folder or set -Dseqwatch.samples=/path/to/sample-sessions/demo");
    }
}

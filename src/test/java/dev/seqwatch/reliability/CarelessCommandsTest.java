package dev.seqwatch.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.cli.SeqwatchCli;
import dev.seqwatch.common.DiskFull;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.export.ExportService;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.store.WorkspaceBackup;
import dev.seqwatch.testing.TinySessions;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17, items 2, 5, 11 and 13: outputs pointed at the workspace or an input, formula injection in
 * every CSV, writes that fail half-way (a full disk), and a mistyped {@code --db}. Where nothing may
 * change, the whole folder (every file's bytes, links, folders) is compared before and after.
 */
class CarelessCommandsTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;
    private Path db;
    private String w;
    private Path model;
    private Path scores;

    private record Run(int status, String out, String err) {
    }

    private static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), a);
        return new Run(status, out.toString(), err.toString());
    }

    @BeforeEach
    void trainedAndScoredWorkspace() throws IOException {
        db = dir.resolve("ws");
        w = db.toString();
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, TinySessions.generate(20, 4, 9), true);
        }
        model = dir.resolve("m.swm");
        scores = dir.resolve("scores.csv");
        Run train = run("train", "--db", w, "--detector", "markov", "--model-out", model);
        assertThat(train.status()).as(train.err()).isZero();
        Run score = run("score", "--db", w, "--model", model, "--out", scores);
        assertThat(score.status()).as(score.err()).isZero();
    }

    /** Every file and folder under {@code root}: relative name to SHA-256 of its bytes, "dir", or "link -> target". */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(name, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(name, "dir");
                } else {
                    m.put(name, sha256(p));
                }
            }
        }
        return m;
    }

    static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String wsFile() {
        return dir.resolve("ws.mv.db").toString();
    }

    private static String overwrite(String option, Object out, String what) {
        return "seqwatch: " + option + " " + out + " would overwrite " + what + "; give another file name (nothing was written)" + NL;
    }

    /** Runs {@code args}, expects exit 1 with exactly {@code message} on stderr and the folder byte-identical. */
    private void refused(String message, Object... args) throws IOException {
        Map<String, String> before = snapshot(dir);
        Run r = run(args);
        assertThat(r.status()).as(String.join(" ", Stream.of(args).map(String::valueOf).toList())).isEqualTo(1);
        assertThat(r.err()).isEqualTo(message);
        assertThat(snapshot(dir)).as("nothing in the folder changed").isEqualTo(before);
    }

    // ------------------------------------------------------------------ item 2: outputs over the workspace or an input

    @Test
    void trainModelOutOverTheWorkspaceIsRefusedHoweverThePathIsSpelt() throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link.swm"), dir.resolve("ws.mv.db"));
        Files.createLink(dir.resolve("hard.swm"), dir.resolve("ws.mv.db"));
        String ws = "the workspace " + wsFile();
        for (String out : List.of(wsFile(), dir + "/./ws.mv.db", dir + "/sub/../ws.mv.db", dir + "/link.swm", dir + "/hard.swm")) {
            refused(overwrite("--model-out", out, ws), "train", "--db", w, "--detector", "markov", "--model-out", out);
        }
        // the workspace given as NAME.mv.db, relative to a "." folder: the same file
        refused(overwrite("--model-out", wsFile(), "the workspace " + dir + "/./ws.mv.db"), "train", "--db", dir + "/./ws.mv.db",
                "--detector", "markov", "--model-out", wsFile());
        for (String h2 : List.of(".lock.db", ".trace.db")) {
            Path out = dir.resolve("ws" + h2);
            refused(overwrite("--model-out", out, "a file of the workspace " + wsFile() + " (" + dir + "/ws" + h2 + ")"),
                    "train", "--db", w, "--detector", "markov", "--model-out", out);
        }
        assertThat(run("export", "labels", "--db", w, "--out", dir.resolve("after.csv")).status())
                .as("the workspace still opens").isZero();
    }

    @Test
    void scoreExportAndBackupOutputsOverTheWorkspaceOrAnInputAreRefused() throws IOException {
        String ws = "the workspace " + wsFile();
        refused(overwrite("--out", wsFile(), ws), "score", "--db", w, "--model", model, "--out", wsFile());
        refused(overwrite("--out", model, "the --model file " + model), "score", "--db", w, "--model", model, "--out", model);
        refused(overwrite("--out", wsFile(), ws), "export", "flagged", "--db", w, "--out", wsFile());
        refused(overwrite("--out", wsFile(), ws), "export", "labels", "--db", w, "--out", wsFile());
        refused(overwrite("--out", wsFile(), ws), "export", "report", "--db", w, "--out", wsFile());
        refused(overwrite("--out", wsFile(), ws), "backup", "--db", w, "--out", wsFile());
        Path lock = dir.resolve("ws.lock.db");
        refused(overwrite("--out", lock, "a file of the workspace " + wsFile() + " (" + lock + ")"), "backup", "--db", w, "--out", lock);
    }

    @Test
    void anotherWorkspaceAFolderOrADeviceIsNeverAnOutput() throws IOException {
        try (Workspace other = Workspace.open(dir.resolve("other"))) {
            other.file();
        }
        Path other = dir.resolve("other.mv.db");
        refused("seqwatch: --out " + other + " is a Seqwatch workspace file; outputs never replace a workspace, give another "
                + "file name (nothing was written)" + NL, "export", "labels", "--db", w, "--out", other);
        refused("seqwatch: --out " + dir + " is a folder; give a file name (nothing was written)" + NL,
                "score", "--db", w, "--model", model, "--out", dir);
        // a temporary file next to /dev/full moved over it would replace the device node (we run as root in CI)
        refused("seqwatch: --out /dev/full is not a regular file (a device, pipe or socket); give the name of a file to "
                + "write (nothing was written)" + NL, "score", "--db", w, "--model", model, "--out", "/dev/full");
        assertThat(Files.exists(Path.of("/dev/full")) && !Files.isRegularFile(Path.of("/dev/full"))).isTrue();
    }

    @Test
    void restoreNeverReplacesTheBackupItRestoresFrom() throws IOException {
        Path zip = dir.resolve("bk.mv.db"); // a backup someone named like a workspace
        assertThat(run("backup", "--db", w, "--out", dir.resolve("b.zip")).status()).isZero();
        Files.move(dir.resolve("b.zip"), zip);
        refused("seqwatch: the workspace " + zip + " would overwrite the backup file " + zip
                + "; give another file name (nothing was written)" + NL, "restore", "--from", zip, "--db", dir.resolve("bk"), "--force");
    }

    /** What the workbench's File menu calls: the same rule, in the core services. */
    @Test
    void theServicesTheWorkbenchCallsRefuseTheOpenWorkspaceToo() throws IOException {
        // opening and closing a workspace rewrites parts of H2's file, so this in-process check compares
        // what is stored (the CLI refuses before it opens the workspace: byte-identical, tests above)
        State before = state();
        try (Workspace ws = Workspace.open(db)) {
            Path file = ws.file();
            String msg = "the output file " + file + " would overwrite the workspace " + file
                    + "; give another file name (nothing was written)";
            ExportService exports = new ExportService(ws);
            assertThatThrownBy(() -> exports.writeLabelHistoryCsv(file, ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessage(msg);
            assertThatThrownBy(() -> exports.writeQueueReport(file, dev.seqwatch.export.ExportOptions.defaults(), ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessage(msg);
            assertThatThrownBy(() -> WorkspaceBackup.backup(ws, file, ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class)
                    .hasMessage("the backup file " + file + " would overwrite the workspace " + file
                            + "; give another file name (nothing was written)");
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            assertThatThrownBy(() -> svc.train(ModelService.TrainRequest.of("markov"), file, ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class)
                    .hasMessage("the model file " + file + " would overwrite the workspace " + file
                            + "; give another file name (nothing was written)");
            assertThat(svc.versions()).hasSize(1);
        }
        assertThat(state()).isEqualTo(before);
        assertThat(run("export", "labels", "--db", w, "--out", dir.resolve("l.csv")).status()).isZero();
    }

    // ------------------------------------------------------------------ item 5: one CSV writer, formulas neutralised

    @Test
    void everyCsvNeutralisesFormulaLikeIds() throws IOException {
        List<String> evil = List.of("=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3");
        Path base = dir.resolve("evil");
        List<TinySessions.Event> events = new ArrayList<>(TinySessions.generate(10, 0, 3).events());
        List<String[]> labels = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (String id : evil) {
            for (int i = 0; i < 8; i++) {
                events.add(new TinySessions.Event(id, t + i * 1000L, "buy", "i1", "c1", 1.0));
            }
            labels.add(new String[]{id, "fraud", "=HYPERLINK(\"x\")"});
        }
        events.add(new TinySessions.Event("-5", t, "view", "i2", "c1", null)); // a plain number stays a number
        labels.add(new String[]{"n0", "normal", ""});
        try (Workspace ws = Workspace.open(base)) {
            TinySessions.store(ws, new TinySessions.Session(events, labels), true);
        }
        Path m = dir.resolve("evil.swm");
        assertThat(run("train", "--db", base, "--detector", "markov", "--model-out", m).status()).isZero();
        Path scoreCsv = dir.resolve("evil-scores.csv");
        Path flagged = dir.resolve("evil-flagged.csv");
        Path history = dir.resolve("evil-labels.csv");
        assertThat(run("score", "--db", base, "--model", m, "--out", scoreCsv).status()).isZero();
        assertThat(run("export", "flagged", "--db", base, "--out", flagged, "--threshold", "-1e300").status()).isZero();
        assertThat(run("export", "labels", "--db", base, "--out", history).status()).isZero();

        List<String> neutral = evil.stream().map(s -> "'" + s).toList();
        assertThat(column(scoreCsv, 0)).containsAll(neutral).contains("-5").doesNotContainAnyElementsOf(evil);
        assertThat(column(flagged, 0)).containsAll(neutral).contains("-5").doesNotContainAnyElementsOf(evil);
        assertThat(column(history, 1)).containsAll(neutral).doesNotContainAnyElementsOf(evil);
        assertThat(column(history, 3)).contains("'=HYPERLINK(\"x\")");
        assertThat(Files.readString(scoreCsv)).contains("'=cmd|' /C calc'!A0,");
        assertThat(Files.readString(scoreCsv)).doesNotContain("\n=cmd");
    }

    private static List<String> column(Path csv, int i) throws IOException {
        try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(csv)) {
            return r.stream().skip(1).map(rec -> rec.getField(i)).toList();
        }
    }

    // ------------------------------------------------------------------ item 11: a failing command changes nothing

    private record State(List<ModelDao.ModelRecord> versions, List<ScoreDao.UserScoreRow> scores) {
    }

    private State state() {
        try (Workspace ws = Workspace.open(db)) {
            return new State(ws.read(c -> new ModelDao().list(c)), ws.read(c -> new ScoreDao().userScores(c, 1)));
        }
    }

    @Test
    void scoreOutOnAFullDiskStoresNoScoresAndKeepsTheOldCsv() throws IOException {
        State before = state();
        Map<String, String> files = snapshot(dir);
        Run r;
        try (DiskFull full = DiskFull.after(10)) {
            r = run("score", "--db", w, "--model", model, "--out", scores);
        }
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).endsWith("seqwatch: disk full while writing " + scores + ": free some space in " + dir
                + " and run again; nothing was changed" + NL).doesNotContain("internal error");
        assertThat(snapshot(dir).keySet()).as("no temporary file left").isEqualTo(files.keySet());
        assertThat(sha256(scores)).as("the previous CSV is untouched").isEqualTo(files.get("scores.csv"));
        State after = state();
        assertThat(after.versions()).isEqualTo(before.versions());
        assertThat(after.scores()).isEqualTo(before.scores());
    }

    @Test
    void scoreWithANewModelOnAFullDiskAddsNoVersion() throws IOException {
        Path otherDb = dir.resolve("other");
        try (Workspace ws = Workspace.open(otherDb)) {
            TinySessions.store(ws, TinySessions.generate(15, 3, 4), true);
        }
        Path foreign = dir.resolve("foreign.swm");
        assertThat(run("train", "--db", otherDb, "--detector", "markov", "--seed", "3", "--model-out", foreign).status()).isZero();
        State before = state();
        Map<String, String> files = snapshot(dir);
        Path out = dir.resolve("new-folder/foreign-scores.csv");
        Run r;
        try (DiskFull full = DiskFull.after(0)) {
            r = run("score", "--db", w, "--model", foreign, "--out", out);
        }
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).endsWith("seqwatch: disk full while writing " + out + ": free some space in " + dir
                + " and run again; nothing was changed" + NL);
        assertThat(snapshot(dir).keySet()).as("no temporary file, no folder left").isEqualTo(files.keySet());
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void trainModelOutOnAFullDiskStoresNoVersion() throws IOException {
        State before = state();
        Map<String, String> files = snapshot(dir);
        Path out = dir.resolve("m2.swm");
        Run r;
        try (DiskFull full = DiskFull.after(100)) {
            r = run("train", "--db", w, "--detector", "markov", "--seed", "5", "--model-out", out);
        }
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).endsWith("seqwatch: disk full while writing " + out + ": free some space in " + dir
                + " and run again; nothing was changed" + NL);
        assertThat(out).doesNotExist();
        assertThat(snapshot(dir).keySet()).isEqualTo(files.keySet());
        assertThat(state()).isEqualTo(before);
        // and with space the same command works
        assertThat(run("train", "--db", w, "--detector", "markov", "--seed", "5", "--model-out", out).status()).isZero();
        assertThat(state().versions()).hasSize(2);
    }

    @Test
    void evaluateWithAForeignModelWritesNothing() throws IOException {
        Path otherDb = dir.resolve("other");
        try (Workspace ws = Workspace.open(otherDb)) {
            TinySessions.store(ws, TinySessions.generate(15, 3, 4), true);
        }
        Path foreign = dir.resolve("foreign.swm");
        assertThat(run("train", "--db", otherDb, "--detector", "markov", "--seed", "3", "--model-out", foreign).status()).isZero();
        State before = state();
        Run r = run("evaluate", "--db", w, "--model", foreign, "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("model_version").isNull()).as("not a version of this workspace").isTrue();
        assertThat(j.get("detector").asText()).isEqualTo("markov");
        assertThat(state()).as("no version added").isEqualTo(before);
        Run text = run("evaluate", "--db", w, "--model", foreign);
        assertThat(text.out()).startsWith("markov (not a version of this workspace) on ");
        Run own = run("evaluate", "--db", w, "--model", model, "--json");
        assertThat(new ObjectMapper().readTree(own.out()).get("model_version").asInt()).isEqualTo(1);
        assertThat(state()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ item 13: only import creates a workspace

    @Test
    void aMistypedDbCreatesNothing() throws IOException {
        Path typo = dir.resolve("wss");
        Path deep = dir.resolve("no-such-folder/ws");
        String none = "seqwatch: no workspace at " + typo + ".mv.db (create one with seqwatch import)" + NL;
        Path csv = dir.resolve("x.csv");
        refused(none, "export", "labels", "--db", typo, "--out", csv);
        refused(none, "export", "flagged", "--db", typo, "--out", csv);
        refused(none, "export", "report", "--db", typo, "--out", dir.resolve("x.html"));
        refused(none, "score", "--db", typo, "--model", model, "--out", csv);
        refused(none, "train", "--db", typo, "--detector", "markov", "--model-out", dir.resolve("x.swm"));
        refused(none, "evaluate", "--db", typo, "--model", model);
        refused(none, "compare", "--db", typo, "--detectors", "markov");
        refused(none, "backup", "--db", typo, "--out", dir.resolve("x.zip"));
        refused(none, "models", "--db", typo);
        refused(none, "diff", "--db", typo, "--from", "1", "--to", "2");
        Path labels = Files.writeString(dir.resolve("labels.csv"), "user_id,label\nn0,fraud\n");
        refused(none, "labels", "--db", typo, "--input", labels);
        refused("seqwatch: no workspace at " + deep + ".mv.db (create one with seqwatch import)" + NL,
                "export", "labels", "--db", deep, "--out", csv);
        assertThat(dir.resolve("no-such-folder")).doesNotExist();
    }

    @Test
    void importCreatesTheWorkspaceOnlyOnceItsInputWasFound() throws IOException {
        Path missing = dir.resolve("missing.csv");
        Path fresh = dir.resolve("fresh");
        refused("seqwatch: " + missing + ": no such file" + NL, "import", "--db", fresh, "--input", missing, "--quiet");
        refused("seqwatch: " + missing + ": no such file" + NL, "import", "--db", dir.resolve("new-folder/fresh"),
                "--input", missing, "--quiet");
        assertThat(dir.resolve("new-folder")).doesNotExist();
        Path log = Files.writeString(dir.resolve("log.csv"), "user_id,timestamp,action\nu1,1700000000,view\nu1,1700000060,buy\n");
        Run ok = run("import", "--db", fresh, "--input", log, "--quiet");
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(dir.resolve("fresh.mv.db")).isRegularFile();
    }
}

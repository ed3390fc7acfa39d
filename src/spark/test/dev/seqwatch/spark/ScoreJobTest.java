package dev.seqwatch.spark;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.detect.lstm.LstmDetector;
import dev.seqwatch.detect.markov.MarkovDetector;
import dev.seqwatch.generate.GeneratorConfig;
import dev.seqwatch.generate.SessionGenerator;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The job in Spark local mode (local[2]) on a few hundred generated users: the same model on the same
 * events gives the scores that `seqwatch score` gives (events imported into a workspace, scored with
 * ModelService.scoreFile), bad rows are counted as the import counts them, and a missing, tampered or
 * unsupported model is refused before any Spark job runs.
 */
class ScoreJobTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path events;
    static Path workspace;
    static Path markov;
    static Path lstm;
    static ImportResult imported;

    @BeforeAll
    static void setUp() throws Exception {
        new SessionGenerator(new GeneratorConfig(300, 0.05, 11, GeneratorConfig.DEFAULT_START, 7))
                .generate(dir.resolve("gen"), ProgressListener.NONE);
        // the generated log plus rows the import rejects: bad time, missing user, negative amount, no action
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("gen").resolve(SessionGenerator.EVENTS)));
        String header = lines.get(0);
        String sample = lines.get(5);
        lines.add(3, sample.replaceFirst("^([^,]*),([^,]*),", "$1,yesterday-ish,"));
        lines.add(7, sample.replaceFirst("^[^,]*,", ","));
        lines.add(lines.size() - 2, header.replace(",", ",") .isEmpty() ? "" : sample.replaceFirst(",[^,]*$", ",-5"));
        events = dir.resolve("events.csv");
        Files.write(events, lines);
        assertThat(header).startsWith("user_id,timestamp");

        workspace = dir.resolve("ws");
        SequenceSet all;
        try (Workspace ws = Workspace.open(workspace)) {
            imported = new EventImporter(ws).importFile(events, ImportOptions.defaults(), ProgressListener.NONE);
            all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        }
        assertThat(imported.rejected()).isGreaterThanOrEqualTo(2);

        MarkovDetector mk = new MarkovDetector();
        mk.fit(all, new FitOptions(0, 1, false, LabelSet.empty(), Map.of()), ProgressListener.NONE);
        markov = dir.resolve("markov.swm");
        mk.save(markov);

        Map<String, String> p = new HashMap<>(Map.of("hidden", "16", "embed", "8", "layers", "2", "batch", "16",
                "lr", "0.01", "max_len", "12"));
        LstmDetector ls = new LstmDetector();
        ls.fit(all, new FitOptions(1, 3, false, LabelSet.empty(), p), ProgressListener.NONE);
        lstm = dir.resolve("lstm.swm");
        ls.save(lstm);

        spark = SparkSession.builder().master("local[2]").appName("seqwatch-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "3")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    /**
     * What `seqwatch score --db WS --model M` computes and stores, by user: ModelService.scoreFile on the
     * imported workspace. Its registry is the job's (same loaders as DetectorRegistry.standard(), which needs
     * DL4J on the class path for its autoencoder entry; these tests run without DL4J, as a cluster does).
     */
    static Map<String, UserScores> desktopScores(Path model) {
        try (Workspace ws = Workspace.openExisting(workspace)) {
            var r = new ModelService(ws, JobModels.registry())
                    .scoreFile(model, s -> null, ProgressListener.NONE);
            Map<String, UserScores> m = new HashMap<>();
            r.scores().users().forEach(u -> m.put(u.userId(), u));
            return m;
        }
    }

    static JobOptions options(Path model, Path out, String... extra) {
        String[] base = {"--model", model.toString(), "--events", events.toString(), "--out", out.toString(),
                "--batch-users", "40"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return JobOptions.parse(all, 0);
    }

    @Test
    void markovScoresEqualTheDesktopsAndBadRowsAreCounted() {
        checkParity(markov, 1e-9);
    }

    @Test
    void lstmScoresEqualTheDesktopsToFloatPrecision() {
        checkParity(lstm, 1e-4);
    }

    private void checkParity(Path model, double tol) {
        Path out = dir.resolve("out-" + model.getFileName());
        var summary = ScoreJob.run(spark, options(model, out, "--threshold", "1.5"));
        Map<String, UserScores> want = desktopScores(model);

        assertThat(summary.path("rows_rejected").asLong()).isEqualTo(imported.rejected());
        assertThat(summary.path("rows_read").asLong()).isEqualTo(imported.rowsRead());
        assertThat(summary.path("events_scored").asLong()).isEqualTo(imported.stored());
        assertThat(summary.path("duplicates").asLong()).isEqualTo(imported.duplicates());
        assertThat(summary.path("users").asLong()).isEqualTo(want.size());

        List<Row> users = spark.read().parquet(out.resolve("users").toString()).orderBy("rank").collectAsList();
        assertThat(users).hasSize(want.size());
        long rank = 0;
        for (Row r : users) {
            UserScores u = want.get(r.getString(r.fieldIndex("user")));
            assertThat(u).as("user %s", r.getString(0)).isNotNull();
            double s = r.getDouble(r.fieldIndex("score"));
            assertThat(s).as("score of %s", u.userId()).isCloseTo(u.score(), within(tol * Math.max(1, Math.abs(u.score()))));
            assertThat(r.getLong(r.fieldIndex("rank"))).isEqualTo(++rank);
            assertThat(r.getBoolean(r.fieldIndex("flagged"))).isEqualTo(s >= 1.5);
            assertThat(r.getInt(r.fieldIndex("events"))).isEqualTo(u.steps().length);
        }
        // the anomalous steps are the user's highest step scores, at the same positions as in the workbench
        List<Row> steps = spark.read().parquet(out.resolve("steps").toString()).collectAsList();
        assertThat(steps).isNotEmpty();
        for (Row r : steps) {
            UserScores u = want.get(r.getString(r.fieldIndex("user")));
            int step = r.getInt(r.fieldIndex("step"));
            assertThat(r.getDouble(r.fieldIndex("score"))).isCloseTo(u.steps()[step], within(tol * Math.max(1, u.steps()[step])));
        }
        assertThat(summary.path("rows_rejected").asLong()).isEqualTo(
                spark.read().parquet(out.resolve("rejected").toString()).count());
        // what seqwatch import-scores reads: the ranking as text, and the very model file
        List<String> top;
        try {
            top = Files.readAllLines(out.resolve(ScoreJob.TOP_CSV));
            assertThat(Files.readAllBytes(out.resolve(ScoreJob.MODEL))).isEqualTo(Files.readAllBytes(model));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(top.get(0)).isEqualTo("user_id,score,rank,flagged,events");
        assertThat(top).hasSize(users.size() + 1);
        Row first = users.get(0);
        assertThat(top.get(1)).isEqualTo(first.getString(0) + "," + first.getDouble(1) + ",1," + first.getBoolean(3) + ","
                + first.getInt(4));
    }

    @Test
    void missingTamperedAndUnsupportedModelsAreRefusedBeforeAnySparkJob() throws Exception {
        byte[] good = Files.readAllBytes(markov);
        Path tampered = dir.resolve("tampered.swm");
        byte[] bad = good.clone();
        // a byte of the first entry's compressed data (after the local header: 30 bytes, name, extra field);
        // a change in a ZIP header field that nothing reads is caught only by --model-sha256 (tested below)
        int data = 30 + (good[26] & 0xff | (good[27] & 0xff) << 8) + (good[28] & 0xff | (good[29] & 0xff) << 8);
        bad[data + 5] ^= 0x5a;
        Files.write(tampered, bad);
        Path auto = dir.resolve("auto.swm");
        ModelFile.write(auto, ModelFile.newManifest("autoencoder"), Map.of());

        spark.sparkContext().setJobGroup("refusals", "refusals", false);
        assertThatThrownBy(() -> ScoreJob.run(spark, options(dir.resolve("nope.swm"), dir.resolve("o1"))))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("no such model file");
        assertThatThrownBy(() -> ScoreJob.run(spark, options(tampered, dir.resolve("o2"))))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("tampered.swm");
        assertThatThrownBy(() -> ScoreJob.run(spark, options(auto, dir.resolve("o3"))))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("cannot score a 'autoencoder' model");
        assertThatThrownBy(() -> ScoreJob.run(spark, options(markov, dir.resolve("o4"), "--model-sha256", "0".repeat(64))))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("the file was changed");
        assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup("refusals")).isEmpty();
        spark.sparkContext().clearJobGroup();
        assertThat(dir.resolve("o1")).doesNotExist();
        assertThat(dir.resolve("o2")).doesNotExist();
    }
}

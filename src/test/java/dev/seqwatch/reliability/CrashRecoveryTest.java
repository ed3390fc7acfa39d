package dev.seqwatch.reliability;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.generate.GeneratorConfig;
import dev.seqwatch.generate.SessionGenerator;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.seqwatch.reliability.ImportFuzzTest.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 at random points of import, labelling, training and scoring, each in a child JVM
 * ({@link CrashChild}) on a real workspace file; after every kill the workspace is reopened and
 * checked: every label the child reported committed is there (and label files are all or nothing),
 * no trace of an unfinished import (issue 2: events, rejected rows, batch row, the index), the active
 * model is the newest complete version and loads, stored scores are complete or absent.
 *
 * <p>Kill points are chosen at random within the work: after a random number of committed units,
 * a further random delay of up to about one unit's duration (import: up to 1.2x a measured run).
 * Default {@value #DEFAULT_POINTS} kill points in total (a quarter per operation): each costs a child JVM
 * (~10 s of CPU on the shared 2-core machine), so 50+ do not fit the default suite. The long run:
 * {@code mvn -o test -Dtest=CrashRecoveryTest -Dseqwatch.crash.points=60} ({@code -Dseqwatch.crash.seed=N}
 * for other kill points).
 */
class CrashRecoveryTest {
    static final int DEFAULT_POINTS = 12;
    private static final long TIMEOUT = 180_000;

    @TempDir
    static Path dir;
    private static Path baseWs;
    private static Path importA;
    private static Path importB;
    private static long baseEvents;
    private static int baseUsers;

    private final int perOperation = Math.max(1, Integer.getInteger("seqwatch.crash.points", DEFAULT_POINTS) / 4);
    private final SplittableRandom rnd = new SplittableRandom(Long.getLong("seqwatch.crash.seed", 77L));

    @BeforeAll
    static void data() throws Exception {
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        new SessionGenerator(new GeneratorConfig(600, 0.05, 1, start, 30)).generate(dir.resolve("base"), ProgressListener.NONE);
        new SessionGenerator(new GeneratorConfig(1200, 0.05, 2, start, 30)).generate(dir.resolve("a"), ProgressListener.NONE);
        new SessionGenerator(new GeneratorConfig(1200, 0.05, 3, start, 30)).generate(dir.resolve("b"), ProgressListener.NONE);
        importA = dir.resolve("a").resolve(SessionGenerator.EVENTS);
        importB = dir.resolve("b").resolve(SessionGenerator.EVENTS);
        baseWs = dir.resolve("base-ws");
        try (Workspace ws = Workspace.open(baseWs)) {
            ImportResult r = new EventImporter(ws).importFile(dir.resolve("base").resolve(SessionGenerator.EVENTS),
                    ImportOptions.defaults(), ProgressListener.NONE);
            baseEvents = r.stored();
            baseUsers = (int) (long) ws.read(c -> new EventDao().countUsers(c));
        }
    }

    private static Path copyOfBase(String name) throws Exception {
        Path ws = dir.resolve(name);
        Files.copy(Path.of(baseWs + Workspace.SUFFIX), Path.of(ws + Workspace.SUFFIX));
        return ws;
    }

    /**
     * Lets a ready child run to a random kill point: waits for its (1 + k)-th line, k random below
     * {@code lines}, then for a random 2 .. {@code factor} x the mean gap between its lines (measured here
     * when k > 0, else {@code gapEstimate}). Returns the gap estimate to use next time.
     */
    private double runToRandomPoint(ChildJvm c, int lines, double gapEstimate, double factor) throws InterruptedException {
        int k = rnd.nextInt(lines);
        c.awaitLines(1 + k, TIMEOUT);
        double gap = k > 0 ? (c.arrival(k) - c.arrival(0)) / 1e6 / k : gapEstimate;
        c.runFor(rnd.nextLong(2, Math.max(3, (long) (gap * factor))));
        return gap;
    }

    private Path err(String name) {
        return dir.resolve(name + ".err");
    }

    // ------------------------------------------------------------------------------------ import

    @Test
    void importKilledAnywhereLeavesNoTraceAndAFinishedOneIsComplete() throws Exception {
        Path fresh = dir.resolve("imp-fresh");   // stays empty: the bulk path that drops and rebuilds the index
        Path loaded = dir.resolve("imp-loaded"); // has events: the duplicate-checking path
        long calibrated;
        try (ChildJvm c = ChildJvm.start(err("imp-cal"), "import", loaded.toString(), importA.toString())) {
            assertThat(c.awaitLines(1, TIMEOUT)).isTrue();
            c.awaitSuccess(TIMEOUT);
            calibrated = (c.arrival(1) - c.arrival(0)) / 1_000_000;
            assertThat(c.lines().get(1)).startsWith("IMPORTED ");
        }
        int kills = 0;
        int completed = 0;
        for (int i = 0; kills < perOperation && i < perOperation * 3; i++) {
            Path ws = i % 2 == 0 ? fresh : loaded;
            Snapshot before = Snapshot.of(ws);
            long delay = rnd.nextLong(Math.max(2, calibrated * 12 / 10));
            List<String> lines;
            boolean killed;
            try (ChildJvm c = ChildJvm.start(err("imp" + i), "import", ws.toString(), importB.toString())) {
                assertThat(c.awaitLines(1, TIMEOUT)).as("child ready: %s", c.errors()).isTrue();
                c.runFor(delay);
                killed = c.kill();
                c.assertDiedOfTheKill();
                lines = c.lines();
            }
            Snapshot after = Snapshot.of(ws);
            String done = lines.stream().filter(l -> l.startsWith("IMPORTED ")).findFirst().orElse(null);
            if (done == null) {
                assertThat(after).as("cycle %d: a killed import leaves no trace (killed %d ms after READY)", i, delay)
                        .isEqualTo(before);
            } else {
                String[] p = done.split(" ");
                long stored = Long.parseLong(p[2]);
                assertThat(after.doneImports).as("cycle %d", i).hasSize(before.doneImports.size() + 1).contains(Integer.parseInt(p[1]));
                assertThat(after.events).isEqualTo(before.events + stored);
                completed++;
            }
            assertThat(after.running).isZero();
            assertThat(after.blocksWithoutData).as("every event block has its data after recovery").isZero();
            if (killed) {
                kills++;
            }
        }
        System.out.printf("crash/import: %d kill points survived, %d imports finished before the kill (run ~%d ms)%n",
                kills, completed, calibrated);
        assertThat(kills).isEqualTo(perOperation);
        // no trace also means: the same file is not "already imported" in the fresh workspace
        try (Workspace w = Workspace.open(fresh)) {
            if (q(w, "SELECT COUNT(*) FROM import_batch") == 0) {
                ImportResult r = new EventImporter(w).importFile(importB, ImportOptions.defaults(), ProgressListener.NONE);
                assertThat(r.stored()).isPositive();
            }
        }
    }

    /** What a workspace shows after reopening (which is when recovery runs). */
    record Snapshot(List<Integer> doneImports, long events, long rawEvents, long rejected, long running, long blocksWithoutData) {
        static Snapshot of(Path ws) {
            try (Workspace w = Workspace.open(ws)) {
                List<Integer> done = w.read(c -> ints(c, "SELECT id FROM import_batch WHERE status = 'DONE' ORDER BY id"));
                return new Snapshot(done, w.read(c -> new EventDao().countEvents(c)),
                        q(w, "SELECT COALESCE(SUM(n_events), 0) FROM event_block"), q(w, "SELECT COUNT(*) FROM rejected_row"),
                        q(w, "SELECT COUNT(*) FROM import_batch WHERE status <> 'DONE'"),
                        q(w, "SELECT COUNT(*) FROM event_block b LEFT JOIN event_block_data d ON d.import_id = b.import_id "
                                + "AND d.block_no = b.block_no WHERE d.import_id IS NULL"));
            }
        }

        @Override
        public boolean equals(Object o) {
            // raw events must equal too: a half import's rows must be gone, not merely hidden
            return o instanceof Snapshot s && s.doneImports.equals(doneImports) && s.events == events
                    && s.rawEvents == rawEvents && s.rejected == rejected && s.running == running;
        }

        @Override
        public int hashCode() {
            return doneImports.hashCode();
        }
    }

    // ------------------------------------------------------------------------------------ labels

    @Test
    void everyCommittedLabelSurvivesAndLabelFilesAreAllOrNothing() throws Exception {
        Path ws = copyOfBase("labels");
        Map<String, String> committedSingles = new HashMap<>(); // note -> user
        Map<String, Integer> committedFiles = new HashMap<>();
        double gapEstimate = 300;
        int kills = 0;
        int units = 40;
        for (int i = 0; kills < perOperation && i < perOperation * 3; i++) {
            List<Long> idsBefore;
            try (Workspace w = Workspace.open(ws)) {
                idsBefore = w.read(c -> longs(c, "SELECT id FROM label ORDER BY id"));
            }
            List<String> lines;
            boolean killed;
            try (ChildJvm c = ChildJvm.start(err("lab" + i), "labels", ws.toString(), dir.toString(), "" + units)) {
                assertThat(c.awaitLines(1, TIMEOUT)).as("child ready: %s", c.errors()).isTrue();
                gapEstimate = runToRandomPoint(c, units, gapEstimate, 1.5);
                killed = c.kill();
                c.assertDiedOfTheKill();
                lines = c.lines();
            }
            for (String l : lines) {
                String[] p = l.split(" ");
                if (p[0].equals("LABEL")) {
                    committedSingles.put(p[1], p[2]);
                } else if (p[0].equals("LABELFILE")) {
                    committedFiles.put(p[1], Integer.parseInt(p[2]));
                }
            }
            try (Workspace w = Workspace.open(ws)) {
                List<Long> idsAfter = w.read(c -> longs(c, "SELECT id FROM label ORDER BY id"));
                assertThat(idsAfter).as("older label rows are all still there").containsAll(idsBefore);
                for (Map.Entry<String, String> e : committedSingles.entrySet()) {
                    assertThat(q(w, "SELECT COUNT(*) FROM label WHERE note = ? AND user_id = ? AND analyst = 'crash-analyst' "
                            + "AND created_at IS NOT NULL", e.getKey(), e.getValue())).as("committed label %s", e.getKey()).isEqualTo(1);
                }
                for (Map.Entry<String, Integer> e : committedFiles.entrySet()) {
                    assertThat(q(w, "SELECT COUNT(*) FROM label WHERE note = ?", e.getKey())).isEqualTo((long) e.getValue());
                }
                // label files are one transaction: all 200 rows or none
                List<Long> fileCounts = w.read(c -> longs(c, "SELECT COUNT(*) FROM label WHERE note LIKE 'file-%' GROUP BY note"));
                assertThat(fileCounts).allMatch(n -> n == 200);
                assertSupersedesChain(w);
            }
            if (killed) {
                kills++;
            }
        }
        System.out.printf("crash/labels: %d kill points survived, %d single labels and %d label files committed before kills%n",
                kills, committedSingles.size(), committedFiles.size());
        assertThat(kills).isEqualTo(perOperation);
        assertThat(committedSingles).isNotEmpty();
    }

    /** Each user's rows form one chain: every row supersedes the user's previous row. */
    private static void assertSupersedesChain(Workspace w) {
        List<String[]> rows = w.read(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, id, supersedes FROM label ORDER BY user_id, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        });
        for (int i = 0; i < rows.size(); i++) {
            boolean first = i == 0 || !rows.get(i - 1)[0].equals(rows.get(i)[0]);
            String expected = first ? null : rows.get(i - 1)[1];
            assertThat(rows.get(i)[2]).as("supersedes of label %s", rows.get(i)[1]).isEqualTo(expected);
        }
    }

    // ------------------------------------------------------------------------------------ training

    @Test
    void theActiveModelIsAlwaysTheNewestCompleteVersion() throws Exception {
        Path ws = copyOfBase("train");
        Path out = dir.resolve("train-out.swm");
        List<Integer> reported = new ArrayList<>();
        double gapEstimate = 1000;
        int kills = 0;
        int units = 6;
        for (int i = 0; kills < perOperation && i < perOperation * 3; i++) {
            List<Integer> idsBefore;
            try (Workspace w = Workspace.open(ws)) {
                idsBefore = w.read(c -> ints(c, "SELECT id FROM model ORDER BY id"));
            }
            boolean killed;
            try (ChildJvm c = ChildJvm.start(err("train" + i), "train", ws.toString(), out.toString(), "" + units)) {
                assertThat(c.awaitLines(1, TIMEOUT)).as("child ready: %s", c.errors()).isTrue();
                gapEstimate = runToRandomPoint(c, 3, gapEstimate, 1.2);
                killed = c.kill();
                c.assertDiedOfTheKill();
                c.lines().stream().filter(l -> l.startsWith("MODEL ")).forEach(l -> reported.add(Integer.parseInt(l.substring(6))));
            }
            try (Workspace w = Workspace.open(ws)) {
                ModelService svc = new ModelService(w, DetectorRegistry.standard());
                List<ModelDao.ModelRecord> versions = svc.versions();
                List<Integer> ids = versions.stream().map(ModelDao.ModelRecord::id).toList();
                assertThat(ids).containsAll(idsBefore).containsAll(reported);
                if (!versions.isEmpty()) {
                    assertThat(versions.stream().filter(ModelDao.ModelRecord::active).map(ModelDao.ModelRecord::id).toList())
                            .as("exactly one active version, the newest").containsExactly(ids.get(ids.size() - 1));
                    int active = svc.active().orElseThrow().id();
                    assertThat(svc.load(active).name()).isEqualTo("markov"); // complete: its bytes load
                }
                if (Files.exists(out)) {
                    assertThat(ModelFile.read(out).detector()).as("the model file is never half written").isEqualTo("markov");
                }
            }
            if (killed) {
                kills++;
            }
        }
        System.out.printf("crash/train: %d kill points survived, %d versions completed before kills%n", kills, reported.size());
        assertThat(kills).isEqualTo(perOperation);
    }

    // ------------------------------------------------------------------------------------ scoring

    /**
     * Scoring writes user and step scores as blocks in many commits (the child uses 50-user blocks and
     * a commit after each). Every other kill point waits for a random committed batch and kills a few
     * milliseconds later, so it falls between block commits; the rest fall anywhere. After each kill the
     * model's scores are complete (the same ranking as every complete run: Markov is deterministic) or
     * absent, the model is still the active one, and recovery left only the visible generation.
     */
    @Test
    void storedScoresAreCompleteOrAbsent() throws Exception {
        Path ws = copyOfBase("score");
        int modelId;
        try (Workspace w = Workspace.open(ws)) {
            modelId = new ModelService(w, DetectorRegistry.standard())
                    .train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE).modelId();
        }
        long completeSteps = -1;
        List<ScoreDao.UserScoreRow> complete = null;
        double gapEstimate = 1000;
        int batchesPerRun = 0;
        int kills = 0;
        int betweenCommits = 0;
        int units = 6;
        int scoredRuns = 0;
        for (int i = 0; kills < perOperation && i < perOperation * 3; i++) {
            boolean killed;
            List<String> lines;
            try (ChildJvm c = ChildJvm.start(err("score" + i), "score", ws.toString(), "" + units)) {
                assertThat(c.awaitLines(1, TIMEOUT)).as("child ready: %s", c.errors()).isTrue();
                if (i % 2 == 1) {
                    // between block commits: a random committed batch of the first three runs, then 0-3 ms
                    // (600 users: 12 user blocks + 1 step block, until a complete run has been counted)
                    c.awaitCount("BATCH", 1 + rnd.nextInt(3 * (batchesPerRun > 0 ? batchesPerRun : 13)), TIMEOUT);
                    c.runFor(rnd.nextLong(0, 4));
                } else {
                    gapEstimate = runToRandomPoint(c, 3, gapEstimate, 1.2);
                }
                killed = c.kill();
                c.assertDiedOfTheKill();
                lines = c.lines();
            }
            int scoredHere = (int) lines.stream().filter(l -> l.startsWith("SCORED ")).count();
            if (scoredHere > 0 && batchesPerRun == 0) {
                batchesPerRun = lines.subList(0, lines.indexOf(lines.stream().filter(l -> l.startsWith("SCORED ")).findFirst().get()))
                        .stream().mapToInt(l -> l.equals("BATCH") ? 1 : 0).sum();
            }
            scoredRuns += scoredHere;
            boolean midWrite = killed && !lines.isEmpty() && lines.get(lines.size() - 1).equals("BATCH");
            try (Workspace w = Workspace.open(ws)) {
                final int id = modelId;
                List<ScoreDao.UserScoreRow> users = w.read(c -> new ScoreDao().userScores(c, id));
                long steps = w.read(c -> (long) new ScoreDao().sortedStepScores(c, id).length);
                if (scoredRuns > 0) {
                    assertThat(users).as("cycle %d: user scores after %d complete runs", i, scoredRuns).hasSize(baseUsers);
                }
                assertThat(users.size()).isIn(0, baseUsers);
                assertThat(w.read(c -> new ModelDao().active(c)).orElseThrow().id()).as("the active model").isEqualTo(id);
                if (!users.isEmpty()) {
                    assertThat(users).extracting(ScoreDao.UserScoreRow::rank).as("ranks 1..n")
                            .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, baseUsers).boxed().toList());
                    if (complete == null) {
                        complete = users;
                    }
                    assertThat(users).as("cycle %d: the scores of a complete run", i).isEqualTo(complete);
                    if (completeSteps < 0) {
                        completeSteps = steps;
                    }
                    assertThat(steps).as("step scores of a complete scoring").isEqualTo(completeSteps).isPositive();
                    assertThat(q(w, "SELECT COUNT(*) FROM step_score_block s LEFT JOIN event_block b ON b.import_id = s.import_id "
                            + "AND b.block_no = s.block_no WHERE s.model_id = ? AND b.import_id IS NULL", id))
                            .as("step scores of unknown event blocks").isZero();
                } else {
                    assertThat(steps).isZero();
                }
                long gen = q(w, "SELECT COALESCE(scores_gen, 0) FROM model WHERE id = ?", id);
                assertThat(q(w, "SELECT COUNT(*) FROM user_score_block WHERE model_id = ? AND gen <> ?", id, gen)
                        + q(w, "SELECT COUNT(*) FROM step_score_block WHERE model_id = ? AND gen <> ?", id, gen)
                        + q(w, "SELECT COUNT(*) FROM score_run"))
                        .as("cycle %d: recovery left only the visible generation (killed mid-write: %s)", i, midWrite).isZero();
            }
            if (killed) {
                kills++;
                betweenCommits += midWrite ? 1 : 0;
            }
        }
        System.out.printf("crash/score: %d kill points survived (%d right after a committed batch of score blocks, %d batches "
                        + "per run), %d scorings completed before kills (%d users, %d events)%n",
                kills, betweenCommits, batchesPerRun, scoredRuns, baseUsers, baseEvents);
        assertThat(kills).isEqualTo(perOperation);
        if (perOperation >= 2) {
            assertThat(betweenCommits).as("kill points between block commits").isPositive();
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    static List<Integer> ints(Connection c, String sql) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}

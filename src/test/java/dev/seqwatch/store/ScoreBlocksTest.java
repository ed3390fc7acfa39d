package dev.seqwatch.store;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;
import dev.seqwatch.testing.TinySessions;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * User scores as rank-ordered blocks under a generation (schema version 3): a scoring commits in
 * batches, the previous scores stay the visible ones until the new generation is complete, and what a
 * killed scoring left behind is removed when the workspace opens.
 */
class ScoreBlocksTest {
    /** 5 users per block, a commit after every block: 46 users make 10 user blocks and 11+ commits. */
    private final ScoreDao small = new ScoreDao(5, 1);

    @TempDir
    Path dir;

    private record Fixture(int modelId, SequenceSet seqs) {
    }

    private Fixture scoredWorkspace(Workspace ws) {
        TinySessions.store(ws, TinySessions.generate(40, 6, 11), false);
        SequenceSet seqs = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        int id = ws.write(c -> {
            ModelDao m = new ModelDao();
            int v = m.add(c, "markov", "{}", "{}", "{}", new byte[]{1});
            m.activate(c, v);
            return v;
        });
        small.replace(ws, id, scores(seqs, 1), seqs, ProgressListener.NONE);
        return new Fixture(id, seqs);
    }

    /** Distinct random user and step scores (a different seed gives a different ranking). */
    private static Scores scores(SequenceSet seqs, long seed) {
        Random r = new Random(seed);
        List<UserScores> out = new ArrayList<>();
        for (UserSequence u : seqs.users()) {
            double[] steps = new double[u.length()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = r.nextDouble() * 10;
            }
            out.add(new UserScores(u.userId(), r.nextDouble(), steps, null));
        }
        return new Scores("test", List.of(), 0, out);
    }

    private static List<ScoreDao.UserScoreRow> users(Workspace ws, int id) {
        return ws.read(c -> new ScoreDao().userScores(c, id));
    }

    private static List<String> top(Workspace ws, int id, int n) {
        return ws.read(c -> new ScoreDao().topUsers(c, id, n));
    }

    private static List<ScoreDao.StepScoreRow> steps(Workspace ws, int id, String user) {
        return ws.read(c -> new ScoreDao().stepScores(c, id, user));
    }

    private static long count(Workspace ws, String sql, Object... args) {
        return ws.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Rows of the model's blocks that are not its visible generation, plus run markers. */
    private static long leftovers(Workspace ws, int id) {
        long gen = count(ws, "SELECT COALESCE(scores_gen, 0) FROM model WHERE id = ?", id);
        return count(ws, "SELECT COUNT(*) FROM user_score_block WHERE model_id = ? AND gen <> ?", id, gen)
                + count(ws, "SELECT COUNT(*) FROM step_score_block WHERE model_id = ? AND gen <> ?", id, gen)
                + count(ws, "SELECT COUNT(*) FROM score_run");
    }

    /** Stops the writing at the {@code n}-th committed batch, as a kill between commits would. */
    private static ProgressListener dieAtBatch(int n) {
        AtomicInteger batches = new AtomicInteger();
        return new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                if (message.contains("committed") && batches.incrementAndGet() == n) {
                    throw new IllegalStateException("simulated kill after batch " + n);
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }

    @Test
    void aScoringKilledBetweenBlockCommitsLeavesThePreviousScoresAndIsRemovedOnOpen() throws Exception {
        Path base = dir.resolve("ws");
        List<ScoreDao.UserScoreRow> before;
        List<ScoreDao.StepScoreRow> stepsBefore;
        Fixture f;
        int partialGen;
        try (Workspace ws = Workspace.open(base)) {
            f = scoredWorkspace(ws);
            before = users(ws, f.modelId());
            assertThat(before).hasSize(46);
            assertThat(before).extracting(ScoreDao.UserScoreRow::rank).containsExactlyElementsOf(range(1, 46));
            stepsBefore = steps(ws, f.modelId(), "n3");
            assertThat(count(ws, "SELECT COUNT(*) FROM user_score_block WHERE model_id = ?", f.modelId())).isEqualTo(10);
            // a second scoring dies after its 4th committed batch, without any cleanup (the connection just goes)
            try (Connection c = ws.connection()) {
                c.setAutoCommit(false);
                ScoreDao.Run run = small.begin(c, f.modelId());
                partialGen = run.gen();
                assertThatThrownBy(() -> small.writeBlocks(c, run, scores(f.seqs(), 2), f.seqs(), dieAtBatch(4)))
                        .hasMessageContaining("simulated kill");
            }
            assertThat(count(ws, "SELECT COUNT(*) FROM user_score_block WHERE model_id = ? AND gen = ?", f.modelId(), partialGen))
                    .as("the dead scoring committed user blocks before it died").isPositive();
            assertThat(users(ws, f.modelId())).as("readers still see the previous scores").isEqualTo(before);
            assertThat(top(ws, f.modelId(), 7))
                    .containsExactlyElementsOf(before.subList(0, 7).stream().map(ScoreDao.UserScoreRow::userId).toList());
        }
        try (Workspace ws = Workspace.open(base)) {
            assertThat(ws.read(c -> new ModelDao().active(c)).orElseThrow().id()).isEqualTo(f.modelId());
            assertThat(users(ws, f.modelId())).isEqualTo(before);
            assertThat(steps(ws, f.modelId(), "n3")).isEqualTo(stepsBefore);
            assertThat(leftovers(ws, f.modelId())).as("recovery removed the dead scoring's blocks and marker").isZero();
            assertThat(count(ws, "SELECT COUNT(*) FROM user_score_block WHERE model_id = ?", f.modelId())).isEqualTo(10);
        }
    }

    @Test
    void aScoringKilledAfterItsSwitchShowsTheNewScoresAndTheOldOnesAreRemovedOnOpen() {
        Path base = dir.resolve("ws");
        Fixture f;
        Scores next;
        try (Workspace ws = Workspace.open(base)) {
            f = scoredWorkspace(ws);
            next = scores(f.seqs(), 3);
            try (Connection c = ws.connection()) {
                c.setAutoCommit(false);
                ScoreDao.Run run = small.begin(c, f.modelId());
                small.writeBlocks(c, run, next, f.seqs(), ProgressListener.NONE);
                small.publish(c, run);
                // dies here: the previous generation's blocks are not deleted yet
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            assertThat(leftovers(ws, f.modelId())).isPositive();
        }
        try (Workspace ws = Workspace.open(base)) {
            List<ScoreDao.UserScoreRow> rows = users(ws, f.modelId());
            List<UserScores> ranked = next.ranked();
            assertThat(rows).extracting(ScoreDao.UserScoreRow::userId)
                    .containsExactlyElementsOf(ranked.stream().map(UserScores::userId).toList());
            assertThat(rows.get(0).score()).isEqualTo(ranked.get(0).score());
            assertThat(leftovers(ws, f.modelId())).isZero();
            assertThat(count(ws, "SELECT COUNT(*) FROM user_score_block WHERE model_id = ?", f.modelId())).isEqualTo(10);
        }
    }

    @Test
    void aFailedOrCancelledScoringKeepsThePreviousScoresAndLeavesNothingBehind() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            Fixture f = scoredWorkspace(ws);
            List<ScoreDao.UserScoreRow> before = users(ws, f.modelId());
            AtomicInteger batches = new AtomicInteger();
            ProgressListener cancelAfterTwo = new ProgressListener() {
                @Override
                public void progress(double fraction, String message) {
                    if (message.contains("committed")) {
                        batches.incrementAndGet();
                    }
                }

                @Override
                public boolean isCancelled() {
                    return batches.get() >= 2;
                }
            };
            assertThatThrownBy(() -> small.replace(ws, f.modelId(), scores(f.seqs(), 4), f.seqs(), cancelAfterTwo))
                    .isInstanceOf(CancelledException.class);
            assertThat(users(ws, f.modelId())).isEqualTo(before);
            assertThat(leftovers(ws, f.modelId())).isZero();
            assertThatThrownBy(() -> small.replace(ws, f.modelId(), scores(f.seqs(), 5), f.seqs(), dieAtBatch(3)))
                    .hasMessageContaining("simulated kill");
            assertThat(users(ws, f.modelId())).isEqualTo(before);
            assertThat(leftovers(ws, f.modelId())).isZero();
            // and a complete re-scoring replaces them, leaving one generation
            Scores next = scores(f.seqs(), 6);
            small.replace(ws, f.modelId(), next, f.seqs(), ProgressListener.NONE);
            assertThat(users(ws, f.modelId()).get(0).userId()).isEqualTo(next.ranked().get(0).userId());
            assertThat(leftovers(ws, f.modelId())).isZero();
        }
    }

    /** A queue read while the model is re-scored is one whole ranking, never a cut-off or mixed one. */
    @Test
    void readersDuringReScoringSeeOneCompleteRanking() throws Exception {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            Fixture f = scoredWorkspace(ws);
            List<List<String>> rankings = new ArrayList<>();
            rankings.add(users(ws, f.modelId()).stream().map(ScoreDao.UserScoreRow::userId).toList());
            for (int seed = 20; seed < 26; seed++) {
                rankings.add(scores(f.seqs(), seed).ranked().stream().map(UserScores::userId).toList());
            }
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> bad = new java.util.concurrent.atomic.AtomicReference<>();
            AtomicInteger reads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        List<String> got = users(ws, f.modelId()).stream().map(ScoreDao.UserScoreRow::userId).toList();
                        if (!rankings.contains(got)) {
                            throw new AssertionError("read " + got.size() + " users that are no complete ranking: " + got);
                        }
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    bad.set(t);
                }
            });
            reader.start();
            try {
                for (int seed = 20; seed < 26; seed++) {
                    small.replace(ws, f.modelId(), scores(f.seqs(), seed), f.seqs(), ProgressListener.NONE);
                }
            } finally {
                done.set(true);
                reader.join();
            }
            if (bad.get() != null) {
                throw new AssertionError(bad.get());
            }
            assertThat(reads.get()).isPositive();
            assertThat(users(ws, f.modelId()).stream().map(ScoreDao.UserScoreRow::userId).toList()).isEqualTo(rankings.get(6));
        }
    }

    @Test
    void theTopRanksAreReadFromTheFirstBlocksOnly() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            Fixture f = scoredWorkspace(ws);
            List<ScoreDao.UserScoreRow> all = users(ws, f.modelId());
            // damage block 3 (ranks 16..20): the top 15 never touch it, the full list reports it
            ws.write(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE user_score_block SET data = X'0102' WHERE block_no = 3");
                }
            });
            assertThat(top(ws, f.modelId(), 15))
                    .containsExactlyElementsOf(all.subList(0, 15).stream().map(ScoreDao.UserScoreRow::userId).toList());
            assertThat(top(ws, f.modelId(), 0)).isEmpty();
            assertThatThrownBy(() -> users(ws, f.modelId())).isInstanceOf(StoreException.class)
                    .hasMessageContaining("user scores of model " + f.modelId() + " (block 3)");
            assertThat(top(ws, 999, 5)).as("a model without scores").isEmpty();
        }
    }

    @Test
    void userScoreBlocksRoundTripAndDamageIsReported() {
        String[] ids = {"a", "b\u00e9", "\u4e2d'; DROP TABLE model; --"};
        double[] s = {Double.MAX_VALUE, -0.0, Double.NaN};
        byte[] data = new UserScoreBlock(7, ids, s).encode();
        UserScoreBlock b = UserScoreBlock.decode(data, 7, "t");
        assertThat(b.userIds).containsExactly(ids);
        assertThat(Double.doubleToRawLongBits(b.scores[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(b.scores[0]).isEqualTo(Double.MAX_VALUE);
        assertThat(Double.isNaN(b.scores[2])).isTrue();
        assertThat(b.rank(2)).isEqualTo(9);
        assertThatThrownBy(() -> UserScoreBlock.decode(data, 8, "t")).isInstanceOf(StoreException.class)
                .hasMessageContaining("starts at rank 7");
        for (int cut = 0; cut < data.length; cut++) {
            byte[] truncated = Arrays.copyOf(data, cut);
            assertThatThrownBy(() -> UserScoreBlock.decode(truncated, 7, "blk")).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("blk: ");
        }
    }

    /**
     * A workspace of schema version 2 (user_score rows, step_score_block without generations) opens
     * with the same user scores, ranks and step scores, and can be scored again.
     */
    @Test
    void versionTwoWorkspacesKeepTheirScores() throws Exception {
        Path base = dir.resolve("v2");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath());
        ds.setUser("seqwatch");
        ds.setPassword("");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("2").load().migrate();
        TinySessions.Session session = TinySessions.generate(30, 4, 5);
        List<String> order = new ArrayList<>();
        List<String> stepsOfN2 = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            ImportDao dao = new ImportDao();
            dao.start(c, 1, "tiny.csv", "0".repeat(64), "csv", "{}", 1, false);
            EventBlockWriter w = new EventBlockWriter(c, 1, 1);
            for (TinySessions.Event e : session.events()) {
                w.add(e.user(), e.ts(), e.action(), e.item(), e.category(), e.amount() == null ? Double.NaN : e.amount());
            }
            long next = w.finish();
            dao.finish(c, 1, next - 1, session.events().size(), session.events().size(), 0, 0);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO model (detector, created_at, file, active) VALUES ('markov', CURRENT_TIMESTAMP, X'00', TRUE)");
                s.execute("INSERT INTO model (detector, created_at, file, active) VALUES ('markov', CURRENT_TIMESTAMP, X'00', FALSE)");
            }
            // user scores of model 1, inserted in shuffled order; step scores: position k of a block scores k / 2
            List<String> ids = new ArrayList<>(new java.util.TreeSet<>(session.events().stream().map(TinySessions.Event::user).toList()));
            Collections.shuffle(ids, new Random(9));
            order.addAll(ids);
            List<Integer> insertOrder = range(0, ids.size() - 1);
            Collections.shuffle(insertOrder, new Random(10));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_score VALUES (1, ?, ?, ?)")) {
                for (int i : insertOrder) {
                    ps.setString(1, ids.get(i));
                    ps.setDouble(2, 100.0 - i * 0.25);
                    ps.setInt(3, i + 1);
                    ps.executeUpdate();
                }
            }
            EventDao events = new EventDao();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_score_block VALUES (1, ?, ?, ?)")) {
                for (EventDao.BlockRef r : events.blocks(c)) {
                    EventBlock blk = events.block(c, r);
                    StepScoreBlock.Builder b = new StepScoreBlock.Builder(r.events());
                    for (int k = 0; k < r.events(); k++) {
                        b.set(k, k / 2.0, k % 3 == 0 ? "view, cart" : null);
                    }
                    int u = blk.indexOf("n2");
                    if (u >= 0) {
                        for (int k = blk.userStart[u]; k < blk.userStart[u + 1]; k++) {
                            stepsOfN2.add(Float.toString((float) (k / 2.0)));
                        }
                    }
                    ps.setInt(1, r.importId());
                    ps.setInt(2, r.blockNo());
                    ps.setBytes(3, b.encode());
                    ps.executeUpdate();
                }
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
        assertThat(stepsOfN2).isNotEmpty();
        try (Workspace ws = Workspace.open(base)) {
            List<ScoreDao.UserScoreRow> rows = users(ws, 1);
            assertThat(rows).extracting(ScoreDao.UserScoreRow::userId).containsExactlyElementsOf(order);
            assertThat(rows).extracting(ScoreDao.UserScoreRow::rank).containsExactlyElementsOf(range(1, order.size()));
            assertThat(rows.get(3).score()).isEqualTo(100.0 - 3 * 0.25);
            assertThat(top(ws, 1, 2)).containsExactlyElementsOf(order.subList(0, 2));
            assertThat(users(ws, 2)).as("model 2 had no scores").isEmpty();
            List<ScoreDao.StepScoreRow> steps = steps(ws, 1, "n2");
            List<String> got = steps.stream().map(r -> Float.toString((float) r.score())).toList();
            assertThat(got).as("n2's step scores (distinct per position)").containsExactlyInAnyOrderElementsOf(stepsOfN2);
            SequenceSet seqs = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            assertThat(count(ws, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'USER_SCORE'")).isZero();
            assertThat(count(ws, "SELECT scores_gen FROM model WHERE id = 1")).isEqualTo(1);
            // scoring it again makes generation 2 and removes generation 1
            small.replace(ws, 1, scores(seqs, 7), seqs, ProgressListener.NONE);
            assertThat(count(ws, "SELECT scores_gen FROM model WHERE id = 1")).isEqualTo(2);
            assertThat(count(ws, "SELECT COUNT(*) FROM step_score_block WHERE gen = 1")
                    + count(ws, "SELECT COUNT(*) FROM user_score_block WHERE gen = 1")).isZero();
            assertThat(users(ws, 1)).hasSize(order.size());
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }
}

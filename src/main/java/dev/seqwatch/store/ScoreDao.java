package dev.seqwatch.store;

import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.List;

/**
 * The scores of a model version: user scores as {@link UserScoreBlock}s in rank order
 * ({@code user_score_block}) and step scores as one {@link StepScoreBlock} per event block
 * ({@code step_score_block}), both under a generation number.
 *
 * <p>A scoring writes a new generation in many small transactions, then makes it the model's
 * current one ({@code model.scores_gen}) in one short transaction, then deletes the previous
 * generation in batches. Readers only see the current generation, so until the switch the previous
 * scores stay complete and readable. A {@code score_run} row marks the scoring while it runs; if the
 * process dies, {@link #removeUnfinished} (run when the workspace opens) deletes the blocks of the
 * generation that lost: the new one if the switch had not committed, else the previous one. The
 * former one row per user, written in one transaction, grew a 1M-user workspace file from 273 MB to
 * 1.41 GB of mostly dead pages (random key order: ~1.15 GB even with batched commits; the single
 * transaction ~0.5 GB more); 31 user blocks in batched commits leave it at 273 MB.
 */
public final class ScoreDao {
    /** Bytes of blocks written between two commits. */
    static final long COMMIT_BYTES = 2L << 20;
    /** Rows deleted per transaction when a generation is removed. */
    private static final int DELETE_BATCH = 16;

    private final EventDao events = new EventDao();
    private final int usersPerBlock;
    private final long commitBytes;

    /** Block size from {@code -Dseqwatch.score.blockUsers} (default {@value UserScoreBlock#DEFAULT_USERS} users). */
    public ScoreDao() {
        this(Integer.getInteger("seqwatch.score.blockUsers", UserScoreBlock.DEFAULT_USERS),
                Long.getLong("seqwatch.score.commitBytes", COMMIT_BYTES));
    }

    ScoreDao(int usersPerBlock, long commitBytes) {
        if (usersPerBlock < 1 || commitBytes < 1) {
            throw new IllegalArgumentException("users per block and commit bytes must be positive");
        }
        this.usersPerBlock = usersPerBlock;
        this.commitBytes = commitBytes;
    }

    /** One row of the queue. */
    public record UserScoreRow(String userId, double score, int rank) {
    }

    /** One scored step. */
    public record StepScoreRow(long eventId, double score, String expected) {
    }

    /**
     * Replaces the scores of {@code modelId} with {@code scores}; step scores are stored for users in
     * {@code sequences} whose detector produced them (the event ids come from the sequences), one
     * {@link StepScoreBlock} per event block. Runs on the workspace's writer thread and commits in
     * batches; the previous scores stay the visible ones until all new blocks are written. On failure
     * or cancellation the new blocks are removed and the previous scores kept.
     */
    public void replace(Workspace ws, int modelId, Scores scores, SequenceSet sequences, ProgressListener p) {
        replace(ws, modelId, scores, sequences, 0, p);
    }

    /**
     * As {@link #replace(Workspace, int, Scores, SequenceSet, ProgressListener)}, recording that the
     * scores cover every import up to {@code throughImport} (the {@link #newestImport} read before the
     * events were loaded; 0: unknown, the scores are never taken as current).
     */
    public void replace(Workspace ws, int modelId, Scores scores, SequenceSet sequences, int throughImport,
                        ProgressListener p) {
        ws.writeBulk(c -> {
            removeUnfinished(c, modelId);
            Run run = begin(c, modelId);
            writeBlocks(c, run, scores, sequences, p);
            publish(c, run, throughImport);
            finish(c, run);
            return null;
        }, c -> {
            removeUnfinished(c, modelId);
            return null;
        });
    }

    /** A scoring in progress: the generation it writes and the one it replaces (0: none). */
    record Run(int modelId, int gen, int previousGen) {
    }

    /** Marks a scoring of {@code modelId} as running and commits: a new generation number. */
    Run begin(Connection c, int modelId) throws SQLException {
        int previous = currentGeneration(c, modelId);
        int gen = previous;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(gen), 0) FROM score_run WHERE model_id = ?")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                gen = Math.max(gen, rs.getInt(1));
            }
        }
        gen++;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO score_run (model_id, gen, previous_gen, started_at) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, modelId);
            ps.setInt(2, gen);
            ps.setInt(3, previous);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        c.commit();
        return new Run(modelId, gen, previous);
    }

    /** Writes the step-score and user-score blocks of {@code run}, committing every ~{@link #COMMIT_BYTES}. */
    void writeBlocks(Connection c, Run run, Scores scores, SequenceSet sequences, ProgressListener p) throws SQLException {
        List<EventDao.BlockRef> blocks = events.blocks(c);
        long[] firstIds = new long[blocks.size()];
        for (int b = 0; b < firstIds.length; b++) {
            firstIds[b] = blocks.get(b).firstEventId();
        }
        StepScoreBlock.Builder[] built = new StepScoreBlock.Builder[blocks.size()];
        List<UserScores> ranked = scores.ranked();
        int rank = 0;
        for (UserScores u : ranked) {
            UserSequence seq = sequences.user(u.userId());
            if (u.steps() != null && seq != null) {
                for (int i = 0; i < seq.length() && i < u.steps().length; i++) {
                    long id = seq.eventId(i);
                    int b = blockOf(firstIds, blocks, id);
                    if (b < 0) {
                        continue;
                    }
                    if (built[b] == null) {
                        built[b] = new StepScoreBlock.Builder(blocks.get(b).events());
                    }
                    built[b].set((int) (id - firstIds[b]), u.steps()[i], scores.expectedText(u, i));
                }
            }
            if (++rank % 10_000 == 0) {
                p.checkCancelled();
                p.progress(0.4 * rank / ranked.size(), "collecting step scores " + rank + " / " + ranked.size());
            }
        }
        Batch batch = new Batch(c, ranked.size(), built.length, p);
        try (PreparedStatement ss = c.prepareStatement(
                "INSERT INTO step_score_block (model_id, gen, import_id, block_no, data) VALUES (?, ?, ?, ?, ?)")) {
            for (int b = 0; b < built.length; b++) {
                if (built[b] == null) {
                    continue;
                }
                byte[] data = built[b].encode();
                built[b] = null;
                ss.setInt(1, run.modelId());
                ss.setInt(2, run.gen());
                ss.setInt(3, blocks.get(b).importId());
                ss.setInt(4, blocks.get(b).blockNo());
                ss.setBytes(5, data);
                ss.executeUpdate();
                batch.wrote(data.length, 0, b + 1);
            }
        }
        try (PreparedStatement us = c.prepareStatement(
                "INSERT INTO user_score_block (model_id, gen, block_no, data) VALUES (?, ?, ?, ?)")) {
            int blockNo = 0;
            for (int from = 0; from < ranked.size(); from += usersPerBlock) {
                int n = Math.min(usersPerBlock, ranked.size() - from);
                String[] ids = new String[n];
                double[] s = new double[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = ranked.get(from + i).userId();
                    s[i] = ranked.get(from + i).score();
                }
                byte[] data = new UserScoreBlock(from + 1, ids, s).encode();
                us.setInt(1, run.modelId());
                us.setInt(2, run.gen());
                us.setInt(3, blockNo++);
                us.setBytes(4, data);
                us.executeUpdate();
                batch.wrote(data.length, n, built.length);
            }
        }
        c.commit();
    }

    /** Commits after every ~{@code commitBytes} written; reports progress and checks for cancellation there. */
    private final class Batch {
        private final Connection c;
        private final int users;
        private final int stepBlocks;
        private final ProgressListener p;
        private long pending;
        private int usersDone;
        private int commits;

        Batch(Connection c, int users, int stepBlocks, ProgressListener p) {
            this.c = c;
            this.users = users;
            this.stepBlocks = stepBlocks;
            this.p = p;
        }

        void wrote(long bytes, int newUsers, int stepBlocksDone) throws SQLException {
            pending += bytes;
            usersDone += newUsers;
            if (pending >= commitBytes) {
                c.commit();
                pending = 0;
                commits++;
                p.checkCancelled();
                double f = 0.4 + 0.3 * stepBlocksDone / Math.max(1, stepBlocks) + 0.3 * usersDone / Math.max(1, users);
                p.progress(Math.min(1, f), "storing scores: batch " + commits + " committed");
            }
        }
    }

    /** Makes {@code run}'s generation the model's visible scores (one short transaction). */
    void publish(Connection c, Run run) throws SQLException {
        publish(c, run, 0);
    }

    private void publish(Connection c, Run run, int throughImport) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE model SET scores_gen = ?, scores_through_import = ? WHERE id = ?")) {
            ps.setInt(1, run.gen());
            if (throughImport > 0) {
                ps.setInt(2, throughImport);
            } else {
                ps.setNull(2, java.sql.Types.INTEGER);
            }
            ps.setInt(3, run.modelId());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("no model with id " + run.modelId());
            }
        }
        c.commit();
    }

    /** Deletes the replaced generation in batches and ends the run. */
    void finish(Connection c, Run run) throws SQLException {
        if (run.previousGen() > 0) {
            deleteGeneration(c, run.modelId(), run.previousGen());
        }
        endRun(c, run.modelId(), run.gen());
    }

    /**
     * Recovery, when the workspace opens: for every scoring that did not end, deletes the blocks of
     * the generation that is not the model's current one (its own if it never became visible, else the
     * one it replaced) and its run marker. Commits per batch. Returns the number of runs cleaned up.
     */
    public int removeUnfinished(Connection c) throws SQLException {
        return removeUnfinished(c, null);
    }

    private int removeUnfinished(Connection c, Integer onlyModel) throws SQLException {
        List<int[]> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.model_id, r.gen, r.previous_gen, m.scores_gen FROM score_run r "
                + "LEFT JOIN model m ON m.id = r.model_id" + (onlyModel == null ? "" : " WHERE r.model_id = ?") + " ORDER BY r.gen")) {
            if (onlyModel != null) {
                ps.setInt(1, onlyModel);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new int[]{rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)});
                }
            }
        }
        for (int[] r : runs) {
            int model = r[0];
            int gen = r[1];
            int current = r[3];
            if (current == gen) {
                if (r[2] > 0 && r[2] != gen) {
                    deleteGeneration(c, model, r[2]); // switched, but the old blocks were not all deleted
                }
            } else {
                deleteGeneration(c, model, gen); // never became visible
            }
            endRun(c, model, gen);
        }
        return runs.size();
    }

    private static void endRun(Connection c, int modelId, int gen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM score_run WHERE model_id = ? AND gen = ?")) {
            ps.setInt(1, modelId);
            ps.setInt(2, gen);
            ps.executeUpdate();
        }
        c.commit();
    }

    /** Deletes one generation's blocks, {@value #DELETE_BATCH} rows per transaction. */
    private static void deleteGeneration(Connection c, int modelId, int gen) throws SQLException {
        for (String table : List.of("step_score_block", "user_score_block")) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + table + " WHERE model_id = ? AND gen = ? FETCH FIRST " + DELETE_BATCH + " ROWS ONLY")) {
                ps.setInt(1, modelId);
                ps.setInt(2, gen);
                while (ps.executeUpdate() > 0) {
                    c.commit();
                }
            }
        }
        c.commit();
    }

    /**
     * The newest finished import ({@code import_batch.id}), 0 when there is none, or -1 while an import
     * is running (its events may be half visible, so no scores can be said to cover the workspace).
     * Read it before the events that are scored, so that an import finishing in between makes the
     * scores look older than they are, never newer.
     */
    public static int newestImport(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(CASE WHEN status = 'DONE' THEN id END), 0), "
                + "COUNT(CASE WHEN status <> 'DONE' THEN 1 END) FROM import_batch");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(2) > 0 ? -1 : rs.getInt(1);
        }
    }

    /**
     * True when {@code modelId} has stored scores that cover every event now in the workspace: they were
     * computed after the newest import, so activating it needs no re-scoring.
     */
    public boolean hasCurrentScores(Connection c, int modelId) throws SQLException {
        int newest = newestImport(c);
        if (newest < 0) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(scores_gen, 0), scores_through_import FROM model WHERE id = ?")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return false;
                }
                int through = rs.getInt(2);
                return !rs.wasNull() && through == newest;
            }
        }
    }

    /**
     * Keeps stored scores for at most {@code keep} versions: the active one, {@code justScored}, then the
     * newest others; the scores of the rest are deleted (their model files stay: activating one of them
     * re-scores it). Returns the versions whose scores were removed.
     */
    public List<Integer> pruneScoredVersions(Connection c, int keep, int justScored) throws SQLException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1: " + keep);
        }
        List<int[]> scored = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, scores_gen, active FROM model WHERE COALESCE(scores_gen, 0) > 0 ORDER BY active DESC, id DESC");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                scored.add(new int[]{rs.getInt(1), rs.getInt(2), rs.getBoolean(3) ? 1 : 0});
            }
        }
        List<int[]> order = new ArrayList<>();
        for (int[] m : scored) {
            if (m[2] == 1) {
                order.add(m);
            }
        }
        for (int[] m : scored) {
            if (m[2] == 0 && m[0] == justScored) {
                order.add(m);
            }
        }
        for (int[] m : scored) {
            if (m[2] == 0 && m[0] != justScored) {
                order.add(m);
            }
        }
        List<Integer> removed = new ArrayList<>();
        for (int i = keep; i < order.size(); i++) {
            int[] m = order.get(i);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE model SET scores_gen = NULL, scores_through_import = NULL WHERE id = ? AND scores_gen = ?")) {
                ps.setInt(1, m[0]);
                ps.setInt(2, m[1]);
                ps.executeUpdate();
            }
            c.commit();
            deleteGeneration(c, m[0], m[1]);
            removed.add(m[0]);
        }
        return removed;
    }

    /** The generation of {@code modelId}'s visible scores, 0 when it has none. */
    static int currentGeneration(Connection c, int modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(scores_gen, 0) FROM model WHERE id = ?")) {
            ps.setInt(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Index of the block holding event {@code id}, or -1. */
    private static int blockOf(long[] firstIds, List<EventDao.BlockRef> blocks, long id) {
        int i = Arrays.binarySearch(firstIds, id);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0 || id >= firstIds[i] + blocks.get(i).events()) {
            return -1;
        }
        return i;
    }

    /** The step scores of {@code modelId} for one event block, or null when it has none. */
    public StepScoreBlock stepBlock(Connection c, int modelId, EventDao.BlockRef r) throws SQLException {
        return stepBlock(c, modelId, currentGeneration(c, modelId), r);
    }

    private StepScoreBlock stepBlock(Connection c, int modelId, int gen, EventDao.BlockRef r) throws SQLException {
        if (gen == 0) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT data FROM step_score_block WHERE model_id = ? AND gen = ? AND import_id = ? AND block_no = ?")) {
            ps.setInt(1, modelId);
            ps.setInt(2, gen);
            ps.setInt(3, r.importId());
            ps.setInt(4, r.blockNo());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return StepScoreBlock.decode(rs.getBytes(1), r.events(),
                        "step scores of model " + modelId + " for " + r.where());
            }
        }
    }

    /** The ranked users of a model, rank 1 first (empty when it has no scores). */
    public List<UserScoreRow> userScores(Connection c, int modelId) throws SQLException {
        List<UserScoreRow> out = new ArrayList<>();
        for (UserScoreBlock b : userBlocks(c, modelId, Integer.MAX_VALUE)) {
            for (int i = 0; i < b.size(); i++) {
                out.add(new UserScoreRow(b.userIds[i], b.scores[i], b.rank(i)));
            }
        }
        return out;
    }

    /** The users ranked 1..{@code maxRank} of a model, rank 1 first; reads only the blocks holding them. */
    public List<String> topUsers(Connection c, int modelId, int maxRank) throws SQLException {
        List<String> out = new ArrayList<>();
        for (UserScoreBlock b : userBlocks(c, modelId, maxRank)) {
            for (int i = 0; i < b.size() && b.rank(i) <= maxRank; i++) {
                out.add(b.userIds[i]);
            }
        }
        return out;
    }

    /**
     * The visible generation's user blocks in rank order, up to the one holding {@code maxRank}. A
     * scoring that switches generations and deletes the old blocks while this reads is noticed (the
     * generation changed) and the read starts over, so the list is never a cut-off mix.
     */
    private static List<UserScoreBlock> userBlocks(Connection c, int modelId, int maxRank) throws SQLException {
        while (true) {
            int gen = currentGeneration(c, modelId);
            List<UserScoreBlock> out = new ArrayList<>();
            if (gen == 0 || maxRank < 1) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT data FROM user_score_block WHERE model_id = ? AND gen = ? AND block_no = ?")) {
                int nextRank = 1;
                for (int blockNo = 0; nextRank <= maxRank; blockNo++) {
                    ps.setInt(1, modelId);
                    ps.setInt(2, gen);
                    ps.setInt(3, blockNo);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            break;
                        }
                        UserScoreBlock b = UserScoreBlock.decode(rs.getBytes(1), nextRank,
                                "user scores of model " + modelId + " (block " + blockNo + ")");
                        out.add(b);
                        nextRank += b.size();
                    }
                }
            }
            if (currentGeneration(c, modelId) == gen) {
                return out;
            }
        }
    }

    /** One event of a user with its step score (NaN: none; modelId 0 or no scores: all NaN). */
    public record UserStep(long eventId, long ts, String action, String item, String category, double amount,
                           double score, String expected) {
    }

    /**
     * The events of the given users with the model's step scores, per user in time order. Each event
     * block that holds one of the users is read once.
     */
    public Map<String, List<UserStep>> stepsOf(Connection c, int modelId, Collection<String> userIds, ProgressListener p)
            throws SQLException {
        Map<String, List<UserStep>> out = new HashMap<>();
        TreeSet<String> wanted = new TreeSet<>(userIds);
        if (wanted.isEmpty()) {
            return out;
        }
        int gen = modelId > 0 ? currentGeneration(c, modelId) : 0;
        List<EventDao.BlockRef> blocks = events.blocks(c);
        int done = 0;
        for (EventDao.BlockRef r : blocks) {
            done++;
            if (!r.mayContainAny(wanted)) {
                continue;
            }
            p.checkCancelled();
            p.progress((double) done / blocks.size(), "reading steps");
            EventBlock blk = events.block(c, r);
            StepScoreBlock sb = gen > 0 ? stepBlock(c, modelId, gen, r) : null;
            for (String u : wanted.subSet(r.minUser(), true, r.maxUser(), true)) {
                int ui = blk.indexOf(u);
                if (ui < 0) {
                    continue;
                }
                List<UserStep> list = out.computeIfAbsent(u, k -> new ArrayList<>());
                for (int k = blk.userStart[ui]; k < blk.userStart[ui + 1]; k++) {
                    list.add(new UserStep(blk.firstEventId + k, blk.ts[k], blk.actionNames[blk.action[k]], blk.itemName(k),
                            blk.categoryName(k), blk.amount[k], sb == null ? Double.NaN : sb.score[k],
                            sb == null ? null : sb.expected(k)));
                }
            }
        }
        for (List<UserStep> l : out.values()) {
            l.sort(Comparator.comparingLong(UserStep::ts).thenComparingLong(UserStep::eventId));
        }
        if (gen > 0 && gen != currentGeneration(c, modelId)) {
            return stepsOf(c, modelId, userIds, p); // re-scored while reading: read the new generation
        }
        return out;
    }

    /** Every step score of a model (NaN left out), ascending. */
    public float[] sortedStepScores(Connection c, int modelId) throws SQLException {
        float[] all = new float[1024];
        int n = 0;
        int gen = currentGeneration(c, modelId);
        for (EventDao.BlockRef r : gen == 0 ? List.<EventDao.BlockRef>of() : events.blocks(c)) {
            StepScoreBlock sb = stepBlock(c, modelId, gen, r);
            if (sb == null) {
                continue;
            }
            for (float f : sb.score) {
                if (!Float.isNaN(f)) {
                    if (n == all.length) {
                        all = Arrays.copyOf(all, n * 2);
                    }
                    all[n++] = f;
                }
            }
        }
        if (gen != currentGeneration(c, modelId)) {
            return sortedStepScores(c, modelId); // re-scored while reading
        }
        float[] out = Arrays.copyOf(all, n);
        Arrays.sort(out);
        return out;
    }

    /** Step scores of one user's events, in time order (events without a score are left out). */
    public List<StepScoreRow> stepScores(Connection c, int modelId, String userId) throws SQLException {
        List<long[]> order = new ArrayList<>(); // ts, event id, index into out
        List<StepScoreRow> rows = new ArrayList<>();
        int gen = currentGeneration(c, modelId);
        for (EventDao.BlockRef r : gen == 0 ? List.<EventDao.BlockRef>of() : events.blocks(c)) {
            if (!r.mayContain(userId)) {
                continue;
            }
            EventBlock blk = events.block(c, r);
            int u = blk.indexOf(userId);
            if (u < 0) {
                continue;
            }
            StepScoreBlock sb = stepBlock(c, modelId, gen, r);
            if (sb == null) {
                continue;
            }
            for (int k = blk.userStart[u]; k < blk.userStart[u + 1]; k++) {
                if (Float.isNaN(sb.score[k]) && sb.expected(k) == null) {
                    continue;
                }
                order.add(new long[]{blk.ts[k], blk.firstEventId + k, rows.size()});
                rows.add(new StepScoreRow(blk.firstEventId + k, sb.score[k], sb.expected(k)));
            }
        }
        if (gen != currentGeneration(c, modelId)) {
            return stepScores(c, modelId, userId); // re-scored while reading
        }
        order.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        List<StepScoreRow> out = new ArrayList<>(rows.size());
        for (long[] o : order) {
            out.add(rows.get((int) o[2]));
        }
        return out;
    }
}

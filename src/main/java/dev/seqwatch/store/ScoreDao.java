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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.List;

/** user_score and step_score_block of a model version. Replacing a model's scores is one transaction. */
public final class ScoreDao {
    private final EventDao events = new EventDao();

    /** One row of the queue. */
    public record UserScoreRow(String userId, double score, int rank) {
    }

    /** One scored step. */
    public record StepScoreRow(long eventId, double score, String expected) {
    }

    /**
     * Replaces the scores of {@code modelId} with {@code scores}; step scores are stored for users in
     * {@code sequences} whose detector produced them (the event ids come from the sequences), one
     * {@link StepScoreBlock} per event block.
     */
    public void replace(Connection c, int modelId, Scores scores, SequenceSet sequences, ProgressListener p)
            throws SQLException {
        try (PreparedStatement d1 = c.prepareStatement("DELETE FROM user_score WHERE model_id = ?");
             PreparedStatement d2 = c.prepareStatement("DELETE FROM step_score_block WHERE model_id = ?")) {
            d1.setInt(1, modelId);
            d1.executeUpdate();
            d2.setInt(1, modelId);
            d2.executeUpdate();
        }
        List<EventDao.BlockRef> blocks = events.blocks(c);
        long[] firstIds = new long[blocks.size()];
        for (int b = 0; b < firstIds.length; b++) {
            firstIds[b] = blocks.get(b).firstEventId();
        }
        StepScoreBlock.Builder[] built = new StepScoreBlock.Builder[blocks.size()];
        List<UserScores> ranked = scores.ranked();
        try (PreparedStatement us = c.prepareStatement("INSERT INTO user_score (model_id, user_id, score, rank) VALUES (?, ?, ?, ?)")) {
            int rank = 0;
            for (UserScores u : ranked) {
                us.setInt(1, modelId);
                us.setString(2, u.userId());
                us.setDouble(3, u.score());
                us.setInt(4, ++rank);
                us.addBatch();
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
                if (rank % 10_000 == 0) {
                    us.executeBatch();
                    p.checkCancelled();
                    p.progress(0.8 * rank / ranked.size(), "storing scores " + rank + " / " + ranked.size());
                }
            }
            us.executeBatch();
        }
        try (PreparedStatement ss = c.prepareStatement(
                "INSERT INTO step_score_block (model_id, import_id, block_no, data) VALUES (?, ?, ?, ?)")) {
            for (int b = 0; b < built.length; b++) {
                if (built[b] == null) {
                    continue;
                }
                ss.setInt(1, modelId);
                ss.setInt(2, blocks.get(b).importId());
                ss.setInt(3, blocks.get(b).blockNo());
                ss.setBytes(4, built[b].encode());
                ss.executeUpdate();
                built[b] = null;
                p.checkCancelled();
                p.progress(0.8 + 0.2 * (b + 1) / built.length, "storing step scores");
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
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT data FROM step_score_block WHERE model_id = ? AND import_id = ? AND block_no = ?")) {
            ps.setInt(1, modelId);
            ps.setInt(2, r.importId());
            ps.setInt(3, r.blockNo());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return StepScoreBlock.decode(rs.getBytes(1), r.events(),
                        "step scores of model " + modelId + " for " + r.where());
            }
        }
    }

    /**
     * The ranked users of a model, rank 1 first. Read as a plain table scan (rows are stored in rank
     * order by {@link #replace}) and sorted here only if needed: following the (model, rank) index
     * costs one row lookup per user, 24 s for 1M users against about 1 s for the scan.
     */
    public List<UserScoreRow> userScores(Connection c, int modelId) throws SQLException {
        List<UserScoreRow> out = new ArrayList<>();
        boolean sorted = true;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, score, rank FROM user_score USE INDEX () WHERE model_id = ?")) {
            ps.setInt(1, modelId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                int last = Integer.MIN_VALUE;
                while (rs.next()) {
                    int rank = rs.getInt(3);
                    sorted &= rank >= last;
                    last = rank;
                    out.add(new UserScoreRow(rs.getString(1), rs.getDouble(2), rank));
                }
            }
        }
        if (!sorted) {
            out.sort(Comparator.comparingInt(UserScoreRow::rank));
        }
        return out;
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
            StepScoreBlock sb = modelId > 0 ? stepBlock(c, modelId, r) : null;
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
        return out;
    }

    /** Every step score of a model (NaN left out), ascending. */
    public float[] sortedStepScores(Connection c, int modelId) throws SQLException {
        float[] all = new float[1024];
        int n = 0;
        for (EventDao.BlockRef r : events.blocks(c)) {
            StepScoreBlock sb = stepBlock(c, modelId, r);
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
        float[] out = Arrays.copyOf(all, n);
        Arrays.sort(out);
        return out;
    }

    /** Step scores of one user's events, in time order (events without a score are left out). */
    public List<StepScoreRow> stepScores(Connection c, int modelId, String userId) throws SQLException {
        List<long[]> order = new ArrayList<>(); // ts, event id, index into out
        List<StepScoreRow> rows = new ArrayList<>();
        for (EventDao.BlockRef r : events.blocks(c)) {
            if (!r.mayContain(userId)) {
                continue;
            }
            EventBlock blk = events.block(c, r);
            int u = blk.indexOf(userId);
            if (u < 0) {
                continue;
            }
            StepScoreBlock sb = stepBlock(c, modelId, r);
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
        order.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        List<StepScoreRow> out = new ArrayList<>(rows.size());
        for (long[] o : order) {
            out.add(rows.get((int) o[2]));
        }
        return out;
    }
}

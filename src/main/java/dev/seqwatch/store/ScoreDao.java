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
import java.util.List;

/** user_score and step_score of a model version. Replacing a model's scores is one transaction. */
public final class ScoreDao {

    /** One row of the queue. */
    public record UserScoreRow(String userId, double score, int rank) {
    }

    /** One scored step. */
    public record StepScoreRow(long eventId, double score, String expected) {
    }

    /**
     * Replaces the scores of {@code modelId} with {@code scores}; step scores are stored for users in
     * {@code sequences} whose detector produced them (the event ids come from the sequences).
     */
    public void replace(Connection c, int modelId, Scores scores, SequenceSet sequences, ProgressListener p)
            throws SQLException {
        try (PreparedStatement d1 = c.prepareStatement("DELETE FROM user_score WHERE model_id = ?");
             PreparedStatement d2 = c.prepareStatement("DELETE FROM step_score WHERE model_id = ?")) {
            d1.setInt(1, modelId);
            d1.executeUpdate();
            d2.setInt(1, modelId);
            d2.executeUpdate();
        }
        List<UserScores> ranked = scores.ranked();
        try (PreparedStatement us = c.prepareStatement("INSERT INTO user_score (model_id, user_id, score, rank) VALUES (?, ?, ?, ?)");
             PreparedStatement ss = c.prepareStatement("INSERT INTO step_score (model_id, event_id, score, expected) VALUES (?, ?, ?, ?)")) {
            int rank = 0;
            int pending = 0;
            for (UserScores u : ranked) {
                us.setInt(1, modelId);
                us.setString(2, u.userId());
                us.setDouble(3, u.score());
                us.setInt(4, ++rank);
                us.addBatch();
                UserSequence seq = sequences.user(u.userId());
                if (u.steps() != null && seq != null) {
                    for (int i = 0; i < seq.length() && i < u.steps().length; i++) {
                        if (seq.eventId(i) < 0) {
                            continue;
                        }
                        double s = u.steps()[i];
                        ss.setInt(1, modelId);
                        ss.setLong(2, seq.eventId(i));
                        if (Double.isNaN(s)) {
                            ss.setNull(3, java.sql.Types.DOUBLE);
                        } else {
                            ss.setDouble(3, s);
                        }
                        String exp = scores.expectedText(u, i);
                        ss.setString(4, exp.isEmpty() ? null : truncate(exp, 512));
                        ss.addBatch();
                        if (++pending == 10_000) {
                            ss.executeBatch();
                            pending = 0;
                        }
                    }
                }
                if (rank % 10_000 == 0) {
                    us.executeBatch();
                    p.checkCancelled();
                    p.progress((double) rank / ranked.size(), "storing scores " + rank + " / " + ranked.size());
                }
            }
            us.executeBatch();
            ss.executeBatch();
        }
    }

    public List<UserScoreRow> userScores(Connection c, int modelId) throws SQLException {
        List<UserScoreRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, score, rank FROM user_score WHERE model_id = ? ORDER BY rank")) {
            ps.setInt(1, modelId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UserScoreRow(rs.getString(1), rs.getDouble(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /** Step scores of one user's events, in time order. */
    public List<StepScoreRow> stepScores(Connection c, int modelId, String userId) throws SQLException {
        List<StepScoreRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.event_id, s.score, s.expected FROM step_score s "
                + "JOIN event e ON e.id = s.event_id WHERE s.model_id = ? AND e.user_id = ? ORDER BY e.ts, e.id")) {
            ps.setInt(1, modelId);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double s = rs.getDouble(2);
                    boolean noScore = rs.wasNull(); // must be read right after column 2
                    out.add(new StepScoreRow(rs.getLong(1), noScore ? Double.NaN : s, rs.getString(3)));
                }
            }
        }
        return out;
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}

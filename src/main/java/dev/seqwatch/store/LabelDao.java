package dev.seqwatch.store;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only label history. Adding a label never changes an older row: the new row names the
 * row it supersedes, and the current label of a user is its latest row, unless that row is a
 * retraction ({@code label = 'retracted'}): then the user is unlabelled.
 */
public final class LabelDao {

    /** A label to add; the DAO fills in id, time and what it supersedes. */
    public record NewLabel(String userId, boolean fraud, String fraudType, String note, String analyst) {
    }

    /** Appends {@code labels} in order and returns the stored rows. */
    public List<Label> append(Connection c, List<NewLabel> labels) throws SQLException {
        List<Label> out = new ArrayList<>(labels.size());
        try (PreparedStatement cur = c.prepareStatement("SELECT MAX(id) FROM label WHERE user_id = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO label (user_id, label, fraud_type, note, analyst, "
                     + "created_at, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (NewLabel l : labels) {
                cur.setString(1, l.userId());
                long supersedes = 0;
                try (ResultSet rs = cur.executeQuery()) {
                    if (rs.next()) {
                        supersedes = rs.getLong(1);
                    }
                }
                Instant now = Instant.now();
                ins.setString(1, l.userId());
                ins.setString(2, l.fraud() ? "fraud" : "normal");
                ins.setString(3, l.fraud() ? l.fraudType() : null);
                ins.setString(4, l.note());
                ins.setString(5, l.analyst());
                ins.setTimestamp(6, Timestamp.from(now));
                if (supersedes == 0) {
                    ins.setNull(7, java.sql.Types.BIGINT);
                } else {
                    ins.setLong(7, supersedes);
                }
                ins.executeUpdate();
                long id;
                try (ResultSet keys = ins.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                out.add(new Label(id, l.userId(), l.fraud(), l.fraud() ? l.fraudType() : null, l.note(), l.analyst(), now, supersedes));
            }
        }
        return out;
    }

    /**
     * Appends a retraction of {@code userId}'s current label (the user is unlabelled from this row on) and
     * returns it; null, and nothing written, when the user has no current label.
     */
    public Label retract(Connection c, String userId, String note, String analyst) throws SQLException {
        Label latest = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM label WHERE id = (SELECT MAX(id) FROM label WHERE user_id = ?)")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    latest = row(rs);
                }
            }
        }
        if (latest == null || latest.retraction()) {
            return null;
        }
        Instant now = Instant.now();
        long id;
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO label (user_id, label, fraud_type, note, analyst, "
                + "created_at, supersedes) VALUES (?, 'retracted', NULL, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ins.setString(1, userId);
            ins.setString(2, note);
            ins.setString(3, analyst);
            ins.setTimestamp(4, Timestamp.from(now));
            ins.setLong(5, latest.id());
            ins.executeUpdate();
            try (ResultSet keys = ins.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        return new Label(id, userId, false, null, note, analyst, now, latest.id(), true);
    }

    /** The current label of every labelled user (a user whose latest row is a retraction is unlabelled). */
    public LabelSet current(Connection c) throws SQLException {
        return new LabelSet(query(c, "SELECT * FROM label l WHERE id = (SELECT MAX(id) FROM label m WHERE m.user_id = l.user_id)"
                + " AND label <> 'retracted'"));
    }

    /** Every row ever written for {@code userId} (retractions included), oldest first. */
    public List<Label> history(Connection c, String userId) throws SQLException {
        return query(c, "SELECT * FROM label WHERE user_id = ? ORDER BY id", userId);
    }

    /** Every row ever written (retractions included), oldest first. */
    public List<Label> all(Connection c) throws SQLException {
        return query(c, "SELECT * FROM label ORDER BY id");
    }

    /** The id of the newest row of the label history (0 when there is none): the history "up to" a point. */
    public long lastId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM label");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Label> query(Connection c, String sql, String... args) throws SQLException {
        List<Label> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    private static Label row(ResultSet rs) throws SQLException {
        String kind = rs.getString("label");
        return new Label(rs.getLong("id"), rs.getString("user_id"), "fraud".equals(kind),
                rs.getString("fraud_type"), rs.getString("note"), rs.getString("analyst"),
                rs.getTimestamp("created_at").toInstant(), rs.getLong("supersedes"), "retracted".equals(kind));
    }
}

package dev.seqwatch.store;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/** Reads stored events (of finished imports only) as per-user sequences. */
public final class EventDao {
    private static final String VISIBLE =
            " import_id IN (SELECT id FROM import_batch WHERE status = 'DONE') ";

    public long countEvents(Connection c) throws SQLException {
        return ImportDao.single(c, "SELECT COUNT(*) FROM event WHERE" + VISIBLE);
    }

    public long countUsers(Connection c) throws SQLException {
        return ImportDao.single(c, "SELECT COUNT(DISTINCT user_id) FROM event WHERE" + VISIBLE);
    }

    /** Every user's sequence. */
    public SequenceSet loadAll(Connection c, ProgressListener p) throws SQLException {
        long total = Math.max(1, countEvents(c));
        SequenceSetBuilder b = new SequenceSetBuilder();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, user_id, ts, action, item_id, category_id, amount FROM event WHERE" + VISIBLE + "ORDER BY id")) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                long n = 0;
                while (rs.next()) {
                    addRow(b, rs);
                    if (++n % 200_000 == 0) {
                        p.checkCancelled();
                        p.progress((double) n / total, "loading events " + n + " / " + total);
                    }
                }
            }
        }
        return b.build();
    }

    /** The sequences of the given users only (users without events are absent). */
    public SequenceSet loadUsers(Connection c, Collection<String> userIds) throws SQLException {
        SequenceSetBuilder b = new SequenceSetBuilder();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, user_id, ts, action, item_id, category_id, amount FROM event WHERE user_id = ? AND"
                        + VISIBLE + "ORDER BY ts, id")) {
            for (String u : userIds) {
                ps.setString(1, u);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addRow(b, rs);
                    }
                }
            }
        }
        return b.build();
    }

    private static void addRow(SequenceSetBuilder b, ResultSet rs) throws SQLException {
        double amount = rs.getDouble(7);
        if (rs.wasNull()) {
            amount = Double.NaN;
        }
        b.add(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), amount);
    }
}

package dev.seqwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** import_batch and rejected_row. */
public final class ImportDao {

    /** One recorded import. */
    public record ImportRecord(int id, String sourceName, String sha256, String format, Instant startedAt,
                               Instant finishedAt, long rowsRead, long rowsStored, long rowsRejected,
                               long rowsDuplicate, boolean forced, String status) {
    }

    /** One quarantined row. */
    public record RejectedRow(int importId, long lineNo, String reason, String raw) {
    }

    public int nextImportId(Connection c) throws SQLException {
        return (int) single(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM import_batch");
    }

    public long nextEventId(Connection c) throws SQLException {
        return single(c, "SELECT COALESCE(MAX(first_event_id + n_events), 1) FROM event_block");
    }

    public void start(Connection c, int id, String source, String sha256, String format, String mapping,
                      long firstEventId, boolean forced) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_batch (id, source_name, sha256, format, mapping, "
                + "started_at, first_event_id, forced, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING')")) {
            ps.setInt(1, id);
            ps.setString(2, source);
            ps.setString(3, sha256);
            ps.setString(4, format);
            ps.setString(5, mapping);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.setLong(7, firstEventId);
            ps.setBoolean(8, forced);
            ps.executeUpdate();
        }
    }

    public void setSha256(Connection c, int id, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE import_batch SET sha256 = ? WHERE id = ?")) {
            ps.setString(1, sha256);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    public void finish(Connection c, int id, long lastEventId, long read, long stored, long rejected, long duplicate)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE import_batch SET status = 'DONE', finished_at = ?, "
                + "last_event_id = ?, rows_read = ?, rows_stored = ?, rows_rejected = ?, rows_duplicate = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setLong(2, lastEventId);
            ps.setLong(3, read);
            ps.setLong(4, stored);
            ps.setLong(5, rejected);
            ps.setLong(6, duplicate);
            ps.setInt(7, id);
            ps.executeUpdate();
        }
    }

    /** Imports already DONE with this content hash. */
    public List<ImportRecord> findDoneBySha(Connection c, String sha256) throws SQLException {
        return query(c, "SELECT * FROM import_batch WHERE status = 'DONE' AND sha256 = ? ORDER BY id", sha256);
    }

    public List<ImportRecord> list(Connection c) throws SQLException {
        return query(c, "SELECT * FROM import_batch WHERE status = 'DONE' ORDER BY id");
    }

    public List<RejectedRow> rejected(Connection c, int importId, int limit) throws SQLException {
        List<RejectedRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT line_no, reason, raw FROM rejected_row WHERE import_id = ? ORDER BY line_no LIMIT ?")) {
            ps.setInt(1, importId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RejectedRow(importId, rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Removes every trace of imports that did not finish (a crash or kill during import): their event
     * blocks, step scores on them, rejected rows and batch rows.
     */
    public int removeUnfinished(Connection c) throws SQLException {
        List<Integer> running = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM import_batch WHERE status = 'RUNNING'")) {
            while (rs.next()) {
                running.add(rs.getInt(1));
            }
        }
        for (int id : running) {
            for (String table : List.of("step_score_block", "event_block_data", "event_block", "rejected_row")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE import_id = ?")) {
                    ps.setInt(1, id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM import_batch WHERE id = ?")) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
            c.commit();
        }
        return running.size();
    }

    private List<ImportRecord> query(Connection c, String sql, Object... args) throws SQLException {
        List<ImportRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp fin = rs.getTimestamp("finished_at");
                    out.add(new ImportRecord(rs.getInt("id"), rs.getString("source_name"), rs.getString("sha256"),
                            rs.getString("format"), rs.getTimestamp("started_at").toInstant(),
                            fin == null ? null : fin.toInstant(), rs.getLong("rows_read"), rs.getLong("rows_stored"),
                            rs.getLong("rows_rejected"), rs.getLong("rows_duplicate"), rs.getBoolean("forced"),
                            rs.getString("status")));
                }
            }
        }
        return out;
    }

    static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public Optional<ImportRecord> get(Connection c, int id) throws SQLException {
        return query(c, "SELECT * FROM import_batch WHERE id = ?", id).stream().findFirst();
    }
}

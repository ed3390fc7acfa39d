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

/**
 * Model versions kept inside the workspace (the model file's bytes included, so a workspace is
 * self-contained). At most one is active; activating one never deletes another.
 */
public final class ModelDao {

    /** A stored model version without its file bytes. */
    public record ModelRecord(int id, String detector, Instant createdAt, String paramsJson, String trainedOnJson,
                              String metricsJson, boolean active) {
    }

    public int add(Connection c, String detector, String paramsJson, String trainedOnJson, String metricsJson,
                   byte[] file) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model (detector, created_at, params_json, "
                + "trained_on_json, metrics_json, file) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, detector);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, paramsJson);
            ps.setString(4, trainedOnJson);
            ps.setString(5, metricsJson);
            ps.setBytes(6, file);
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                k.next();
                return k.getInt(1);
            }
        }
    }

    public void activate(Connection c, int id) throws SQLException {
        try (PreparedStatement off = c.prepareStatement("UPDATE model SET active = FALSE WHERE active AND id <> ?");
             PreparedStatement on = c.prepareStatement("UPDATE model SET active = TRUE WHERE id = ?")) {
            off.setInt(1, id);
            off.executeUpdate();
            on.setInt(1, id);
            if (on.executeUpdate() != 1) {
                throw new SQLException("no model with id " + id);
            }
        }
    }

    /**
     * Removes a version a failing command had just added (it never became active; its scores were
     * already removed by the scoring's own clean-up), so the command leaves the workspace as it was.
     */
    public void remove(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM model WHERE id = ? AND NOT active")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
    }

    public void updateMetrics(Connection c, int id, String metricsJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE model SET metrics_json = ? WHERE id = ?")) {
            ps.setString(1, metricsJson);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    public List<ModelRecord> list(Connection c) throws SQLException {
        List<ModelRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, detector, created_at, params_json, trained_on_json, metrics_json, active FROM model ORDER BY id")) {
            while (rs.next()) {
                out.add(new ModelRecord(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getBoolean(7)));
            }
        }
        return out;
    }

    public Optional<ModelRecord> active(Connection c) throws SQLException {
        return list(c).stream().filter(ModelRecord::active).findFirst();
    }

    public byte[] file(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT file FROM model WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no model with id " + id);
                }
                return rs.getBytes(1);
            }
        }
    }
}

package dev.seqwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema version 2: events and step scores move from one row each ({@code event}, {@code step_score})
 * to column-wise blocks ({@code event_block}, {@code event_block_data}, {@code step_score_block}).
 * Workspaces of version 1 are converted import by import; their event ids change (a block orders
 * events by user), and their step scores are carried over to the new ids. Runs inside Flyway's
 * migration transaction, so a failure leaves the version-1 workspace as it was.
 */
public final class BlockStorageMigration {
    private BlockStorageMigration() {
    }

    public static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE event_block ("
                    + "import_id INT NOT NULL, block_no INT NOT NULL, first_event_id BIGINT NOT NULL, "
                    + "n_events INT NOT NULL, n_users INT NOT NULL, min_user VARCHAR(256) NOT NULL, "
                    + "max_user VARCHAR(256) NOT NULL, PRIMARY KEY (import_id, block_no))");
            s.execute("CREATE INDEX event_block_first ON event_block (first_event_id)");
            s.execute("CREATE TABLE event_block_data (import_id INT NOT NULL, block_no INT NOT NULL, "
                    + "data VARBINARY(1000000000) NOT NULL, PRIMARY KEY (import_id, block_no))");
            s.execute("CREATE TABLE step_score_block (model_id INT NOT NULL, import_id INT NOT NULL, "
                    + "block_no INT NOT NULL, data VARBINARY(1000000000) NOT NULL, "
                    + "PRIMARY KEY (model_id, import_id, block_no))");
        }
        List<long[]> imports = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, COALESCE(first_event_id, 1) FROM import_batch "
                     + "WHERE status = 'DONE' ORDER BY id")) {
            while (rs.next()) {
                imports.add(new long[]{rs.getInt(1), rs.getLong(2)});
            }
        }
        for (long[] imp : imports) {
            convertImport(c, (int) imp[0], imp[1]);
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE step_score");
            s.execute("DROP TABLE event");
        }
    }

    private static void convertImport(Connection c, int importId, long firstId) throws SQLException {
        Map<Long, Long> newId = new HashMap<>();
        EventBlockWriter w = new EventBlockWriter(c, importId, firstId, Integer.MAX_VALUE)
                .onIdAssigned(newId::put);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, user_id, ts, action, item_id, category_id, amount "
                + "FROM event WHERE import_id = ? ORDER BY id")) {
            ps.setInt(1, importId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double amount = rs.getDouble(7);
                    if (rs.wasNull()) {
                        amount = Double.NaN;
                    }
                    w.add(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), amount,
                            rs.getLong(1));
                }
            }
        }
        w.finish();
        if (newId.isEmpty()) {
            return;
        }
        List<EventDao.BlockRef> blocks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT import_id, block_no, first_event_id, n_events, n_users, "
                + "min_user, max_user FROM event_block WHERE import_id = ? ORDER BY block_no")) {
            ps.setInt(1, importId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blocks.add(new EventDao.BlockRef(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getInt(4),
                            rs.getInt(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        long lastId = firstId + newId.size() - 1;
        try (PreparedStatement up = c.prepareStatement("UPDATE import_batch SET last_event_id = ? WHERE id = ?")) {
            up.setLong(1, lastId);
            up.setInt(2, importId);
            up.executeUpdate();
        }
        Map<Integer, StepScoreBlock.Builder[]> byModel = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.model_id, s.event_id, s.score, s.expected "
                + "FROM step_score s JOIN event e ON e.id = s.event_id WHERE e.import_id = ?")) {
            ps.setInt(1, importId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long id = newId.get(rs.getLong(2));
                    if (id == null) {
                        continue;
                    }
                    double score = rs.getDouble(3);
                    if (rs.wasNull()) {
                        score = Double.NaN;
                    }
                    int b = 0;
                    while (b + 1 < blocks.size() && blocks.get(b + 1).firstEventId() <= id) {
                        b++;
                    }
                    StepScoreBlock.Builder[] arr = byModel.computeIfAbsent(rs.getInt(1),
                            k -> new StepScoreBlock.Builder[blocks.size()]);
                    if (arr[b] == null) {
                        arr[b] = new StepScoreBlock.Builder(blocks.get(b).events());
                    }
                    arr[b].set((int) (id - blocks.get(b).firstEventId()), score, rs.getString(4));
                }
            }
        }
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO step_score_block (model_id, import_id, block_no, data) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<Integer, StepScoreBlock.Builder[]> e : byModel.entrySet()) {
                for (int b = 0; b < blocks.size(); b++) {
                    if (e.getValue()[b] != null) {
                        ins.setInt(1, e.getKey());
                        ins.setInt(2, importId);
                        ins.setInt(3, blocks.get(b).blockNo());
                        ins.setBytes(4, e.getValue()[b].encode());
                        ins.executeUpdate();
                    }
                }
            }
        }
    }
}

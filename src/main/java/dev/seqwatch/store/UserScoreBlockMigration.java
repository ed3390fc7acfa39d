package dev.seqwatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Schema version 3: user scores move from one {@code user_score} row per user to rank-ordered
 * {@link UserScoreBlock}s ({@code user_score_block}); user and step scores get a generation number
 * ({@code gen}; the model's visible one is {@code model.scores_gen}) so that a scoring can commit in
 * batches while the previous scores stay visible, and {@code score_run} marks a scoring in progress
 * (see {@link ScoreDao}). Existing scores become generation 1 of their model; ranks are renumbered
 * 1..n in the stored rank order (ties by user id), which they already were. Runs inside Flyway's
 * migration transaction, so a failure leaves the version-2 workspace as it was.
 */
public final class UserScoreBlockMigration {
    private UserScoreBlockMigration() {
    }

    public static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE model ADD COLUMN scores_gen INT");
            s.execute("CREATE TABLE user_score_block (model_id INT NOT NULL, gen INT NOT NULL, block_no INT NOT NULL, "
                    + "data VARBINARY(1000000000) NOT NULL, PRIMARY KEY (model_id, gen, block_no))");
            s.execute("CREATE TABLE score_run (model_id INT NOT NULL, gen INT NOT NULL, previous_gen INT NOT NULL, "
                    + "started_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (model_id, gen))");
            s.execute("ALTER TABLE step_score_block ADD COLUMN gen INT BEFORE import_id");
            s.execute("UPDATE step_score_block SET gen = 1");
            s.execute("ALTER TABLE step_score_block ALTER COLUMN gen SET NOT NULL");
            s.execute("ALTER TABLE step_score_block DROP PRIMARY KEY");
            s.execute("ALTER TABLE step_score_block ADD PRIMARY KEY (model_id, gen, import_id, block_no)");
        }
        TreeSet<Integer> scored = new TreeSet<>();
        for (String sql : List.of("SELECT DISTINCT model_id FROM user_score", "SELECT DISTINCT model_id FROM step_score_block")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    scored.add(rs.getInt(1));
                }
            }
        }
        for (int model : scored) {
            convert(c, model);
            try (PreparedStatement ps = c.prepareStatement("UPDATE model SET scores_gen = 1 WHERE id = ?")) {
                ps.setInt(1, model);
                ps.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE user_score");
        }
    }

    private record Row(String userId, double score, int rank) {
    }

    private static void convert(Connection c, int model) throws SQLException {
        List<Row> rows = new ArrayList<>();
        // a table scan: following the rank index costs one row lookup per user (24 s for 1M users)
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, score, rank FROM user_score USE INDEX () WHERE model_id = ?")) {
            ps.setInt(1, model);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getDouble(2), rs.getInt(3)));
                }
            }
        }
        rows.sort(Comparator.comparingInt(Row::rank).thenComparing(Row::userId));
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO user_score_block (model_id, gen, block_no, data) VALUES (?, 1, ?, ?)")) {
            int blockNo = 0;
            for (int from = 0; from < rows.size(); from += UserScoreBlock.DEFAULT_USERS) {
                int n = Math.min(UserScoreBlock.DEFAULT_USERS, rows.size() - from);
                String[] ids = new String[n];
                double[] s = new double[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = rows.get(from + i).userId();
                    s[i] = rows.get(from + i).score();
                }
                ins.setInt(1, model);
                ins.setInt(2, blockNo++);
                ins.setBytes(3, new UserScoreBlock(from + 1, ids, s).encode());
                ins.executeUpdate();
            }
        }
    }
}

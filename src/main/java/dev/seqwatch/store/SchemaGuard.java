package dev.seqwatch.store;

import dev.seqwatch.common.UserFacingException;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses a workspace file whose schema holds anything that could run when Seqwatch uses it: triggers
 * other than our append-only one, user functions (aliases), views or linked tables, other schemas,
 * domains, and column defaults, generated columns or CHECK constraints that a database built by our
 * own migrations does not have (e.g. a default calling FILE_WRITE). It reads only INFORMATION_SCHEMA,
 * before Flyway or any DAO touches a table.
 *
 * <p>It runs after {@link WorkspaceFileCheck}, which refuses such files before H2 opens them at all; this
 * second look at the opened schema stays as a defence in depth.
 *
 * <p>UntrustedFilesTest plants a Java-source trigger, a source alias, a FILE_WRITE default and a view in
 * workspace files: each is refused, and none of them wrote its marker file when Seqwatch opened the file.
 */
final class SchemaGuard {
    private static final String OUR_TRIGGER = AppendOnlyTrigger.class.getName();
    private static volatile Set<String> reference;

    private SchemaGuard() {
    }

    static void check(Connection c, Path file) throws SQLException {
        List<String> problems = new ArrayList<>();
        count(c, problems, "a trigger that is not Seqwatch's", "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS "
                + "WHERE COALESCE(JAVA_CLASS, '') <> '" + OUR_TRIGGER + "'");
        count(c, problems, "user-defined functions", "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES "
                + "WHERE ROUTINE_SCHEMA <> 'INFORMATION_SCHEMA'");
        count(c, problems, "views or linked tables", "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA' AND TABLE_TYPE <> 'BASE TABLE'");
        count(c, problems, "other schemas", "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA "
                + "WHERE SCHEMA_NAME NOT IN ('PUBLIC', 'INFORMATION_SCHEMA')");
        count(c, problems, "domains", "SELECT COUNT(*) FROM INFORMATION_SCHEMA.DOMAINS");
        Set<String> expressions = expressions(c);
        expressions.removeAll(reference());
        if (!expressions.isEmpty()) {
            problems.add("defaults or constraints Seqwatch does not create (" + abbreviate(expressions.iterator().next()) + ")");
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException(file + " is not created by Seqwatch or was altered: it holds " + String.join(", ", problems)
                    + "; refused without using it");
        }
    }

    private static void count(Connection c, List<String> problems, String what, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) > 0) {
                problems.add(what);
            }
        }
    }

    /** Every column default, generated-column expression, on-update expression and CHECK clause. */
    private static Set<String> expressions(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, GENERATION_EXPRESSION, "
                    + "COLUMN_ON_UPDATE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'")) {
                while (rs.next()) {
                    for (int i = 3; i <= 5; i++) {
                        String e = rs.getString(i);
                        if (e != null) {
                            out.add(rs.getString(1) + "." + rs.getString(2) + ":" + i + ":" + e);
                        }
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT CHECK_CLAUSE FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS "
                    + "WHERE CONSTRAINT_SCHEMA <> 'INFORMATION_SCHEMA'")) {
                while (rs.next()) {
                    out.add("check:" + rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * The expressions a database built by our own migrations holds at any schema version (in memory, once
     * per run): a workspace of an older version is checked before Flyway migrates it, so a check that a
     * later migration replaced (V5's label values) is still Seqwatch's own.
     */
    private static Set<String> reference() throws SQLException {
        Set<String> r = reference;
        if (r == null) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:seqwatch-reference-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            ds.setUser("seqwatch");
            ds.setPassword("");
            try (Connection c = ds.getConnection()) {
                r = new HashSet<>();
                for (org.flywaydb.core.api.MigrationInfo m : Flyway.configure().dataSource(ds)
                        .locations("classpath:db/migration").load().info().all()) {
                    Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(m.getVersion())
                            .load().migrate();
                    r.addAll(expressions(c));
                }
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
            reference = r;
        }
        return r;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}

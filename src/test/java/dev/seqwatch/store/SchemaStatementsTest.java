package dev.seqwatch.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code db/schema-statements.txt} is exactly the set of schema statements that our migrations leave in a
 * workspace file at every schema version (V1 alone, V1+V2, ...), as {@link WorkspaceFileCheck} reads them.
 * After a new migration, run this test with {@code -Dseqwatch.schema.write=true} to rewrite the file, and
 * review the diff: every line is a statement a workspace may hold when it is opened.
 */
class SchemaStatementsTest {
    private static final Path RESOURCE = Path.of("src/main/resources/db/schema-statements.txt");

    @TempDir
    Path tmp;

    @Test
    void theListMatchesWhatEverySchemaVersionHolds() throws Exception {
        Set<String> built = new TreeSet<>();
        List<String> versions = new ArrayList<>();
        for (MigrationInfo m : Flyway.configure().locations("classpath:db/migration")
                .dataSource("jdbc:h2:mem:versions", "sa", "").load().info().all()) {
            versions.add(m.getVersion().getVersion());
        }
        assertThat(versions).isNotEmpty();
        for (String v : versions) {
            Path base = tmp.resolve("v" + v);
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1");
            ds.setUser("seqwatch");
            ds.setPassword("");
            try (Connection c = ds.getConnection()) {
                Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(v).load().migrate();
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
            for (WorkspaceFileCheck.Statement s : WorkspaceFileCheck.read(Path.of(base + Workspace.SUFFIX))) {
                if (s.type() != 2 && s.type() != 6) { // the user and settings are checked by pattern
                    built.add(WorkspaceFileCheck.escape(s.normalised()));
                }
            }
        }
        String expected = String.join("\n", built) + "\n";
        if (Boolean.getBoolean("seqwatch.schema.write")) {
            Files.writeString(RESOURCE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(RESOURCE, StandardCharsets.UTF_8))
                .as("db/schema-statements.txt is stale: rerun this test with -Dseqwatch.schema.write=true and review the diff")
                .isEqualTo(expected);
    }
}

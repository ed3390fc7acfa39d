package dev.seqwatch.store;

import dev.seqwatch.common.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceTest {
    @TempDir
    Path tmp;

    private static void foreignDatabase(Path base, String user) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(), user, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2))");
            s.execute("INSERT INTO orders VALUES (1, 9.99)");
        }
    }

    private static String tables(Path base, String user) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(), user, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT LISTAGG(TABLE_NAME, ',') WITHIN GROUP (ORDER BY TABLE_NAME) "
                     + "FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void createsTheFileAndItsFolderAndKeepsDataAcrossReopen() {
        Path base = tmp.resolve("deep/er/ws");
        try (Workspace ws = Workspace.open(base)) {
            assertThat(ws.file()).isEqualTo(Path.of(base + ".mv.db"));
            ws.write(c -> new LabelDao().append(c, java.util.List.of(new LabelDao.NewLabel("u1", true, "scripted_bot", null, "ana"))));
        }
        assertThat(Path.of(base + ".mv.db")).isRegularFile();
        // "ws" and "ws.mv.db" name the same workspace
        try (Workspace ws = Workspace.open(Path.of(base + ".mv.db"))) {
            assertThat(ws.read(c -> new LabelDao().current(c)).get("u1").fraudType()).isEqualTo("scripted_bot");
        }
    }

    /** H2 analyses tables by itself after enough changed rows (a big import) and then writes each column's selectivity. */
    @Test
    void aWorkspaceThatH2HasAnalysedStillOpens() throws Exception {
        Path base = tmp.resolve("analysed");
        try (Workspace ws = Workspace.open(base)) {
            ws.write(c -> {
                java.util.List<LabelDao.NewLabel> many = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    many.add(new LabelDao.NewLabel("u" + i, i % 7 == 0, i % 7 == 0 ? "scripted_bot" : null, null, "ana"));
                }
                new LabelDao().append(c, many);
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE");
                }
                return null;
            });
        }
        assertThat(WorkspaceFileCheck.read(Path.of(base + Workspace.SUFFIX)))
                .as("the file holds statements with the selectivity H2 wrote")
                .anyMatch(st -> st.sql().contains(" SELECTIVITY "));
        try (Workspace ws = Workspace.open(base)) {
            assertThat(ws.read(c -> new LabelDao().current(c)).size()).isEqualTo(50);
        }
    }

    @Test
    void anH2DatabaseOfAnotherProgramIsRefusedAndLeftAlone() throws Exception {
        Path base = tmp.resolve("shop");
        foreignDatabase(base, "seqwatch");
        byte[] before = Files.readAllBytes(Path.of(base + ".mv.db"));
        assertThatThrownBy(() -> Workspace.open(base)).isInstanceOf(UserFacingException.class)
                .hasMessage(base + ".mv.db is an H2 database of another program, not a Seqwatch workspace; nothing was changed");
        assertThat(Files.readAllBytes(Path.of(base + ".mv.db"))).as("not a byte changed").isEqualTo(before);
        assertThat(tables(base, "seqwatch")).isEqualTo("ORDERS");
    }

    @Test
    void anH2DatabaseWithOtherCredentialsIsRefusedInOneLineWithoutOpeningIt() throws Exception {
        Path base = tmp.resolve("other");
        foreignDatabase(base, "sa");
        byte[] before = Files.readAllBytes(Path.of(base + ".mv.db"));
        assertThatThrownBy(() -> Workspace.open(base)).isInstanceOf(UserFacingException.class)
                .hasMessage(base + ".mv.db is an H2 database of another program, not a Seqwatch workspace; nothing was changed");
        assertThat(Files.readAllBytes(Path.of(base + ".mv.db"))).as("not a byte changed").isEqualTo(before);
        assertThat(tables(base, "sa")).isEqualTo("ORDERS");
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndNotOverwritten() throws Exception {
        Path file = tmp.resolve("notes.mv.db");
        Files.writeString(file, "these are my notes, not a database\n".repeat(200));
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Workspace.open(file)).isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith(file + " is not a Seqwatch workspace (or it is damaged): ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aWorkspaceFromANewerSeqwatchIsRefusedNotMisread() throws Exception {
        Path base = tmp.resolve("newer");
        Workspace.open(base).close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(), "seqwatch", "");
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", "
                    + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
                    + "VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, 'seqwatch', 1, TRUE)");
        }
        assertThatThrownBy(() -> Workspace.open(base)).isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith(base + ".mv.db was written by a newer Seqwatch (workspace schema version 99; this version knows up to ")
                .hasMessageEndingWith("); open it with that version")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFolderInThePlaceOfTheFileIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("x.mv.db"));
        assertThatThrownBy(() -> Workspace.open(dir)).isInstanceOf(UserFacingException.class)
                .hasMessage(dir + " is not a workspace file");
    }

    @Test
    void writesRunOnOneThreadAndRollBackOnFailure() {
        try (Workspace ws = Workspace.open(tmp.resolve("ws"))) {
            String t1 = ws.write(c -> Thread.currentThread().getName());
            String t2 = ws.write(c -> Thread.currentThread().getName());
            assertThat(t1).isEqualTo(t2).isEqualTo("seqwatch-db-writer");
            assertThatThrownBy(() -> ws.write(c -> {
                new LabelDao().append(c, java.util.List.of(new LabelDao.NewLabel("u1", false, null, null, "ana")));
                throw new UserFacingException("stop");
            })).hasMessage("stop");
            java.util.List<dev.seqwatch.common.Label> all = ws.read(c -> new LabelDao().all(c));
            assertThat(all).isEmpty();
        }
    }
}

package dev.seqwatch.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.store.WorkspaceBackup;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.RowDataType;
import org.h2.mvstore.tx.VersionedValueType;
import org.h2.mvstore.type.LongDataType;
import org.h2.result.Row;
import org.h2.result.RowFactory;
import org.h2.result.SearchRow;
import org.h2.value.CompareMode;
import org.h2.value.TypeInfo;
import org.h2.value.Typed;
import org.h2.value.Value;
import org.h2.value.ValueInteger;
import org.h2.value.ValueVarchar;
import org.h2.value.VersionedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workspace or backup a colleague sends may be crafted so that opening it runs code: H2 executes the
 * statements stored in a database's schema table while it opens the file (a trigger's {@code create()}
 * is compiled and called, a class named by a trigger is loaded, any stored SQL text is run). Each attack
 * here is first shown to work on plain H2 in a fresh JVM (the marker file appears), then Seqwatch's
 * command line, also in a fresh JVM, must refuse the file with its one-line reason, leave the marker
 * unwritten, the file byte-identical and write no output.
 */
class CraftedWorkspaceTest {
    @TempDir
    Path dir;

    record Attack(String name, String sql, boolean rawSchemaRecord) {
    }

    private List<Attack> attacks(Path marker) {
        String m = marker.toString().replace("\\", "\\\\").replace("\"", "\\\"");
        String writeMarker = "java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + m + "\"), \"ran\");";
        List<Attack> a = new ArrayList<>();
        // the attack: H2 compiles the source and calls create() while opening the database
        a.add(new Attack("Java-source trigger", "CREATE TRIGGER evil BEFORE INSERT ON import_batch FOR EACH ROW AS $$"
                + "org.h2.api.Trigger create() { try { " + writeMarker + " } catch (Exception e) { } "
                + "return (c, o, n) -> { }; } $$", false));
        // a trigger naming a class on the class path: H2 loads and instantiates it while opening
        a.add(new Attack("class-name trigger", "CREATE TRIGGER evil2 BEFORE INSERT ON label FOR EACH ROW CALL '"
                + MarkerTrigger.class.getName() + "'", false));
        // any SQL at all, written straight into the schema table (no H2 statement creates such a record)
        a.add(new Attack("raw schema record", "CALL FILE_WRITE('ran', '" + marker.toString().replace("'", "''") + "')", true));
        return a;
    }

    @Test
    void aCraftedWorkspaceRunsNoneOfItsCodeWhenACommandOpensIt() throws Exception {
        int n = 0;
        for (Attack attack : attacks(dir.resolve("marker"))) {
            Path marker = dir.resolve("marker");
            Path ws = craft(dir.resolve("evil" + n++), attack, marker);
            Path file = Path.of(ws + Workspace.SUFFIX);

            // the attack is real: plain H2 in a fresh JVM runs it while opening the file
            Path copy = dir.resolve("copy" + n);
            Files.copy(file, Path.of(copy + Workspace.SUFFIX));
            Result plain = run(dir, PlainH2Open.class.getName(), marker, copy.toString());
            assertThat(marker).as(attack.name() + " runs on plain H2 (" + plain.err + ")").exists();
            Files.delete(marker);

            String before = sha256(file);
            Path out = dir.resolve("labels-" + n + ".csv");
            Result r = run(dir, "dev.seqwatch.Main", marker, "export", "labels", "--db", ws.toString(), "--out", out.toString());
            assertThat(r.exit).as(attack.name()).isNotZero();
            assertThat(r.lastLine()).as(attack.name()).startsWith("seqwatch: " + file
                    + " is not created by Seqwatch or was altered: it holds ")
                    .endsWith("; refused without using it, nothing was changed");
            assertThat(marker).as("nothing ran: " + attack.name()).doesNotExist();
            assertThat(sha256(file)).as("file unchanged: " + attack.name()).isEqualTo(before);
            assertThat(out).doesNotExist();
            assertThat(leftovers(ws)).as("no lock or trace files").isEmpty();
        }
    }

    @Test
    void aCraftedBackupWithACorrectManifestRunsNoneOfItsCodeOnRestore() throws Exception {
        Path marker = dir.resolve("marker");
        Attack attack = attacks(marker).get(0);
        Path ws = craft(dir.resolve("evil"), attack, marker);
        Path zip = backupZip(Path.of(ws + Workspace.SUFFIX), dir.resolve("evil-backup.zip"));
        String before = sha256(zip);
        Path target = dir.resolve("restored");
        Result r = run(dir, "dev.seqwatch.Main", marker, "restore", "--from", zip.toString(), "--db", target.toString());
        assertThat(r.exit).isNotZero();
        assertThat(r.lastLine()).startsWith("seqwatch: " + zip + ": the database in the backup does not open as a Seqwatch "
                + "workspace (").contains("is not created by Seqwatch or was altered: it holds a trigger that is not Seqwatch's")
                .endsWith("nothing was changed");
        assertThat(marker).as("the trigger's create() did not run").doesNotExist();
        assertThat(sha256(zip)).isEqualTo(before);
        assertThat(Path.of(target + Workspace.SUFFIX)).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(".seqwatch"))).as("no temp files").isEmpty();
        }
    }

    /** A real workspace with the attack planted the way an attacker would, the marker removed afterwards. */
    private static Path craft(Path ws, Attack attack, Path marker) throws Exception {
        try (Workspace w = Workspace.open(ws)) {
            w.read(c -> null);
        }
        if (attack.rawSchemaRecord()) {
            plantSchemaRecord(Path.of(ws + Workspace.SUFFIX), 6, attack.sql());
        } else {
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + ws.toAbsolutePath(), "seqwatch", "");
                 Statement s = c.createStatement()) {
                s.execute(attack.sql());
                s.execute("SHUTDOWN");
            }
        }
        Files.deleteIfExists(marker); // creating the trigger ran it in this JVM
        Files.deleteIfExists(Path.of(ws + ".trace.db"));
        return ws;
    }

    /** Adds a committed row to H2's schema table with MVStore alone, as a crafted file would carry it. */
    static void plantSchemaRecord(Path file, int type, String sql) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        try {
            Typed[] columns = {TypeInfo.TYPE_INTEGER, TypeInfo.TYPE_INTEGER, TypeInfo.TYPE_INTEGER, TypeInfo.TYPE_VARCHAR};
            RowFactory rf = RowFactory.getDefaultRowFactory()
                    .createRowFactory(null, CompareMode.getInstance(null, 0), null, columns, null, false);
            RowDataType rows = rf.getRowDataType();
            MVMap<Long, VersionedValue<SearchRow>> meta = store.openMap("table.0",
                    new MVMap.Builder<Long, VersionedValue<SearchRow>>().keyType(LongDataType.INSTANCE)
                            .valueType(new VersionedValueType<SearchRow, Object>(rows)));
            long key = meta.lastKey() + 1;
            int id = 10_000;
            Row row = rf.createRow(new Value[] {ValueInteger.get(id), ValueInteger.get(0), ValueInteger.get(type),
                ValueVarchar.get(sql)}, 0);
            row.setKey(key);
            @SuppressWarnings("unchecked") // an H2 row is its own committed versioned value
            VersionedValue<SearchRow> committed = (VersionedValue<SearchRow>) (VersionedValue<?>) row;
            meta.put(key, committed);
            store.commit();
        } finally {
            store.close();
        }
    }

    private static Path backupZip(Path db, Path zip) throws Exception {
        byte[] bytes = Files.readAllBytes(db);
        ObjectNode m = new ObjectMapper().createObjectNode();
        m.put("format", "seqwatch-workspace-backup");
        m.put("format_version", 1);
        m.put("application", "seqwatch");
        m.put("created_at", "2026-12-01T00:00:00Z");
        m.put("events", 0);
        m.put("labels", 0);
        m.put("models", 0);
        m.put("db_entry", WorkspaceBackup.DB_ENTRY);
        m.put("db_bytes", bytes.length);
        m.put("db_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry(WorkspaceBackup.MANIFEST));
            z.write(new ObjectMapper().writeValueAsBytes(m));
            z.closeEntry();
            z.putNextEntry(new ZipEntry(WorkspaceBackup.DB_ENTRY));
            z.write(bytes);
            z.closeEntry();
        }
        return zip;
    }

    private static List<Path> leftovers(Path ws) {
        List<Path> l = new ArrayList<>();
        for (String suffix : List.of(".lock.db", ".trace.db")) {
            Path p = Path.of(ws + suffix);
            if (Files.exists(p)) {
                l.add(p);
            }
        }
        return l;
    }

    record Result(int exit, String err) {
        /** The reason line (progress lines go to stderr before it). */
        String lastLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Result run(Path dir, String mainClass, Path marker, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-D" + MarkerTrigger.PROPERTY + "=" + marker, "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish: " + cmd);
        }
        String text = Files.readString(err, StandardCharsets.UTF_8);
        Files.delete(err);
        return new Result(p.exitValue(), text);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    /** What an analyst's machine does without Seqwatch's check: plain H2 opens the file. */
    public static final class PlainH2Open {
        private PlainH2Open() {
        }

        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + Path.of(args[0]).toAbsolutePath(), "seqwatch", "")) {
                c.createStatement().execute("SELECT 1");
            } catch (Exception e) {
                System.err.println(e);
            }
        }
    }

    /** A class a crafted trigger names; loading it writes the marker file given as a system property. */
    public static final class MarkerTrigger implements org.h2.api.Trigger {
        static final String PROPERTY = "seqwatch.test.marker";

        static {
            String m = System.getProperty(PROPERTY);
            if (m != null) {
                try {
                    Files.writeString(Path.of(m), "ran");
                } catch (IOException ignored) {
                    // the test then sees no marker and fails on plain H2
                }
            }
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
        }
    }
}

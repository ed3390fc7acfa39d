package dev.seqwatch.reliability;

import dev.seqwatch.cli.SeqwatchCli;
import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Careless and hostile inputs through the command line, checked on the workspace file's bytes: a
 * pseudonymised import leaves no raw value anywhere in the file (reasons included); a refused key
 * file, label file or log leaves the workspace byte for byte as it was.
 */
class HostileInputsTest {
    private static final String NL = System.lineSeparator();
    private static final List<String> SECRETS = List.of("alice_secret_id", "bob_secret_time", "carol_secret_amount",
            "dave_secret_dup", "erin_secret_nul", "frank_secret_text", "grace_secret_array");

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A JSON-lines log whose bad lines carry secret values where reasons used to quote them. */
    private Path leakyLog() throws Exception {
        return Files.writeString(dir.resolve("leaky.jsonl"), String.join("\n",
                "{\"user_id\":\"u1\",\"ts\":1700000000,\"action\":\"view\",\"amount\":\"2\"}",
                "{\"user_id\":\"u2\",\"ts\":1700000001,\"action\":\"view\"}",
                "{\"user_id\":alice_secret_id,\"ts\":1700000002,\"action\":\"view\"}",
                "{\"user_id\":\"u3\",\"ts\":\"bob_secret_time\",\"action\":\"view\"}",
                "{\"user_id\":\"u4\",\"ts\":1700000003,\"action\":\"view\",\"amount\":\"carol_secret_amount\"}",
                "{\"user_id\":\"dave_secret_dup\",\"user_id\":\"u5\",\"ts\":1700000004,\"action\":\"view\"}",
                "{\"user_id\":\"erin_secret_nul\\u0000\",\"ts\":1700000005,\"action\":\"view\"}",
                "{\"user_id\":\"u6\",\"ts\":1700000006,\"action\":\"view\"} frank_secret_text",
                "[\"grace_secret_array\"]") + "\n");
    }

    /** Every text column of every table, as one string. */
    private static String allText(Path ws) {
        try (Workspace w = Workspace.open(ws)) {
            return w.read(c -> {
                List<String> cols = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME FROM "
                        + "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND DATA_TYPE IN "
                        + "('CHARACTER VARYING', 'CHARACTER LARGE OBJECT', 'CHARACTER')")) {
                    while (rs.next()) {
                        cols.add("SELECT \"" + rs.getString(2) + "\" FROM \"" + rs.getString(1) + "\"");
                    }
                }
                StringBuilder sb = new StringBuilder();
                for (String q : cols) {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
                        while (rs.next()) {
                            sb.append(rs.getString(1)).append('\n');
                        }
                    }
                }
                assertThat(cols).as("text columns found").hasSizeGreaterThan(10);
                return sb.toString();
            });
        }
    }

    @Test
    void aPseudonymisedImportLeavesNoRawValueInTheWorkspaceFile() throws Exception {
        Path log = leakyLog();
        Path key = Files.write(dir.resolve("key"), "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        Path ws = dir.resolve("private");
        assertThat(run("import", "--db", ws.toString(), "--input", log.toString(), "--pseudonymise-key-file", key.toString(),
                "--quiet")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("2 stored").contains("7 rejected");
        for (String secret : SECRETS) {
            assertThat(out.toString()).as("printed").doesNotContain(secret);
        }
        byte[] db = Files.readAllBytes(Path.of(ws + Workspace.SUFFIX));
        for (String secret : SECRETS) {
            assertThat(indexOf(db, secret.getBytes(StandardCharsets.UTF_8))).as("%s in the workspace file", secret).isEqualTo(-1);
        }
        String text = allText(ws);
        assertThat(text).contains("invalid JSON at character 12: unrecognized token");
        for (String secret : SECRETS) {
            assertThat(text).as("%s in a text column", secret).doesNotContain(secret);
        }

        // the control: without a key the same file does leave the values in the file, so the byte scan can see them
        Path plain = dir.resolve("plain");
        assertThat(run("import", "--db", plain.toString(), "--input", log.toString(), "--quiet")).isZero();
        byte[] plainDb = Files.readAllBytes(Path.of(plain + Workspace.SUFFIX));
        assertThat(SECRETS).allSatisfy(s -> assertThat(indexOf(plainDb, s.getBytes(StandardCharsets.UTF_8))).as(s).isNotNegative());
    }

    @Test
    void aRefusedKeyFileChangesNothingAndCreatesNothing() throws Exception {
        Path ws = dir.resolve("ws");
        Path log = Files.writeString(dir.resolve("log.csv"), "user_id,timestamp,action\nu1,1700000000,view\n");
        assertThat(run("import", "--db", ws.toString(), "--input", log.toString(), "--quiet")).isZero();
        Path file = Path.of(ws + Workspace.SUFFIX);
        String before = sha256(file);
        Path folder = Files.createDirectories(dir.resolve("keys"));
        Path big = Files.write(dir.resolve("big.key"), new byte[5000]);
        Path small = Files.write(dir.resolve("small.key"), new byte[15]);
        List<String[]> cases = new ArrayList<>(List.of(
                new String[]{folder.toString(), ": is a directory, not a key file"},
                new String[]{big.toString(), ": the file has more than 4096 bytes; a key is 16 to 4096 random bytes "
                        + "(e.g. head -c 32 /dev/urandom > key)"},
                new String[]{small.toString(), ": the key has 15 bytes; use at least 16 random bytes (e.g. head -c 32 /dev/urandom > key)"},
                new String[]{dir.resolve("none").toString(), ": no such file"}));
        if (Files.exists(Path.of("/dev/zero"))) {
            cases.add(new String[]{"/dev/zero", ": is not a regular file (a device or a pipe?); the key must be a file of 16 to 4096 bytes"});
        }
        Path log2 = Files.writeString(dir.resolve("log2.csv"), "user_id,timestamp,action\nu2,1700000000,view\n");
        for (String[] c : cases) {
            for (String command : List.of("import", "labels")) {
                Path target = command.equals("import") ? ws : dir.resolve("never-made");
                int rc = run(command, "--db", target.toString(), "--input", log2.toString(), "--pseudonymise-key-file", c[0]);
                assertThat(rc).as(command + " " + c[0]).isEqualTo(1);
                assertThat(err.toString()).isEqualTo("seqwatch: --pseudonymise-key-file " + c[0] + c[1] + NL);
            }
        }
        assertThat(sha256(file)).as("workspace bytes").isEqualTo(before);
        assertThat(dir.resolve("never-made" + Workspace.SUFFIX)).doesNotExist();
    }

    @Test
    void refusedLabelFilesLeaveTheWorkspaceByteForByte() throws Exception {
        Path ws = dir.resolve("ws");
        Path log = Files.writeString(dir.resolve("log.csv"), "user_id,timestamp,action\nu1,1700000000,view\n");
        assertThat(run("import", "--db", ws.toString(), "--input", log.toString(), "--quiet")).isZero();
        Path file = Path.of(ws + Workspace.SUFFIX);
        String before = sha256(file);
        Path ok = Files.writeString(dir.resolve("ok.csv"), "u1,fraud\n");
        Path folder = Files.createDirectories(dir.resolve("labels-folder"));
        Path nul = Files.writeString(dir.resolve("nul.csv"), "u1,fraud\nu\u00001,fraud\n");
        List<String[]> cases = new ArrayList<>(List.of(
                new String[]{folder.toString(), "ana", "seqwatch: " + folder + ": is a directory, not a label file"},
                new String[]{nul.toString(), "ana", "seqwatch: " + nul + ":2: column 1: NUL byte in the user id"},
                new String[]{ok.toString(), "x".repeat(300), "seqwatch: --analyst: the analyst name has 300 characters, at most 256"}));
        if (Files.exists(Path.of("/dev/zero"))) {
            cases.add(new String[]{"/dev/zero", "ana", "seqwatch: /dev/zero: is not a regular file (a device or a pipe?)"});
        }
        for (String[] c : cases) {
            assertThat(run("labels", "--db", ws.toString(), "--input", c[0], "--analyst", c[1])).isEqualTo(1);
            assertThat(err.toString()).isEqualTo(c[2] + NL);
        }
        assertThat(sha256(file)).as("workspace bytes").isEqualTo(before);

        // a label for a user without events is stored, with a warning that counts them
        Path ghost = Files.writeString(dir.resolve("ghost.csv"), "user_id,label\nu1,fraud\nghost,fraud\n");
        assertThat(run("labels", "--db", ws.toString(), "--input", ghost.toString(), "--analyst", "ana")).isZero();
        assertThat(out.toString()).isEqualTo("appended 2 labels (0 changed a user's earlier label; history kept) by ana" + NL);
        assertThat(err.toString()).isEqualTo("seqwatch: warning: 1 labelled user has no events in this workspace (the first on line 3 of "
                + ghost + "); the labels were stored: check the user ids" + NL);
    }

    @Test
    void refusedLogsLeaveTheWorkspaceAsItWas() throws Exception {
        Path ws = dir.resolve("ws");
        Path log = Files.writeString(dir.resolve("log.csv"), "user_id,timestamp,action\nu1,1700000000,view\n");
        assertThat(run("import", "--db", ws.toString(), "--input", log.toString(), "--quiet")).isZero();
        Path file = Path.of(ws + Workspace.SUFFIX);
        String before = sha256(file);

        Path folder = Files.createDirectories(dir.resolve("a-folder.csv"));
        assertThat(run("import", "--db", ws.toString(), "--input", folder.toString(), "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: " + folder + ": is a directory, not a log file" + NL);
        if (Files.exists(Path.of("/dev/zero"))) {
            assertThat(run("import", "--db", ws.toString(), "--input", "/dev/zero", "--quiet")).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("seqwatch: /dev/zero: is not a regular file (a device or a pipe?)" + NL);
        }
        assertThat(sha256(file)).as("workspace bytes after a folder and a device").isEqualTo(before);

        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 1_000_000; i++) {
            wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        Path keys = Files.writeString(dir.resolve("wide.jsonl"), wide.append("}\n"));
        assertThat(run("import", "--db", ws.toString(), "--input", keys.toString(), "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: " + keys
                + ":1: a JSON object with more than 16,384 keys (a log line has a few): not a behaviour log" + NL);
        assertThat(sha256(file)).as("workspace bytes after the 1M-key file").isEqualTo(before);

        StringBuilder stray = new StringBuilder("user_id,timestamp,action,item_id\nq1,1700000000,view,i1\nq2,1700000001,view,\"i2\n");
        for (int i = 0; i < 998; i++) {
            stray.append("r").append(i).append(',').append(1_700_000_002L + i).append(",view,i").append(i).append('\n');
        }
        Path quote = Files.writeString(dir.resolve("stray.csv"), stray);
        assertThat(run("import", "--db", ws.toString(), "--input", quote.toString(), "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: " + quote + ": a quote opened on line 3 (column 4 'item_id') ran to line "
                + "1,001 (the end of the file) and swallowed 998 lines; nothing was imported. Fix the quote, or import with "
                + "--accept-broken-quotes to reject that record and lose those lines" + NL);
        // refused mid-read: every table is as before (the file's bytes are not: H2 wrote and removed the RUNNING import)
        try (Workspace w = Workspace.open(ws)) {
            assertThat(ImportFuzzTest.q(w, "SELECT COUNT(*) FROM import_batch")).isEqualTo(1);
            assertThat(ImportFuzzTest.q(w, "SELECT COUNT(*) FROM rejected_row")).isZero();
        }
        assertThat(run("import", "--db", ws.toString(), "--input", quote.toString(), "--accept-broken-quotes", "--quiet")).isZero();
        assertThat(out.toString()).contains("2 rows read, 1 stored, 1 rejected").contains(quote + ":3: a quote opened on line 3 "
                + "(column 4 'item_id') ran to line 1,001 (the end of the file) and swallowed 998 lines");
    }
}

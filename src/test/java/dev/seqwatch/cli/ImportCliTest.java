package dev.seqwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The import and labels commands as the README's "Command line" section documents them, on small fixtures shaped like the real logs. */
class ImportCliTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(ImportCliTest.class.getResource("/ingest/" + name).toURI());
    }

    private static final String NL = System.lineSeparator();

    @Test
    void taobaoShapedLogWithoutHeaderAndPositions() throws Exception {
        Path in = fixture("taobao-like.csv");
        String db = tmp.resolve("t").toString();
        int rc = run("import", "--db", db, "--input", in.toString(), "--no-header", "--user", "0", "--item", "1",
                "--category", "2", "--action", "3", "--time", "4", "--time-format", "epoch-s", "--quiet");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(
                "import #1 of " + in + ": 11 rows read, 8 stored, 2 rejected, 1 duplicates dropped (" + secondsIn(out) + " s)" + NL
                        + "stored 8" + NL + "rejected 2" + NL + "duplicates 1" + NL
                        + "  " + in + ":9: timestamp out of range '511700000' (reads as 1986-03-20T10:53:20Z; "
                        + "accepted 1990-01-01 to 2100-01-01) (column 5)" + NL
                        + "  " + in + ":11: missing timestamp (column 5)" + NL);
        assertThat(err.toString()).isEmpty();
    }

    private static String secondsIn(StringWriter out) {
        var m = java.util.regex.Pattern.compile("duplicates dropped \\(([0-9.]+) s\\)").matcher(out.toString());
        return m.find() ? m.group(1) : "?";
    }

    @Test
    void talkingDataShapedLogWithNamedColumns() throws Exception {
        Path in = fixture("talkingdata-like.csv");
        String db = tmp.resolve("td").toString();
        assertThat(run("import", "--db", db, "--input", in.toString(), "--user", "ip", "--action", "app",
                "--time", "click_time", "--quiet")).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("stored 4" + NL + "rejected 1" + NL + "duplicates 1" + NL)
                .contains(in + ":7: bad timestamp '2017-11-09 24:00:00': expected epoch seconds, epoch milliseconds or ISO-8601"
                        + " (column 6 'click_time')");

        // the same file again is refused in one line, and --force imports it (all duplicates)
        assertThat(run("import", "--db", db, "--input", in.toString(), "--user", "ip", "--action", "app",
                "--time", "click_time", "--quiet")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: " + in + ": this file was already imported (import #1 of talkingdata-like.csv on ")
                .endsWith(", same SHA-256); use --force to import it again" + NL);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(run("import", "--db", db, "--input", in.toString(), "--user", "ip", "--action", "app",
                "--time", "click_time", "--quiet", "--force")).isZero();
        assertThat(out.toString()).contains("stored 0" + NL + "rejected 1" + NL + "duplicates 5" + NL);
    }

    @Test
    void mappingAndOptionErrorsAreOneLineWithStatusOne() throws Exception {
        Path in = fixture("talkingdata-like.csv");
        String db = tmp.resolve("e").toString();
        assertThat(run("import", "--db", db, "--input", in.toString(), "--user", "visitor", "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: " + in + ": --user visitor: no such column in header "
                + "[ip, app, device, os, channel, click_time, attributed_time, is_attributed]" + NL);

        assertThat(run("import", "--db", db, "--input", in.toString(), "--format", "xml", "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: unknown format 'xml' (use csv, tsv or jsonl)" + NL);

        assertThat(run("import", "--db", db, "--input", in.toString(), "--zone", "Mars/Olympus", "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: Unknown time-zone ID: Mars/Olympus" + NL);

        Path none = tmp.resolve("missing.csv");
        assertThat(run("import", "--db", db, "--input", none.toString(), "--quiet")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: " + none + ": no such file" + NL);
    }

    @Test
    void patternTimestampsAndZoneFromTheCommandLine() throws Exception {
        Path in = Files.writeString(tmp.resolve("p.csv"), "user,time,action\nu1,07/11/2017 09:30,pv\nu2,07/11/2017 10:30,buy\n");
        assertThat(run("import", "--db", tmp.resolve("p").toString(), "--input", in.toString(),
                "--time-format", "dd/MM/yyyy HH:mm", "--zone", "Asia/Shanghai", "--quiet")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("stored 2" + NL + "rejected 0" + NL + "duplicates 0" + NL);
    }

    @Test
    void latin1LogsReadWithEncodingAndRejectedWithout() throws Exception {
        Path in = Files.write(tmp.resolve("l1.csv"), "user,time,action\nJ\u00fcrgen,1511544070,pv\nu2,1511544071,pv\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(run("import", "--db", tmp.resolve("a").toString(), "--input", in.toString(), "--quiet")).isZero();
        assertThat(out.toString()).contains("stored 1" + NL + "rejected 1" + NL)
                .contains(in + ":2: invalid text encoding (not UTF-8?) (column 1 'user')");
        assertThat(run("import", "--db", tmp.resolve("b").toString(), "--input", in.toString(), "--encoding", "ISO-8859-1", "--quiet"))
                .isZero();
        assertThat(out.toString()).contains("stored 2" + NL + "rejected 0" + NL);
        assertThat(run("import", "--db", tmp.resolve("c").toString(), "--input", in.toString(), "--encoding", "klingon", "--quiet"))
                .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: --encoding klingon: unknown encoding (try UTF-8, ISO-8859-1, windows-1252, GB18030)" + NL);
    }

    @Test
    void aHugeOrBrokenHeaderIsShortenedInTheMessage() throws Exception {
        StringBuilder h = new StringBuilder("c0");
        for (int i = 1; i < 40; i++) {
            h.append(",c").append(i);
        }
        h.append(',').append("x".repeat(10_000)).append('\n');
        Path in = Files.writeString(tmp.resolve("wide.csv"), h + "1,2\n");
        assertThat(run("import", "--db", tmp.resolve("w").toString(), "--input", in.toString(), "--quiet")).isEqualTo(1);
        assertThat(err.toString()).hasSizeLessThan(400).startsWith("seqwatch: " + in + ": cannot find the user column in header [c0, c1, ")
                .contains("c29, ... (41 columns)]");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void pseudonymisedEventsAndLabelsMeetUnderTheSamePseudonym() throws Exception {
        Path key = Files.write(tmp.resolve("key"), "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path in = Files.writeString(tmp.resolve("e.csv"), "user,time,action\nalice,1511544070,pv\nbob,1511544071,pv\n");
        Path labels = Files.writeString(tmp.resolve("l.csv"), "alice,fraud,scripted_bot\n");
        Path db = tmp.resolve("p");
        assertThat(run("import", "--db", db.toString(), "--input", in.toString(), "--pseudonymise-key-file", key.toString(), "--quiet")).isZero();
        assertThat(run("labels", "--db", db.toString(), "--input", labels.toString(), "--pseudonymise-key-file", key.toString())).isZero();
        try (var ws = dev.seqwatch.store.Workspace.open(db)) {
            var users = ws.read(c -> new dev.seqwatch.store.EventDao().loadAll(c, dev.seqwatch.common.ProgressListener.NONE));
            var current = ws.read(c -> new dev.seqwatch.store.LabelDao().current(c));
            var all = ws.read(c -> new dev.seqwatch.store.LabelDao().all(c));
            assertThat(all).singleElement().satisfies(l -> {
                assertThat(l.userId()).matches("p[0-9a-f]{32}");
                assertThat(users.toString()).doesNotContain("alice");
            });
            String pseudonym = all.get(0).userId();
            var labelled = ws.read(c -> new dev.seqwatch.store.EventDao().loadUsers(c, List.of(pseudonym)));
            assertThat(labelled.totalEvents()).isEqualTo(1);
            assertThat(current.get(pseudonym).fraud()).isTrue();
        }

        Path shortKey = Files.writeString(tmp.resolve("short"), "abc");
        assertThat(run("import", "--db", db.toString(), "--input", in.toString(), "--pseudonymise-key-file", shortKey.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: --pseudonymise-key-file " + shortKey
                + ": the key has 3 bytes; use at least 16 random bytes (e.g. head -c 32 /dev/urandom > key)" + NL);
        Path noKey = tmp.resolve("nokey");
        assertThat(run("labels", "--db", db.toString(), "--input", labels.toString(), "--pseudonymise-key-file", noKey.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: --pseudonymise-key-file " + noKey + ": no such file" + NL);
    }

    @Test
    void moreThanTwentyRejectionsArePrintedAsTwentyAndACount() throws Exception {
        StringBuilder sb = new StringBuilder("user,time,action\nu0,1511544070,pv\n");
        for (int i = 1; i <= 25; i++) {
            sb.append('u').append(i).append(",t").append(i).append(",pv\n");
        }
        Path in = Files.writeString(tmp.resolve("many.csv"), sb.toString());
        Path db = tmp.resolve("m");
        assertThat(run("import", "--db", db.toString(), "--input", in.toString(), "--quiet")).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1 + 3 + 20 + 1);
        assertThat(lines.get(4)).isEqualTo("  " + in + ":3: bad timestamp 't1': expected epoch seconds, epoch milliseconds or ISO-8601 (column 2 'time')");
        assertThat(lines.get(23)).startsWith("  " + in + ":22: bad timestamp 't20'");
        assertThat(lines.get(24)).isEqualTo("  ... 5 more rejected rows are kept in the workspace");
        try (var ws = dev.seqwatch.store.Workspace.open(db)) {
            var kept = ws.read(c -> new dev.seqwatch.store.ImportDao().rejected(c, 1, 100));
            assertThat(kept).hasSize(25);
            assertThat(kept.get(24).lineNo()).isEqualTo(27);
            assertThat(kept.get(24).raw()).isEqualTo("u25,t25,pv");
        }
    }

    @Test
    void labelsCommandAppendsAndSaysSo() throws Exception {
        String db = tmp.resolve("l").toString();
        dev.seqwatch.store.Workspace.open(Path.of(db)).close(); // labels go into an existing workspace; only import creates one
        Path a = Files.writeString(tmp.resolve("a.csv"), "user_id,label,fraud_type\n101,fraud,click_farming\n102,0\n");
        assertThat(run("labels", "--db", db, "--input", a.toString(), "--analyst", "ana")).isZero();
        assertThat(out.toString()).isEqualTo("appended 2 labels (0 changed a user's earlier label; history kept) by ana" + NL);
        Path b = Files.writeString(tmp.resolve("b.csv"), "102,fraud\n103,maybe\n");
        assertThat(run("labels", "--db", db, "--input", b.toString(), "--analyst", "ana")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: " + b + ":2: column 2: label 'maybe' is not normal, fraud, 0 or 1" + NL);
        Path c = Files.writeString(tmp.resolve("c.csv"), "102,fraud\n");
        assertThat(run("labels", "--db", db, "--input", c.toString(), "--analyst", "ben")).isZero();
        assertThat(out.toString()).isEqualTo("appended 1 labels (1 changed a user's earlier label; history kept) by ben" + NL);
    }
}

package dev.seqwatch.ingest;

import dev.seqwatch.common.UserFacingException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.seqwatch.ingest.ImportFixtures.count;
import static dev.seqwatch.ingest.ImportFixtures.events;
import static dev.seqwatch.ingest.ImportFixtures.rejections;
import static dev.seqwatch.ingest.ImportFixtures.run;
import static dev.seqwatch.ingest.ImportFixtures.snapshot;
import static dev.seqwatch.ingest.ImportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files that look like logs but would lose or fake data silently: a stray quote that swallows the
 * rest of the file, an epoch time that overflows, duplicate JSON keys, invisible characters in ids,
 * JSON objects with a million keys. Raw-byte checks of the workspace file are in
 * {@code dev.seqwatch.reliability.HostileInputsTest}.
 */
class HostileImportTest extends FreshWorkspaceTest {
    private static final String HEADER = "user_id,timestamp,action,item_id\n";

    /** The file: header, a good row, a row with a stray quote, then 998 good rows (1,001 lines). */
    private Path strayQuoteFile() {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("q1,1700000000,view,i1\n");
        sb.append("q2,1700000001,view,\"i2\n");
        for (int i = 0; i < 998; i++) {
            sb.append("r").append(i).append(',').append(1_700_000_002L + i).append(",view,i").append(i).append('\n');
        }
        return utf8(tmp, "stray.csv", sb.toString());
    }

    @Test
    void aStrayQuoteThatSwallowsTheRestOfTheFileRefusesIt() {
        utf8(tmp, "first.csv", HEADER + "u1,1700000000,view,i1\n");
        run(ws, tmp.resolve("first.csv"), ImportOptions.defaults());
        List<String> before = snapshot(ws);
        Path f = strayQuoteFile();
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults())).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": a quote opened on line 3 (column 4 'item_id') ran to line 1,001 (the end of the file) and "
                        + "swallowed 998 lines; nothing was imported. Fix the quote, or import with --accept-broken-quotes to "
                        + "reject that record and lose those lines");
        assertThat(snapshot(ws)).isEqualTo(before);
        assertThat(count(ws, "import_batch")).isEqualTo(1);
    }

    @Test
    void withAcceptBrokenQuotesTheSwallowingRecordIsOneRejectedRowWithTheSameReason() {
        Path f = strayQuoteFile();
        ImportResult r = run(ws, f, ImportOptions.defaults().withAcceptBrokenQuotes(true));
        assertThat(r.rowsRead()).isEqualTo(2);
        assertThat(r.stored()).isEqualTo(1);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "3: a quote opened on line 3 (column 4 'item_id') ran to line 1,001 (the end of the file) and swallowed 998 lines");
    }

    @Test
    void aStrayQuoteClosedByAQuoteFarBelowIsCaughtToo() {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("q1,1700000000,view,\"i1\n");                    // line 2: opens
        for (int i = 0; i < 30; i++) {
            sb.append("r").append(i).append(',').append(1_700_000_002L + i).append(",view,i").append(i).append('\n');
        }
        sb.append("z1,1700000100,view,\"a,b\"\n");                 // line 33: its first quote closes line 2's
        sb.append("z2,1700000101,view,i9\n");
        Path f = utf8(tmp, "far.csv", sb.toString());
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults()))
                .hasMessageStartingWith(f + ": a quote opened on line 2 (column 4 'item_id') was closed only on line 33 and "
                        + "swallowed 31 lines; nothing was imported.");
        assertThat(count(ws, "import_batch")).isZero();
    }

    @Test
    void quotedFieldsOverAFewLinesStillImport() {
        // an unmapped note over 20 lines (the most a record may span), CRLF line ends, a blank line inside
        String note = "\"" + "line\r\n".repeat(18) + "\r\nend\"";
        Path f = utf8(tmp, "notes.csv", "user_id,timestamp,action,note\r\n"
                + "u1,1700000000,view," + note + "\r\n"
                + "u2,1700000001,view,\"two\nlines\"\r\n"
                + "u3,1700000002,view,last\r\n");
        ImportResult r = run(ws, f, ImportOptions.defaults());
        assertThat(r.stored()).isEqualTo(3);
        assertThat(r.rejected()).isZero();
        // one line more and the record is a broken quote
        Path g = utf8(tmp, "long-note.csv", "user_id,timestamp,action,note\n"
                + "u1,1700000000,view,\"" + "line\n".repeat(20) + "end\"\nu2,1700000001,view,x\n");
        assertThatThrownBy(() -> run(ws, g, ImportOptions.defaults()))
                .hasMessageStartingWith(g + ": a quote opened on line 2 (column 4 'note') was closed only on line 22 and swallowed 20 lines;");
    }

    @Test
    void aQuoteOpenAtTheEndOfTheLastLineLosesNothingAndIsNotABrokenFile() {
        // the file ends inside a quote, but on the line where the quote opened: nothing was swallowed
        Path f = utf8(tmp, "end.csv", HEADER + "u1,1700000000,view,i1\nu2,1700000001,view,\"i2");
        ImportResult r = run(ws, f, ImportOptions.defaults());
        assertThat(r.stored()).isEqualTo(2);
        // a headerless TSV names the column by number
        Path g = utf8(tmp, "end.tsv", "u1\t1700000000\tview\t\"i1\nu2\t1700000001\tview\ti2\n");
        ImportOptions noHeader = ImportOptions.defaults().withHeader(false).withMapping(ColumnMapping.auto()
                .set(Field.USER, "0").set(Field.TIME, "1").set(Field.ACTION, "2").set(Field.ITEM, "3"));
        assertThatThrownBy(() -> run(ws, g, noHeader)).hasMessageStartingWith(
                g + ": a quote opened on line 1 (column 4) ran to line 2 (the end of the file) and swallowed 1 lines;");
    }

    @Test
    void pseudonymisedImportsStoreReasonsWithoutValues() {
        Path f = utf8(tmp, "p.jsonl", String.join("\n",
                "{\"user_id\":\"u1\",\"ts\":1700000000,\"action\":\"view\",\"amount\":\"1.5\"}",
                "{\"user_id\":alice_secret_id,\"ts\":1700000001,\"action\":\"view\"}",
                "{\"user_id\":\"u2\",\"ts\":\"bob_secret_time\",\"action\":\"view\"}",
                "{\"user_id\":\"u3\",\"ts\":1700000002,\"action\":\"view\",\"amount\":\"carol_secret_amount\"}",
                "{\"user_id\":\"u4\",\"ts\":99,\"action\":\"view\"}",
                "{\"user_id\":\"u5\",\"ts\":1700000003,\"action\":\"view\",\"amount\":\"-7.25\"}",
                "{\"user_id\":\"dave_secret\",\"user_id\":\"u6\",\"ts\":1700000004,\"action\":\"view\"}",
                "{\"user_id\":\"eve\\u200bsecret\",\"ts\":1700000005,\"action\":\"view\"}",
                "{\"user_id\":\"u7\",\"ts\":\"+999999999-12-31T23:59:59Z\",\"action\":\"view\"}",
                "[\"frank_secret\"]",
                "{\"user_id\":\"u8\",\"ts\":1700000006,\"action\":\"view\"} \"grace_secret\"",
                "{\"user_id\":\"heidi_secret"));
        ImportResult r = run(ws, f, ImportOptions.defaults().withPseudonymKey("0123456789abcdef-key".getBytes()));
        assertThat(r.stored()).isEqualTo(1);
        assertThat(ImportFixtures.rows(ws, "SELECT line_no, reason, raw FROM rejected_row ORDER BY line_no")).containsExactly(
                "2|invalid JSON at character 12: unrecognized token|null",
                "3|unparsable timestamp: expected epoch seconds, epoch milliseconds or ISO-8601 (key 'ts')|null",
                "4|unparsable amount (key 'amount')|null",
                "5|timestamp out of range (accepted 1990-01-01 to 2100-01-01) (key 'ts')|null",
                "6|negative amount (key 'amount')|null",
                "7|invalid JSON at character 35: duplicate key|null",
                "8|invisible character U+200B (key 'user_id')|null",
                "9|timestamp out of range (accepted 1990-01-01 to 2100-01-01) (key 'ts')|null",
                "10|not a JSON object|null",
                "11|invalid JSON: text after the object|null",
                "12|invalid JSON at character 25: unexpected end of line|null");
        String all = String.join("\n", ImportFixtures.rows(ws, "SELECT line_no, reason, raw FROM rejected_row"));
        assertThat(all).doesNotContain("secret", "1.5", "-7.25", "'99'", "999999999");
    }

    @Test
    void aHeaderCellOfAColumnMappedByPositionIsNotQuotedWhenPseudonymising() {
        // the "header" is really a data row; the user column is given by position
        Path f = utf8(tmp, "h.csv", "alice_secret,1700000000,view\nu1,1700000001,view\nu\u00002,1700000002,view\nu3,never,view\n");
        ImportOptions o = ImportOptions.defaults().withPseudonymKey("0123456789abcdef-key".getBytes())
                .withMapping(ColumnMapping.auto().set(Field.USER, "0").set(Field.TIME, "1").set(Field.ACTION, "2"));
        ImportResult r = run(ws, f, o);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "3: NUL byte (column 1)",
                "4: unparsable timestamp: expected epoch seconds, epoch milliseconds or ISO-8601 (column 2)");
    }

    @Test
    void withoutPseudonymisationReasonsStillQuoteTheValue() {
        Path f = utf8(tmp, "q.jsonl", String.join("\n",
                "{\"user_id\":\"u1\",\"ts\":1700000000,\"action\":\"view\"}",
                "{\"user_id\":alice,\"ts\":1700000001,\"action\":\"view\"}",
                "{\"user_id\":\"x\",\"user_id\":\"u6\",\"ts\":1700000004,\"action\":\"view\"}"));
        ImportResult r = run(ws, f, ImportOptions.defaults());
        assertThat(rejections(ws, r.importId())).containsExactly(
                "2: invalid JSON at character 12: Unrecognized token 'alice': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "3: invalid JSON at character 25: duplicate key 'user_id' (a key may appear once per object)");
    }

    @Test
    void anEpochTimeThatOverflowsIsOneBadRowNotAFailedImport() {
        Path f = utf8(tmp, "far.csv", "user_id,timestamp,action\n"
                + "u1,1700000000,view\n"
                + "u2,+999999999-12-31T23:59:59Z,view\n"
                + "u3,-999999999-01-01T00:00:00Z,view\n"
                + "u4,9223372036854775807,view\n"
                + "u5,99999999999999999999999,view\n"
                + "u6,9000000000000001.5,view\n"
                + "u7,1700000000000000,view\n"          // microseconds, read as milliseconds
                + "u8,+999999999-12-31T23:59:59,view\n"
                + "u9,1700000001,view\n");
        ImportResult r = run(ws, f, ImportOptions.defaults());
        assertThat(r.stored()).isEqualTo(2);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "3: timestamp out of range '+999999999-12-31T23:59:59Z' (beyond any epoch time; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "4: timestamp out of range '-999999999-01-01T00:00:00Z' (beyond any epoch time; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "5: timestamp out of range '9223372036854775807' (reads as +292278994-08-17T07:12:55.807Z; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "6: timestamp out of range '99999999999999999999999' (beyond any epoch time; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "7: timestamp out of range '9000000000000001.5' (beyond any epoch time; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "8: timestamp out of range '1700000000000000' (reads as +55840-11-08T22:13:20Z; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "9: timestamp out of range '+999999999-12-31T23:59:59' (beyond any epoch time; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')");
    }

    @Test
    void invisibleAndFormatCharactersInIdsRejectTheRowNamingTheCharacter() {
        String[][] cases = {
                {"\uFEFFu1", "invisible character U+FEFF (column 1 'user_id')"},
                {"u\u200B1", "invisible character U+200B (column 1 'user_id')"},
                {"u\u200C1", "invisible character U+200C (column 1 'user_id')"},
                {"u\u200D1", "invisible character U+200D (column 1 'user_id')"},
                {"u\u20601", "invisible character U+2060 (column 1 'user_id')"},
                {"u\u202E1", "invisible character U+202E (column 1 'user_id')"},
                {"u\u20661", "invisible character U+2066 (column 1 'user_id')"},
                {"u\u200F1", "invisible character U+200F (column 1 'user_id')"},
                {"u\u00AD1", "invisible character U+00AD (column 1 'user_id')"},
                {"u\u20281", "invisible character U+2028 (column 1 'user_id')"},
                {"u\u00851", "control character U+0085 (column 1 'user_id')"},
                {"u\u00001", "NUL byte (column 1 'user_id')"},
                {"u\uDB40\uDC011", "invisible character U+E0001 (column 1 'user_id')"},
        };
        StringBuilder sb = new StringBuilder("user_id,timestamp,action,item_id\nu1,1700000000,view,i1\n");
        for (int i = 0; i < cases.length; i++) {
            sb.append(cases[i][0]).append(',').append(1_700_000_001L + i).append(",view,i1\n");
        }
        sb.append("u1,1700000100,view,i\u200B1\n");                 // also in other columns
        sb.append("caf\u00e9 \u4e2d\u6587 \uD83D\uDE00,1700000101,view,i1\n");  // visible non-ASCII is fine
        ImportResult r = run(ws, utf8(tmp, "inv.csv", sb.toString()), ImportOptions.defaults());
        assertThat(r.stored()).isEqualTo(2);
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < cases.length; i++) {
            expected.add((i + 3) + ": " + cases[i][1]);
        }
        expected.add((cases.length + 3) + ": invisible character U+200B (column 4 'item_id')");
        assertThat(rejections(ws, r.importId())).containsExactlyElementsOf(expected);
        assertThat(events(ws)).extracting(e -> e.substring(0, e.indexOf('|')))
                .containsExactlyInAnyOrder("u1", "caf\u00e9 \u4e2d\u6587 \uD83D\uDE00");
    }

    @Test
    void aFirstJsonLineWithAMillionKeysRefusesTheFileBeforeAnythingIsWritten() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 1_000_000; i++) {
            sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        sb.append("}\n{\"user_id\":\"u1\",\"ts\":1700000000,\"action\":\"view\"}\n");
        Path f = utf8(tmp, "wide.jsonl", sb.toString());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults()))
                .hasMessage(f + ":1: a JSON object with more than 16,384 keys (a log line has a few): not a behaviour log");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to refuse").isLessThan(5_000);
        assertThat(count(ws, "import_batch")).isZero();
        // many lines with fewer keys each, together too many for a header
        StringBuilder many = new StringBuilder();
        for (int line = 0; line < 20; line++) {
            many.append('{');
            for (int i = 0; i < 1000; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(line).append('_').append(i).append("\":1");
            }
            many.append("}\n");
        }
        Path g = utf8(tmp, "many.jsonl", many.toString());
        assertThatThrownBy(() -> run(ws, g, ImportOptions.defaults()))
                .hasMessage(g + ":17: the first lines hold more than 16,384 different keys (a log line has a few): not a behaviour log");
    }

    @Test
    void aWideJsonObjectAfterTheFirstLinesIsOneRejectedRow() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("{\"user_id\":\"u").append(i).append("\",\"ts\":").append(1_700_000_000L + i).append(",\"action\":\"view\"}\n");
        }
        sb.append("{\"user_id\":\"w\",\"ts\":1700009999,\"action\":\"view\"");
        for (int i = 0; i < 20_000; i++) {
            sb.append(",\"k").append(i).append("\":1");
        }
        sb.append("}\n");
        ImportResult r = run(ws, utf8(tmp, "late.jsonl", sb.toString()), ImportOptions.defaults());
        assertThat(r.stored()).isEqualTo(1000);
        assertThat(rejections(ws, r.importId())).containsExactly("1001: a JSON object with more than 16,384 keys");
    }
}

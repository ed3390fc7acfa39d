package dev.seqwatch.ingest;

import dev.seqwatch.common.UserFacingException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static dev.seqwatch.ingest.ImportFixtures.bytes;
import static dev.seqwatch.ingest.ImportFixtures.concat;
import static dev.seqwatch.ingest.ImportFixtures.count;
import static dev.seqwatch.ingest.ImportFixtures.events;
import static dev.seqwatch.ingest.ImportFixtures.rejections;
import static dev.seqwatch.ingest.ImportFixtures.rows;
import static dev.seqwatch.ingest.ImportFixtures.run;
import static dev.seqwatch.ingest.ImportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed logs: exact stored / rejected / duplicate counts and the exact reason of every rejected row. */
class MalformedFileTest extends FreshWorkspaceTest {
    private static final String HEADER = "user_id,timestamp,action,item_id,category_id,amount\n";
    private static final ImportOptions EPOCH_S = ImportOptions.defaults().withTimeFormat("epoch-s");

    @Test
    void everyRejectionReasonIsKeptWithItsLineAndColumn() {
        byte[] latin1Row = "u13,1511544070,pv,i1,caf\u00e9,\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = bytes(tmp, "all-reasons.csv", concat((HEADER
                + "u1,1511544070,pv,i1,c1,\n"                      // 2 good
                + "u2,1511544070,pv\n"                             // 3
                + ",1511544070,pv,i1,c1,\n"                        // 4
                + "u4,,pv,i1,c1,\n"                                // 5
                + "u5,1511544070,  ,i1,c1,\n"                      // 6
                + "u6,yesterday,pv,i1,c1,\n"                       // 7
                + "u7,99,pv,i1,c1,\n"                              // 8
                + "x".repeat(300) + ",1511544070,pv,i1,c1,\n"      // 9
                + "u9,1511544070," + "a".repeat(129) + ",i1,c1,\n" // 10
                + "u10,1511544070,pv,i\u00001,c1,\n"               // 11
                + "u11,1511544070,p\u0007v,i1,c1,\n"               // 12
                + "u12,1511544070,buy,i1,c1,\"12,50\"\n"           // 13
                ).getBytes(StandardCharsets.UTF_8), latin1Row,     // 14
                ("u14,1511544070,buy,i1,c1,NaN\n"                  // 15
                + "u15,1511544070,buy,i1,c1,-3.5\n"                // 16
                + "u16,1511544070,buy,i1,c1,19.99\n"               // 17 good
                + "u17," + "1".repeat(70) + ",pv,i1,c1,\n"         // 18
                + "u18,1511544070,pv,i1,c1,,extra\n"               // 19
                + "u19,1511544070,pv,i1,c1,abc\n"                  // 20
                + "u20,1511544070000,pv,i1,c1,\n"                  // 21
                ).getBytes(StandardCharsets.UTF_8)));

        ImportResult r = run(ws, f, EPOCH_S);

        assertThat(r.rowsRead()).isEqualTo(20);
        assertThat(r.stored()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(18);
        assertThat(r.duplicates()).isZero();
        List<String> expected = List.of(
                "3: wrong column count: expected 6, found 3",
                "4: missing user id (column 1 'user_id')",
                "5: missing timestamp (column 2 'timestamp')",
                "6: missing action (column 3 'action')",
                "7: bad timestamp 'yesterday': expected epoch seconds (column 2 'timestamp')",
                "8: timestamp out of range '99' (reads as 1970-01-01T00:01:39Z; accepted 1990-01-01 to 2100-01-01) (column 2 'timestamp')",
                "9: field too long: 300 characters, at most 256 (column 1 'user_id')",
                "10: field too long: 129 characters, at most 128 (column 3 'action')",
                "11: NUL byte (column 4 'item_id')",
                "12: control character U+0007 (column 3 'action')",
                "13: unparsable amount '12,50' (column 6 'amount')",
                "14: invalid text encoding (not UTF-8?) (column 5 'category_id')",
                "15: unparsable amount 'NaN' (not a finite number) (column 6 'amount')",
                "16: negative amount '-3.5' (column 6 'amount')",
                "18: bad timestamp (70 characters) (column 2 'timestamp')",
                "19: wrong column count: expected 6, found 7",
                "20: unparsable amount 'abc' (column 6 'amount')",
                "21: timestamp out of range '1511544070000' (reads as " + java.time.Instant.ofEpochMilli(1_511_544_070_000_000L) + "; accepted 1990-01-01 to 2100-01-01; "
                        + "milliseconds? use --time-format epoch-ms) (column 2 'timestamp')");
        assertThat(rejections(ws, r.importId())).containsExactlyElementsOf(expected);
        assertThat(r.firstRejections()).extracting(x -> x.line() + ": " + x.reason()).containsExactlyElementsOf(expected);
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "u1|1511544070000|pv|i1|c1|null",
                "u16|1511544070000|buy|i1|c1|19.99");
        // the raw text of a rejected row is kept for the analyst, NUL bytes made visible
        assertThat(rows(ws, "SELECT raw FROM rejected_row WHERE line_no = 3")).containsExactly("u2,1511544070,pv");
        assertThat(rows(ws, "SELECT raw FROM rejected_row WHERE line_no = 11")).containsExactly("u10,1511544070,pv,i\uFFFD1,c1,");
    }

    @Test
    void anEmptyFileIsRefusedAndLeavesNoImport() {
        Path f = bytes(tmp, "empty.csv", new byte[0]);
        assertThatThrownBy(() -> run(ws, f, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": the file is empty");
        assertThat(count(ws, "import_batch")).isZero();
    }

    @Test
    void aFileOfBlankLinesIsEmptyToo() {
        Path f = utf8(tmp, "blank.csv", "\n\r\n\n");
        assertThatThrownBy(() -> run(ws, f, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": the file is empty (blank lines only)");
        Path j = utf8(tmp, "blank.jsonl", "\n\n");
        assertThatThrownBy(() -> run(ws, j, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessage(j + ": the file is empty (blank lines only)");
        assertThat(count(ws, "import_batch")).isZero();
    }

    @Test
    void aHeaderWithoutRowsIsRefused() {
        Path f = utf8(tmp, "header-only.csv", HEADER);
        assertThatThrownBy(() -> run(ws, f, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": the file has a header but no data rows");
        assertThat(count(ws, "import_batch")).isZero();
        assertThat(count(ws, "rejected_row")).isZero();
    }

    @Test
    void binaryGarbageIsRefusedInOneReadableLine() {
        byte[] junk = new byte[20_000];
        new Random(1).nextBytes(junk);
        Path f = bytes(tmp, "garbage.csv", junk);
        assertThatThrownBy(() -> run(ws, f, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": not a text log (binary data near the start of the file); expected CSV, TSV or JSON lines");
        assertThat(count(ws, "import_batch")).isZero();
        assertThat(count(ws, "event_block")).isZero();
    }

    @Test
    void aZipFileIsBinaryToo() throws Exception {
        Path f = tmp.resolve("events.csv");
        try (var z = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(f))) {
            z.putNextEntry(new java.util.zip.ZipEntry("events.csv"));
            byte[] noise = new byte[5000];
            new Random(2).nextBytes(noise);
            z.write(noise);
        }
        assertThatThrownBy(() -> run(ws, f, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessageEndingWith("not a text log (binary data near the start of the file); expected CSV, TSV or JSON lines");
    }

    @Test
    void everyRowBadFailsTheImportWithTheFirstReasonAndStoresNothing() {
        Path f = utf8(tmp, "all-bad.csv", HEADER + "u1,soon,pv,,,\nu2,later,pv,,,\n");
        assertThatThrownBy(() -> run(ws, f, EPOCH_S)).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": no valid rows, all 2 were rejected; first: line 2: bad timestamp 'soon': expected epoch seconds (column 2 'timestamp')");
        assertThat(count(ws, "import_batch")).isZero();
        assertThat(count(ws, "rejected_row")).isZero();
        assertThat(count(ws, "event_block")).isZero();
    }

    @Test
    void tenThousandCharacterFieldsAreRejectedByLengthAndKeptBounded() {
        String huge = "z".repeat(10_000);
        Path f = utf8(tmp, "long.csv", "user_id,timestamp,action,item_id,note\n"
                + huge + ",1511544070,pv,i1,n\n"
                + "u2," + huge + ",pv,i1,n\n"
                + "u3,1511544070," + huge + ",i1,n\n"
                + "u4,1511544070,pv," + huge + ",n\n"
                + "u5,1511544070,pv,i5," + huge + "\n");   // an unmapped column may be long
        ImportResult r = run(ws, f, EPOCH_S);
        assertThat(r.stored()).isEqualTo(1);
        assertThat(r.rejected()).isEqualTo(4);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "2: field too long: 10000 characters, at most 256 (column 1 'user_id')",
                "3: bad timestamp (10000 characters) (column 2 'timestamp')",
                "4: field too long: 10000 characters, at most 128 (column 3 'action')",
                "5: field too long: 10000 characters, at most 256 (column 4 'item_id')");
        assertThat(rows(ws, "SELECT MAX(LENGTH(raw)) FROM rejected_row")).containsExactly("2048");
        assertThat(events(ws)).containsExactlyInAnyOrder("u5|1511544070000|pv|i5|null|null");
    }

    @Test
    void latin1BytesInsideAUtf8FileRejectOnlyTheirRows() {
        byte[] head = ("user_id,timestamp,action,item_id\n"
                + "u1,1511544070,caf\u00e9,i1\n").getBytes(StandardCharsets.UTF_8);
        byte[] latin = "u2,1511544071,caf\u00e9,i1\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] latinInUser = "J\u00fcrgen,1511544072,pv,i1\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "u4,1511544073,pv,\u5546\u54c1\n".getBytes(StandardCharsets.UTF_8);
        Path f = bytes(tmp, "mixed.csv", concat(head, latin, latinInUser, tail));
        ImportResult r = run(ws, f, EPOCH_S);
        assertThat(r.stored()).isEqualTo(2);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "3: invalid text encoding (not UTF-8?) (column 3 'action')",
                "4: invalid text encoding (not UTF-8?) (column 1 'user_id')");
        assertThat(events(ws)).containsExactlyInAnyOrder("u1|1511544070000|caf\u00e9|i1|null|null", "u4|1511544073000|pv|\u5546\u54c1|null|null");
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumn() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path withHeader = bytes(tmp, "bom.csv", concat(bom, (HEADER + "u1,1511544070,pv,i1,c1,\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(run(ws, withHeader, EPOCH_S).stored()).isEqualTo(1);

        Path noHeader = bytes(tmp, "bom-noheader.csv", concat(bom, "u2,1511544071,pv\n".getBytes(StandardCharsets.UTF_8)));
        ColumnMapping pos = ColumnMapping.auto().set(Field.USER, "0").set(Field.TIME, "1").set(Field.ACTION, "2");
        assertThat(run(ws, noHeader, EPOCH_S.withHeader(false).withMapping(pos)).stored()).isEqualTo(1);

        Path json = bytes(tmp, "bom.jsonl", concat(bom, "{\"user\":\"u3\",\"ts\":1511544072,\"action\":\"pv\"}\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(run(ws, json, EPOCH_S).stored()).isEqualTo(1);

        assertThat(events(ws)).containsExactlyInAnyOrder(
                "u1|1511544070000|pv|i1|c1|null", "u2|1511544071000|pv|null|null|null", "u3|1511544072000|pv|null|null|null");
    }

    @Test
    void utf16FilesWithAByteOrderMarkAreRead() {
        String text = "user_id,timestamp,action,item_id\nu1,1511544070,pv,\u5546\u54c1\nu2,1511544071,buy,i2\n";
        Path le = bytes(tmp, "le.csv", concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE)));
        Path be = bytes(tmp, "be.csv", concat(new byte[]{(byte) 0xFE, (byte) 0xFF},
                text.replace("u1", "u3").replace("u2", "u4").getBytes(StandardCharsets.UTF_16BE)));
        ImportResult a = run(ws, le, EPOCH_S);
        ImportResult b = run(ws, be, EPOCH_S);
        assertThat(a.stored()).isEqualTo(2);
        assertThat(b.stored()).isEqualTo(2);
        assertThat(a.rejected() + b.rejected()).isZero();
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "u1|1511544070000|pv|\u5546\u54c1|null|null", "u2|1511544071000|buy|i2|null|null",
                "u3|1511544070000|pv|\u5546\u54c1|null|null", "u4|1511544071000|buy|i2|null|null");
    }

    @Test
    void utf16WithoutAByteOrderMarkIsRecognisedToo() {
        String text = "user_id,timestamp,action\nu1,1511544070,pv\n";
        Path le = bytes(tmp, "le-nobom.csv", text.getBytes(StandardCharsets.UTF_16LE));
        ImportResult r = run(ws, le, EPOCH_S);
        assertThat(r.stored()).isEqualTo(1);
        assertThat(events(ws)).containsExactlyInAnyOrder("u1|1511544070000|pv|null|null|null");
    }
}

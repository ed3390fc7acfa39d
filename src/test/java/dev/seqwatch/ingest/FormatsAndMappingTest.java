package dev.seqwatch.ingest;

import dev.seqwatch.common.UserFacingException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.seqwatch.ingest.ImportFixtures.count;
import static dev.seqwatch.ingest.ImportFixtures.events;
import static dev.seqwatch.ingest.ImportFixtures.rejections;
import static dev.seqwatch.ingest.ImportFixtures.run;
import static dev.seqwatch.ingest.ImportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CSV, TSV and JSON lines; quoting; header or positions; auto-detected and explicit mappings. */
class FormatsAndMappingTest extends FreshWorkspaceTest {
    private static ColumnMapping map(String user, String time, String action) {
        return ColumnMapping.auto().set(Field.USER, user).set(Field.TIME, time).set(Field.ACTION, action);
    }

    @Test
    void quotedFieldsMayHoldSeparatorsQuotesAndNewlines() {
        Path f = utf8(tmp, "quoted.csv", "user_id,timestamp,action,item_id,note\r\n"
                + "u1,1511544070,\"add, to cart\",\"i\"\"1\",\"line one\nline two, still the note\"\r\n"
                + "u2,1511544071,pv,i2,\"three\nline\nnote\"\r\n"
                + "u3,bad,pv,i3,x\r\n"
                + "u4,1511544072,\"multi\nline action\",i4,\r\n");
        ImportResult r = run(ws, f, ImportOptions.defaults());
        assertThat(r.rowsRead()).isEqualTo(4);
        assertThat(r.stored()).isEqualTo(2);
        // line numbers count physical lines, so rows after multi-line fields are still found in an editor
        assertThat(rejections(ws, r.importId())).containsExactly(
                "7: bad timestamp 'bad': expected epoch seconds, epoch milliseconds or ISO-8601 (column 2 'timestamp')",
                "8: control character U+000A (column 3 'action')");
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "u1|1511544070000|add, to cart|i\"1|null|null",
                "u2|1511544071000|pv|i2|null|null");
    }

    @Test
    void tabSeparatedFilesAreDetectedByNameAndByContent() {
        String tsv = "uid\tts\tevent\titemid\tprice\n"
                + "u1\t2017-11-24T10:00:00Z\tview\ti1\t\n"
                + "u1\t2017-11-24T10:05:00Z\tbuy\ti1\t12.5\n"
                + "u2\t2017-11-24T10:06:00Z\tview,cart\ti2\t\n"
                + "u3\t2017-11-24T10:07:00Z\tview\n";
        ImportResult byName = run(ws, utf8(tmp, "log.tsv", tsv), ImportOptions.defaults());
        assertThat(byName.format()).isEqualTo(LogFormat.TSV);
        assertThat(byName.stored()).isEqualTo(3);
        assertThat(rejections(ws, byName.importId())).containsExactly("5: wrong column count: expected 5, found 3");
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "u1|1511517600000|view|i1|null|null",
                "u1|1511517900000|buy|i1|null|12.5",
                "u2|1511517960000|view,cart|i2|null|null");

        ImportResult byContent = run(ws, utf8(tmp, "log.txt", tsv.replace("\nu", "\nw")), ImportOptions.defaults());
        assertThat(byContent.format()).isEqualTo(LogFormat.TSV);
        assertThat(byContent.stored()).isEqualTo(3);
    }

    @Test
    void jsonLinesWithABrokenLine() {
        Path f = utf8(tmp, "events.jsonl", ""
                + "{\"user\":\"u1\",\"ts\":\"2017-11-24T10:00:00Z\",\"action\":\"view\",\"item\":17,\"amount\":null}\n"
                + "{\"user\":\"u1\",\"ts\":\"2017-11-24T10:05:00Z\",\"action\":\"buy\",\"item\":17,\"amount\":9.5,\"extra\":{\"a\":[1,2]}}\n"
                + "{\"user\":\"u2\",\"ts\":\"2017-11-24T10:06:00Z\",\"action\":\"vi\n"
                + "\n"
                + "[1,2,3]\n"
                + "{\"ts\":\"2017-11-24T10:07:00Z\",\"action\":\"view\"}\n"
                + "{\"user\":{\"id\":5},\"ts\":\"2017-11-24T10:07:00Z\",\"action\":\"view\"}\n"
                + "{\"user\":\"u3\",\"ts\":\"2017-11-24T10:08:00Z\",\"action\":\"view\"} trailing\n"
                + "{\"user\":\"u4\",\"ts\":\"2017-11-24T10:09:00Z\",\"action\":\"cart\",\"amount\":\"-1\"}\r\n");
        ImportResult r = run(ws, f, ImportOptions.defaults());
        assertThat(r.format()).isEqualTo(LogFormat.JSONL);
        assertThat(r.rowsRead()).isEqualTo(8);   // the blank line 4 is not a row
        assertThat(r.stored()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(6);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "3: invalid JSON at character 54: Unexpected end-of-input: was expecting closing quote for a string value",
                "5: not a JSON object",
                "6: missing user id (key 'user')",
                "7: missing user id (key 'user')",
                "8: invalid JSON at character 59: Unrecognized token 'trailing': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "9: negative amount '-1' (key 'amount')");
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "u1|1511517600000|view|17|null|null",
                "u1|1511517900000|buy|17|null|9.5");
    }

    @Test
    void aJsonKeyThatFirstAppearsLateIsReadWhenNamed() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            sb.append("{\"user\":\"u").append(i % 10).append("\",\"ts\":").append(1_511_544_070 + i).append(",\"action\":\"view\"}\n");
        }
        sb.append("{\"user\":\"u1\",\"ts\":1511550000,\"action\":\"buy\",\"paid\":12.5}\n");
        Path f = utf8(tmp, "late.jsonl", sb.toString());
        ImportResult r = run(ws, f, ImportOptions.defaults().withMapping(ColumnMapping.auto().set(Field.AMOUNT, "paid")));
        assertThat(r.stored()).isEqualTo(1501);
        assertThat(events(ws)).contains("u1|1511550000000|buy|null|null|12.5");
    }

    @Test
    void aJsonArrayIsNotJsonLines() {
        Path f = utf8(tmp, "events.json", "[\n {\"user\":\"u1\",\"ts\":1511544070,\"action\":\"pv\"}\n]\n");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults())).isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": a JSON array, not JSON lines (one object per line); convert it first, e.g. jq -c '.[]' FILE > FILE.jsonl");
    }

    @Test
    void noHeaderWithPositionalMapping() {
        Path f = utf8(tmp, "UserBehavior.csv", ""
                + "1,2268318,2520377,pv,1511544070\n"
                + "1,2333346,2520771,buy,1511561733\n"
                + "2,2576651,149192,pv,1511572885,9\n");
        ColumnMapping m = map("0", "4", "3").set(Field.ITEM, "1").set(Field.CATEGORY, "2");
        ImportResult r = run(ws, f, ImportOptions.defaults().withHeader(false).withMapping(m).withTimeFormat("epoch-s"));
        assertThat(r.stored()).isEqualTo(2);
        assertThat(rejections(ws, r.importId())).containsExactly("3: wrong column count: expected 5, found 6");
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "1|1511544070000|pv|2268318|2520377|null",
                "1|1511561733000|buy|2333346|2520771|null");
    }

    @Test
    void noHeaderNeedsPositions() {
        Path f = utf8(tmp, "plain.csv", "1,2,pv,1511544070\n");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults().withHeader(false)))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": no column given for user: a file without a header needs positions, e.g. --user 0");
    }

    @Test
    void aPositionBeyondTheLastColumnIsAMappingErrorNotARowError() {
        Path f = utf8(tmp, "plain.csv", "1,2,pv,1511544070\n2,3,pv,1511544071\n");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults().withHeader(false).withMapping(map("0", "9", "2"))))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": --time 9: the file has only 4 columns (positions 0 to 3)");
        assertThat(count(ws, "import_batch")).isZero();
    }

    @Test
    void columnsAreFoundUnderOtherNamesAndInAnyOrder() {
        Path f = utf8(tmp, "rr.csv", "Timestamp,VisitorId,Event,ItemId,TransactionId\n"
                + "1433221332117,257597,view,355908,\n"
                + "1433224214164,992329,addtocart,248676,\n"
                + "1433224214,992329,view,248676,\n");
        ImportResult r = run(ws, f, ImportOptions.defaults().withTimeFormat("epoch-ms"));
        assertThat(rejections(ws, r.importId())).containsExactly("4: timestamp out of range '1433224214' (reads as "
                + "1970-01-17T14:07:04.214Z; accepted 1990-01-01 to 2100-01-01; seconds? use --time-format epoch-s) (column 1 'Timestamp')");
        assertThat(r.stored()).isEqualTo(2);
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "257597|1433221332117|view|355908|null|null",
                "992329|1433224214164|addtocart|248676|null|null");

        Path g = utf8(tmp, "shop.csv", "price,category,product_id,behavior_type,event_time,customer_id\n"
                + "3.5,c9,p1,cart,2019-10-01 00:00:00,c-1\n");
        ImportResult s = run(ws, g, ImportOptions.defaults());
        assertThat(s.stored()).isEqualTo(1);
        assertThat(events(ws)).contains("c-1|1569888000000|cart|p1|c9|3.5");
    }

    @Test
    void explicitNamesWinOverAliasesAndIgnoreCase() {
        Path f = utf8(tmp, "td.csv", "ip,app,device,os,channel,click_time,attributed_time,is_attributed\n"
                + "87540,12,1,13,497,2017-11-07 09:30:38,,0\n"
                + "105560,25,1,17,259,2017-11-07 13:40:27,,0\n");
        ImportResult r = run(ws, f, ImportOptions.defaults().withMapping(map("IP", "click_time", "app")));
        assertThat(r.stored()).isEqualTo(2);
        assertThat(events(ws)).containsExactlyInAnyOrder(
                "87540|1510047038000|12|null|null|null",
                "105560|1510062027000|25|null|null|null");
    }

    @Test
    void anUnknownColumnNameIsAClearMappingError() {
        Path f = utf8(tmp, "td.csv", "ip,app,click_time\n1,2,2017-11-07 09:30:38\n");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults().withMapping(map("visitor", "click_time", "app"))))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": --user visitor: no such column in header [ip, app, click_time]");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults().withMapping(map("ip", "click_time", "7"))))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": --action 7: the file has only 3 columns");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults().withMapping(map("ip", "click_time", "IP"))))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": --user and --action name the same column");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults()))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": cannot find the user column in header [ip, app, click_time]; name it with --user COLUMN");
        assertThat(count(ws, "import_batch")).isZero();
    }

    @Test
    void aHeaderThatLooksLikeDataSuggestsNoHeader() {
        Path f = utf8(tmp, "UserBehavior.csv", "1,2268318,2520377,pv,1511544070\n");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults()))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(f + ": cannot find the user column in header [1, 2268318, 2520377, pv, 1511544070]; name it with --user COLUMN"
                        + " (the first line looks like data: if the file has no header, use --no-header)");
    }

    @Test
    void anInvalidTimePatternIsRefusedBeforeAnythingIsWritten() {
        Path f = utf8(tmp, "p.csv", "user,time,action\nu1,2017-11-07,pv\n");
        assertThatThrownBy(() -> run(ws, f, ImportOptions.defaults().withTimeFormat("yyyy-MM-dd {")))
                .isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith("--time-format 'yyyy-MM-dd {' is not a valid pattern: ");
        assertThat(count(ws, "import_batch")).isZero();
    }

    @Test
    void patternAndZoneTimestampsEndToEnd() {
        Path f = utf8(tmp, "p.csv", "user,time,action\nu1,07/11/2017 09:30,pv\nu2,2017-11-07 09:30,pv\n");
        ImportOptions o = ImportOptions.defaults().withTimeFormat("dd/MM/yyyy HH:mm");
        o = new ImportOptions(o.format(), o.header(), o.mapping(), o.timeFormat(), java.time.ZoneId.of("Asia/Shanghai"),
                o.force(), o.charset(), o.pseudonymKey());
        ImportResult r = run(ws, f, o);
        assertThat(r.stored()).isEqualTo(1);
        assertThat(rejections(ws, r.importId())).containsExactly(
                "3: bad timestamp '2017-11-07 09:30': expected pattern dd/MM/yyyy HH:mm (column 2 'time')");
        assertThat(events(ws)).containsExactlyInAnyOrder("u1|1510018200000|pv|null|null|null");
    }

    @Test
    void pseudonymisedUserIdsNeverReachTheWorkspace() {
        Path f = utf8(tmp, "p.csv", "user,time,action\nalice@example.com,1511544070,pv\nalice@example.com,1511544071,buy\nbob,1511544072,pv\n"
                + "carol,never,pv\n");
        ImportResult r = run(ws, f, ImportOptions.defaults().withPseudonymKey("secret".getBytes()));
        assertThat(r.stored()).isEqualTo(3);
        assertThat(r.rejected()).isEqualTo(1);
        // the quarantine keeps the reason (quoting no value) but not the raw line, which would hold the real id
        assertThat(ImportFixtures.rows(ws, "SELECT line_no, reason, raw FROM rejected_row")).containsExactly(
                "5|unparsable timestamp: expected epoch seconds, epoch milliseconds or ISO-8601 (column 2 'time')|null");
        var users = events(ws).stream().map(e -> e.substring(0, e.indexOf('|'))).toList();
        assertThat(users).hasSize(3).allMatch(u -> u.matches("p[0-9a-f]{32}"));
        assertThat(new java.util.HashSet<>(users)).hasSize(2);   // alice twice, bob once
        assertThat(String.join(" ", ImportFixtures.rows(ws, "SELECT data FROM event_block_data"))).doesNotContain(
                java.util.HexFormat.of().formatHex("alice".getBytes()), java.util.HexFormat.of().formatHex("bob".getBytes()));
    }
}

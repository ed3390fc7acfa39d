package dev.seqwatch.ingest;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static dev.seqwatch.ingest.ImportFixtures.count;
import static dev.seqwatch.ingest.ImportFixtures.events;
import static dev.seqwatch.ingest.ImportFixtures.rows;
import static dev.seqwatch.ingest.ImportFixtures.run;
import static dev.seqwatch.ingest.ImportFixtures.snapshot;
import static dev.seqwatch.ingest.ImportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The import record, refusing the same file twice, duplicates, and all-or-nothing on cancel and failure. */
class ImportBookkeepingTest extends FreshWorkspaceTest {
    private static final ImportOptions OPTS = ImportOptions.defaults().withTimeFormat("epoch-s");

    /** {@code n} distinct good rows for user u{k % users}, plus a header. */
    private static String log(int n, int firstTs) {
        StringBuilder sb = new StringBuilder("user_id,timestamp,action,item_id\n");
        for (int i = 0; i < n; i++) {
            sb.append('u').append(i % 7).append(',').append(firstTs + i).append(",pv,i").append(i).append('\n');
        }
        return sb.toString();
    }

    private static ImportDao.ImportRecord record(Workspace ws, int id) {
        return ws.read(c -> new ImportDao().get(c, id)).orElseThrow();
    }

    @Test
    void eachImportIsRecordedWithSourceHashCountsAndStatus() throws Exception {
        Path f = utf8(tmp, "day1.csv", log(5, 1_511_544_070) + "u9,later,pv,i9\nu0,1511544070,pv,i0\n");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));

        ImportResult r = run(ws, f, OPTS);

        ImportDao.ImportRecord rec = record(ws, r.importId());
        assertThat(rec.id()).isEqualTo(1);
        assertThat(rec.sourceName()).isEqualTo("day1.csv");
        assertThat(rec.sha256()).isEqualTo(sha);
        assertThat(rec.format()).isEqualTo("csv");
        assertThat(rec.status()).isEqualTo("DONE");
        assertThat(rec.forced()).isFalse();
        assertThat(rec.rowsRead()).isEqualTo(7);
        assertThat(rec.rowsStored()).isEqualTo(5);
        assertThat(rec.rowsRejected()).isEqualTo(1);
        assertThat(rec.rowsDuplicate()).isEqualTo(1);
        assertThat(rec.finishedAt()).isAfterOrEqualTo(rec.startedAt());
        assertThat(r.summary()).startsWith("import #1 of " + f + ": 7 rows read, 5 stored, 1 rejected, 1 duplicates dropped (");
        long events = ws.read(c -> new EventDao().countEvents(c));
        long users = ws.read(c -> new EventDao().countUsers(c));
        assertThat(events).isEqualTo(5);
        assertThat(users).isEqualTo(5);
    }

    @Test
    void theSameFileTwiceIsRefusedUnlessForced() throws Exception {
        Path f = utf8(tmp, "day1.csv", log(20, 1_511_544_070));
        run(ws, f, OPTS);
        List<String> before = snapshot(ws);

        Path copy = Files.copy(f, tmp.resolve("renamed.csv"));
        assertThatThrownBy(() -> run(ws, copy, OPTS)).isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith(copy + ": this file was already imported (import #1 of day1.csv on ")
                .hasMessageEndingWith(", same SHA-256); use --force to import it again");
        assertThat(snapshot(ws)).isEqualTo(before);

        ImportResult forced = run(ws, copy, OPTS.withForce(true));
        assertThat(forced.stored()).isZero();
        assertThat(forced.duplicates()).isEqualTo(20);
        ImportDao.ImportRecord rec = record(ws, forced.importId());
        assertThat(rec.forced()).isTrue();
        assertThat(rec.status()).isEqualTo("DONE");
        assertThat(rec.rowsDuplicate()).isEqualTo(20);
        assertThat(ImportFixtures.eventCount(ws)).isEqualTo(20);
    }

    @Test
    void duplicatesAreCountedAndDroppedWithinAndAcrossImports() {
        Path a = utf8(tmp, "a.csv", "user_id,timestamp,action,item_id,amount\n"
                + "u1,1511544070,pv,i1,\n"
                + "u1,1511544070,pv,i1,\n"          // duplicate within the file
                + "u1,1511544070,pv,i2,\n"          // other item: not a duplicate
                + "u1,1511544070,buy,i1,\n"         // other action
                + "u2,1511544070,pv,i1,\n"          // other user
                + "u1,1511544071,pv,i1,\n"          // other time
                + "u3,1511544070,pv,,\n"
                + " u3 ,1511544070,pv,,\n"          // the same after trimming
                + "u1,1511544070,pv,i1,5\n");       // amount is not part of the identity
        ImportResult ra = run(ws, a, OPTS);
        assertThat(ra.stored()).isEqualTo(6);
        assertThat(ra.duplicates()).isEqualTo(3);

        Path b = utf8(tmp, "b.csv", "user_id,timestamp,action,item_id\n"
                + "u1,1511544070,pv,i1\n"           // stored by a.csv
                + "u3,1511544070,pv,\n"             // stored by a.csv (no item)
                + "u4,1511544070,pv,i1\n"
                + "u4,1511544070,pv,i1\n");
        ImportResult rb = run(ws, b, OPTS);
        assertThat(rb.stored()).isEqualTo(1);
        assertThat(rb.duplicates()).isEqualTo(3);
        assertThat(rb.rejected()).isZero();
        assertThat(ImportFixtures.eventCount(ws)).isEqualTo(7);
        assertThat(rows(ws, "SELECT rows_read || '/' || rows_stored || '/' || rows_duplicate FROM import_batch ORDER BY id"))
                .containsExactly("9/6/3", "4/1/3");
    }

    @Test
    void aFileOfOnlyDuplicatesIsADoneImportWithNothingStored() {
        run(ws, utf8(tmp, "a.csv", log(3, 1_511_544_070)), OPTS);
        ImportResult r = run(ws, utf8(tmp, "b.csv", log(3, 1_511_544_070).replace("\n", "\r\n")), OPTS);
        assertThat(r.stored()).isZero();
        assertThat(r.duplicates()).isEqualTo(3);
        assertThat(record(ws, r.importId()).status()).isEqualTo("DONE");
    }

    /** Cancels once the import has reported progress {@code checks} times. */
    private static ProgressListener cancelAfter(int checks, AtomicInteger seen) {
        return new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                if (message.contains("rows read")) {
                    seen.incrementAndGet();
                }
            }

            @Override
            public boolean isCancelled() {
                return seen.get() >= checks;
            }
        };
    }

    @Test
    void aCancelMidImportLeavesTheWorkspaceExactlyAsBefore() {
        run(ws, utf8(tmp, "first.csv", log(30, 1_511_500_000) + "u1,bad,pv,i1\n"), OPTS);
        List<String> before = snapshot(ws);
        assertThat(events(ws)).hasSize(30).contains("u0|1511500000000|pv|i0|null|null");

        // blocks of 1,000 events are committed as they fill; progress and cancel checks after each
        // batch of 4,096 parsed rows: cancelled after 3 batches, i.e. after 12 commits of its own
        AtomicInteger checks = new AtomicInteger();
        EventImporter importer = new EventImporter(ws, 1000, 1);
        Path second = utf8(tmp, "second.csv", log(20_000, 1_511_600_000) + "u1,bad,pv,i1\n");
        assertThatThrownBy(() -> importer.importFile(second, OPTS, cancelAfter(3, checks)))
                .isInstanceOf(CancelledException.class);
        assertThat(checks.get()).isEqualTo(3);
        assertThat(snapshot(ws)).isEqualTo(before);

        // and the cancelled file can be imported afterwards: it was not recorded
        ImportResult again = new EventImporter(ws, 1000, 1).importFile(second, OPTS, ProgressListener.NONE);
        assertThat(again.stored()).isEqualTo(20_000);
        assertThat(again.importId()).isEqualTo(2);
    }

    @Test
    void aCancelOfTheFirstImportLeavesAnEmptyWorkspaceWithItsIndex() {
        List<String> before = snapshot(ws);
        Path f = utf8(tmp, "first.csv", log(20_000, 1_511_600_000));
        assertThatThrownBy(() -> new EventImporter(ws, 1000, 1).importFile(f, OPTS, cancelAfter(2, new AtomicInteger())))
                .isInstanceOf(CancelledException.class);
        assertThat(snapshot(ws)).isEqualTo(before);
    }

    @Test
    void aReadFailureMidImportLeavesTheWorkspaceExactlyAsBefore() throws Exception {
        run(ws, utf8(tmp, "first.csv", log(30, 1_511_500_000)), OPTS);
        List<String> before = snapshot(ws);

        // a gzip file cut in the middle: the first ~thousands of rows read fine, then the stream breaks
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(log(40_000, 1_511_600_000).getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = buf.toByteArray();
        Path cut = ImportFixtures.bytes(tmp, "cut.csv.gz", java.util.Arrays.copyOf(whole, whole.length / 2));

        AtomicInteger progress = new AtomicInteger();
        ProgressListener counting = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                if (message.contains("rows read")) {
                    progress.incrementAndGet();
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        assertThatThrownBy(() -> new EventImporter(ws, 1000, 1).importFile(cut, OPTS, counting))
                .isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith(cut + ": cannot read past line ").hasMessageContaining("Unexpected end of ZLIB input stream");
        assertThat(progress.get()).as("parsed batches (4,096 rows, blocks committed every 1,000) before the failure")
                .isGreaterThanOrEqualTo(2);
        assertThat(snapshot(ws)).isEqualTo(before);
    }

    @Test
    void gzipLogsAreRead() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(log(50, 1_511_600_000).getBytes(StandardCharsets.UTF_8));
        }
        Path f = ImportFixtures.bytes(tmp, "events.log.gz", buf.toByteArray());
        ImportResult r = run(ws, f, OPTS);
        assertThat(r.format()).isEqualTo(LogFormat.CSV);
        assertThat(r.stored()).isEqualTo(50);
        assertThat(events(ws)).contains("u0|1511600000000|pv|i0|null|null");
    }

    @Test
    void previewShowsTheFirstRowsAndTheDetectedMapping() {
        Path f = utf8(tmp, "td.csv", "ip,app,click_time\n1,2,2017-11-07 09:30:38\n3,4,2017-11-07 09:30:39\n5,6,x\n");
        EventImporter.Preview p = EventImporter.preview(f, ImportOptions.defaults(), 2);
        assertThat(p.format()).isEqualTo(LogFormat.CSV);
        assertThat(p.columns()).containsExactly("ip", "app", "click_time");
        assertThat(p.rows()).containsExactly(List.of("1", "2", "2017-11-07 09:30:38"), List.of("3", "4", "2017-11-07 09:30:39"));
        assertThat(p.mappedColumns()).isNull();
        assertThat(p.mappingProblem()).isEqualTo("cannot find the user column in header [ip, app, click_time]; name it with --user COLUMN");
        assertThat(count(ws, "import_batch")).isZero();

        Path plain = utf8(tmp, "plain.csv", "1,2,pv,1511544070\n");
        ColumnMapping far = ColumnMapping.auto().set(Field.USER, "0").set(Field.TIME, "7").set(Field.ACTION, "2");
        EventImporter.Preview q = EventImporter.preview(plain, ImportOptions.defaults().withHeader(false).withMapping(far), 5);
        assertThat(q.columns()).containsExactly("column 0", "column 1", "column 2", "column 3");
        assertThat(q.mappingProblem()).isEqualTo("--time 7: the file has only 4 columns (positions 0 to 3)");
    }
}

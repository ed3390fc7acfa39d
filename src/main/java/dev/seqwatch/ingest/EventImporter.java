package dev.seqwatch.ingest;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.EventBlock;
import dev.seqwatch.store.EventBlockWriter;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.Workspace;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Imports a behaviour log into a workspace, all or nothing. Rows are validated one by one: good
 * rows are stored, bad rows are quarantined with their line number and reason, duplicates of events
 * already stored (same user, time, action, item) are counted and dropped. The import is recorded
 * with the file's SHA-256, and the same content is refused a second time unless forced.
 *
 * <p>Events are gathered column-wise and written as {@link EventBlock}s (see there why) on the
 * workspace's writer thread under an import_batch row in status RUNNING; readers only see DONE imports. A failure or cancel removes what was written; a
 * killed process leaves a RUNNING batch that the next open removes ({@link ImportDao#removeUnfinished}).
 */
public final class EventImporter {
    private static final int BATCH = 5_000;
    private static final int CHECK_EVERY = 100_000;
    /** import_batch.sha256 until the hash is known (the row is invisible until DONE anyway). */
    private static final String PENDING_SHA = "0".repeat(64);
    private static final int KEEP_REJECTIONS = 20;

    private final Workspace workspace;
    private final ImportDao imports = new ImportDao();
    private final int flushEvents;
    private final int checkEvery;
    /** Null: every user; else only rows of these users are stored or rejected (the others are skipped). */
    private java.util.Set<String> onlyUsers;

    public EventImporter(Workspace workspace) {
        this(workspace, EventBlockWriter.DEFAULT_FLUSH_EVENTS);
    }

    /** @param flushEvents events gathered in memory before blocks are written (tests use small values) */
    public EventImporter(Workspace workspace, int flushEvents) {
        this(workspace, flushEvents, CHECK_EVERY);
    }

    /** @param checkEvery rows between cancel checks and progress reports (tests use small values) */
    EventImporter(Workspace workspace, int flushEvents, int checkEvery) {
        this.workspace = workspace;
        this.flushEvents = flushEvents;
        this.checkEvery = checkEvery;
    }

    /**
     * Imports only the rows of {@code users} (e.g. the top suspects of a cluster job): a valid row of another
     * user is skipped, and a bad row is rejected only when its user cell names one of them. Skipped rows are
     * neither stored nor rejected ({@code rowsRead - stored - rejected - duplicates} of the result).
     * Not with pseudonymisation (the ids given would be raw ids).
     */
    public EventImporter onlyUsers(java.util.Set<String> users) {
        this.onlyUsers = java.util.Set.copyOf(users);
        return this;
    }

    /** The first rows of a file with the detected format and column mapping, for the import dialog. */
    public record Preview(LogFormat format, List<String> columns, List<List<String>> rows, int[] mappedColumns,
                          String mappingProblem) {
    }

    public static Preview preview(Path file, ImportOptions o, int maxRows) {
        checkReadable(file);
        try (Opened src = open(file, o)) {
            List<List<String>> rows = new ArrayList<>();
            RawRow r = new RawRow();
            while (rows.size() < maxRows && src.rows.next(r)) {
                rows.add(java.util.Arrays.asList(r.fields.clone()));
            }
            List<String> cols = src.rows.header();
            if (cols == null) {
                int w = rows.stream().mapToInt(List::size).max().orElse(0);
                cols = new ArrayList<>();
                for (int i = 0; i < w; i++) {
                    cols.add("column " + i);
                }
            }
            int[] mapped = null;
            String problem = null;
            src.rows.declareColumns(o.mapping().names());
            try {
                mapped = o.mapping().resolve(src.rows.header());
                checkPositions(src.rows, mapped);
            } catch (IllegalArgumentException e) {
                mapped = null;
                problem = src.rows.isEmpty() ? "the file is empty (blank lines only)" : e.getMessage();
            }
            return new Preview(src.format, List.copyOf(cols), rows, mapped, problem);
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public ImportResult importFile(Path file, ImportOptions o, ProgressListener p) {
        long started = System.nanoTime();
        checkReadable(file);
        if (onlyUsers != null && o.pseudonymKey() != null) {
            throw new IllegalArgumentException("onlyUsers with pseudonymisation");
        }
        p.progress(0, "checking " + file.getFileName());
        // the content hash is computed on a second thread while the rows are read (one pass less on
        // the critical path); a file already imported is refused as soon as its hash is known
        ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "seqwatch-sha256");
            t.setDaemon(true);
            return t;
        });
        Future<String> sha = hasher.submit(() -> sha256(file, p));
        hasher.shutdown();
        try {
            Opened src;
            int[] idx;
            try {
                src = open(file, o);
            } catch (IOException e) {
                throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
            }
            try (src) {
                idx = checkStart(file, o, src);
                TimestampParser tp = timestamps(o);
                // with pseudonymisation a reason must not quote a value: it is stored, and could be an id
                RowValidator v = new RowValidator(idx, shownHeader(src.rows.header(), o, idx), tp, !src.rows.fixedColumns(),
                        o.pseudonymKey() == null);
                int[] importId = new int[1];
                Counts counts = workspace.writeBulk(
                        c -> {
                            try {
                                return load(c, file, o, sha, src, v, importId, p);
                            } catch (IOException e) {
                                throw new UserFacingException(file + ": read failed: " + e.getMessage(), e);
                            }
                        },
                        c -> {
                            imports.removeUnfinished(c);
                            return null;
                        });
                long millis = (System.nanoTime() - started) / 1_000_000;
                p.progress(1, "imported " + counts.stored + " events");
                return new ImportResult(importId[0], file.toString(), src.format, counts.read, counts.stored, counts.rejected,
                        counts.duplicates, millis, List.copyOf(counts.firstRejections));
            } catch (IOException e) {
                throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
            }
        } finally {
            sha.cancel(true); // no-op when done; stops hashing after an early failure
        }
    }

    /**
     * The checks an import makes before it touches the workspace: the file is a readable, non-empty text
     * log, its first lines (the JSON header) are sane, the mapping fits it and the time format is valid.
     * The command line calls this before it opens (or creates) the workspace, so a refused file leaves
     * the workspace file byte for byte as it was; {@link #importFile} makes the same checks.
     */
    public static void checkBeforeImport(Path file, ImportOptions o) {
        checkReadable(file);
        Opened src;
        try {
            src = open(file, o);
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        }
        try (src) {
            checkStart(file, o, src);
            timestamps(o);
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Refuses an empty file or a mapping that does not fit; returns the column of each field. */
    private static int[] checkStart(Path file, ImportOptions o, Opened src) {
        if (src.rows.isEmpty()) {
            throw new UserFacingException(file + ": the file is empty (blank lines only)");
        }
        src.rows.declareColumns(o.mapping().names());
        try {
            int[] idx = o.mapping().resolve(src.rows.header());
            checkPositions(src.rows, idx);
            return idx;
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The header as reasons may name it. When pseudonymising, a column mapped by position may have a
     * "header" that is really a first row of data (an id): reasons then give its number only.
     */
    private static List<String> shownHeader(List<String> header, ImportOptions o, int[] idx) {
        if (header == null || o.pseudonymKey() == null) {
            return header;
        }
        List<String> shown = new ArrayList<>(header);
        for (Field f : Field.values()) {
            String spec = o.mapping().get(f);
            if (spec != null && spec.chars().allMatch(Character::isDigit) && idx[f.ordinal()] >= 0) {
                shown.set(idx[f.ordinal()], null);
            }
        }
        return java.util.Collections.unmodifiableList(shown);
    }

    private static TimestampParser timestamps(ImportOptions o) {
        try {
            return new TimestampParser(o.timeFormat(), o.zone());
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    private static final class Counts {
        long read;
        long stored;
        long rejected;
        long duplicates;
        final List<ImportResult.Rejection> firstRejections = new ArrayList<>();
    }

    private Counts load(Connection c, Path file, ImportOptions o, Future<String> sha, Opened src, RowValidator v,
                        int[] importIdOut, ProgressListener p) throws SQLException, IOException {
        int importId = imports.nextImportId(c);
        importIdOut[0] = importId;
        long firstId = imports.nextEventId(c);
        LongHashSet seen = new LongHashSet();
        if (firstId > 1) {
            p.progress(0.02, "reading stored events to detect duplicates");
            loadExistingKeys(c, seen, p);
        }
        if (sha.isDone()) {
            refuseSameContent(c, file, o, sha);
        }
        imports.start(c, importId, file.getFileName().toString(), PENDING_SHA, src.format.name().toLowerCase(),
                o.mapping().toString(), firstId, o.force());
        c.commit();
        Counts n = new Counts();
        long size = Math.max(1, Files.size(file));
        char sep = src.format.separator();
        EventBlockWriter blocks = new EventBlockWriter(c, importId, firstId, flushEvents);
        ParsingThread reader = new ParsingThread(src, v, o.pseudonymKey() == null ? null : hmac(o.pseudonymKey()), sep, seen,
                onlyUsers);
        Thread readerThread = new Thread(reader, "seqwatch-import-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        try (PreparedStatement rej = c.prepareStatement("INSERT INTO rejected_row (import_id, line_no, reason, raw) VALUES (?, ?, ?, ?)")) {
            int pendingRej = 0;
            long nextCheck = checkEvery;
            boolean shaChecked = false;
            while (true) {
                ParsedBatch b = reader.take(p);
                n.read += b.rows;
                n.duplicates += b.duplicates;
                for (int k = 0; k < b.rejected; k++) {
                    n.rejected++;
                    String reason = b.rejReason[k];
                    if (n.firstRejections.size() < KEEP_REJECTIONS) {
                        n.firstRejections.add(new ImportResult.Rejection(b.rejLine[k], reason));
                    }
                    rej.setInt(1, importId);
                    rej.setLong(2, b.rejLine[k]);
                    rej.setString(3, reason.length() > 1024 ? reason.substring(0, 1024) : reason);
                    rej.setString(4, b.rejRaw[k]);
                    rej.addBatch();
                    if (++pendingRej == BATCH) {
                        rej.executeBatch();
                        pendingRej = 0;
                    }
                }
                for (int k = 0; k < b.good; k++) {
                    n.stored++;
                    if (blocks.add(b.user[k], b.ts[k], b.action[k], b.item[k], b.category[k], b.amount[k])) {
                        rej.executeBatch();
                        pendingRej = 0;
                        c.commit();
                    }
                }
                if (b.error != null) {
                    if (b.error instanceof IOException io) {
                        throw io;
                    }
                    if (b.error instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(b.error);
                }
                if (b.last) {
                    break;
                }
                if (n.read >= nextCheck) {
                    nextCheck = n.read + checkEvery;
                    p.checkCancelled();
                    if (!shaChecked && sha.isDone()) {
                        refuseSameContent(c, file, o, sha);
                        shaChecked = true;
                    }
                    p.progress(0.05 + 0.8 * Math.min(1.0, (double) src.counter.count() / size),
                            String.format("%,d rows read, %,d stored, %,d rejected", n.read, n.stored, n.rejected));
                }
            }
            rej.executeBatch();
        } finally {
            reader.stop();
            try {
                readerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        p.checkCancelled();
        if (n.read == 0) {
            throw new UserFacingException(file + (src.rows.header() != null && !src.rows.header().isEmpty()
                    ? ": the file has a header but no data rows" : ": the file is empty"));
        }
        if (onlyUsers != null && n.stored == 0 && n.duplicates == 0) {
            throw new UserFacingException(file + ": none of the " + onlyUsers.size() + " users asked for has a valid row"
                    + (n.rejected > 0 ? " (" + n.rejected + " of their rows were rejected; first: line "
                    + n.firstRejections.get(0).line() + ": " + n.firstRejections.get(0).reason() + ")" : ""));
        }
        if (n.stored == 0 && n.duplicates == 0) {
            ImportResult.Rejection first = n.firstRejections.get(0);
            throw new UserFacingException(file + ": no valid rows, all " + n.rejected + " were rejected; first: line "
                    + first.line() + ": " + first.reason());
        }
        String hash = refuseSameContent(c, file, o, sha);
        p.progress(0.87, String.format("writing %,d events", n.stored));
        long next = blocks.finish();
        p.checkCancelled();
        imports.setSha256(c, importId, hash);
        imports.finish(c, importId, next - 1, n.read, n.stored, n.rejected, n.duplicates);
        c.commit();
        return n;
    }

    /** Rows read, validated and keyed on the reader thread, handed to the writer thread. */
    private static final class ParsedBatch {
        static final int ROWS = 4096;
        int rows;
        int good;
        final String[] user = new String[ROWS];
        final long[] ts = new long[ROWS];
        final String[] action = new String[ROWS];
        final String[] item = new String[ROWS];
        final String[] category = new String[ROWS];
        final double[] amount = new double[ROWS];
        int duplicates;
        int rejected;
        long[] rejLine = new long[0];
        String[] rejReason = new String[0];
        String[] rejRaw = new String[0];
        boolean last;
        Throwable error;

        void reject(long line, String reason, String raw) {
            if (rejected == rejLine.length) {
                int cap = Math.max(16, rejected * 2);
                rejLine = java.util.Arrays.copyOf(rejLine, cap);
                rejReason = java.util.Arrays.copyOf(rejReason, cap);
                rejRaw = java.util.Arrays.copyOf(rejRaw, cap);
            }
            rejLine[rejected] = line;
            rejReason[rejected] = reason;
            rejRaw[rejected] = raw;
            rejected++;
        }

        boolean full() {
            return rows >= ROWS;
        }
    }

    /**
     * Parses, validates and deduplicates rows on a thread of its own (CSV/JSON parsing, validation,
     * pseudonyms and the duplicate set are about half the work), so the writer thread only encodes
     * and stores.
     */
    private static final class ParsingThread implements Runnable {
        private final BlockingQueue<ParsedBatch> queue = new ArrayBlockingQueue<>(16);
        private final Opened src;
        private final RowValidator v;
        private final Mac mac;
        private final char sep;
        private final LongHashSet seen;
        private final java.util.Set<String> only;
        private volatile boolean stopped;

        ParsingThread(Opened src, RowValidator v, Mac mac, char sep, LongHashSet seen, java.util.Set<String> only) {
            this.only = only;
            this.src = src;
            this.v = v;
            this.mac = mac;
            this.sep = sep;
            this.seen = seen;
        }

        @Override
        public void run() {
            ParsedBatch b = new ParsedBatch();
            try {
                RawRow r = new RawRow();
                boolean fixed = src.rows.fixedColumns();
                while (!stopped && src.rows.next(r)) {
                    b.rows++;
                    String reason = v.validate(r, fixed);
                    String who = only == null ? null : reason != null ? v.userCell(r) : v.user;
                    if (only != null && (who == null || !only.contains(who))) {
                        // another user's row: counted in rows read only
                    } else if (reason != null) {
                        // with pseudonymisation the raw line would still hold the real user id
                        b.reject(r.line, reason, mac == null ? r.raw(sep) : null);
                    } else {
                        String user = mac == null ? v.user : pseudonym(mac, v.user);
                        if (seen.add(LongHashSet.eventKey(user, v.ts, v.action, v.item))) {
                            int k = b.good++;
                            b.user[k] = user;
                            b.ts[k] = v.ts;
                            b.action[k] = v.action;
                            b.item[k] = v.item;
                            b.category[k] = v.category;
                            b.amount[k] = v.amount;
                        } else {
                            b.duplicates++;
                        }
                    }
                    if (b.full()) {
                        put(b);
                        b = new ParsedBatch();
                    }
                }
            } catch (Throwable t) {
                b.error = t;
            }
            b.last = true;
            put(b);
        }

        private void put(ParsedBatch b) {
            try {
                while (!stopped) {
                    if (queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The next batch; checks for cancellation while waiting. */
        ParsedBatch take(ProgressListener p) {
            try {
                while (true) {
                    ParsedBatch b = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (b != null) {
                        return b;
                    }
                    p.checkCancelled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
        }

        void stop() {
            stopped = true;
            queue.clear();
        }
    }

    /** Waits for the file's hash and refuses content imported before (unless forced); returns the hash. */
    private String refuseSameContent(Connection c, Path file, ImportOptions o, Future<String> sha) throws SQLException {
        String hash;
        try {
            hash = sha.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new UserFacingException(file + ": cannot read: " + e.getCause().getMessage(), e.getCause());
        }
        List<ImportDao.ImportRecord> same = imports.findDoneBySha(c, hash);
        if (!same.isEmpty() && !o.force()) {
            ImportDao.ImportRecord prev = same.get(0);
            throw new UserFacingException(file + ": this file was already imported (import #" + prev.id() + " of "
                    + prev.sourceName() + " on " + prev.finishedAt() + ", same SHA-256); use --force to import it again");
        }
        return hash;
    }

    private static void loadExistingKeys(Connection c, LongHashSet seen, ProgressListener p) throws SQLException {
        EventDao dao = new EventDao();
        for (EventDao.BlockRef r : dao.blocks(c)) {
            p.checkCancelled();
            EventBlock b = dao.block(c, r);
            for (int u = 0; u < b.users(); u++) {
                String user = b.userIds[u];
                for (int k = b.userStart[u]; k < b.userStart[u + 1]; k++) {
                    seen.add(LongHashSet.eventKey(user, b.ts[k], b.actionNames[b.action[k]], b.itemName(k)));
                }
            }
        }
    }

    /** An open file: the byte counter for progress and the row source for its format. */
    private record Opened(LogFormat format, CountingInputStream counter, RowSource rows) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            rows.close();
        }
    }

    private static Opened open(Path file, ImportOptions o) throws IOException {
        // bytes are counted before decompression, so progress compares like with like (Files.size)
        CountingInputStream counter = new CountingInputStream(Files.newInputStream(file));
        InputStream in = counter;
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new java.util.zip.GZIPInputStream(in, 1 << 16);
            }
            in = new BufferedInputStream(in, 1 << 16);
            TextSniffer.Result text = TextSniffer.sniff(in, o.charset());
            if (text.binary()) {
                throw new UserFacingException(file + ": not a text log (binary data near the start of the file); "
                        + "expected CSV, TSV or JSON lines");
            }
            LogFormat format = o.format() != null ? o.format() : LogFormat.detect(file, text.firstLine());
            if (format == LogFormat.JSONL && text.firstLine().strip().startsWith("[")) {
                throw new UserFacingException(file + ": a JSON array, not JSON lines (one object per line); "
                        + "convert it first, e.g. jq -c '.[]' FILE > FILE.jsonl");
            }
            // malformed bytes become U+FFFD, which validation rejects per row with the column named
            Reader reader = new InputStreamReader(in, text.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            RowSource rows = format == LogFormat.JSONL
                    ? new JsonLinesRowSource(reader, file.toString(), o.pseudonymKey() != null)
                    : new CsvRowSource(reader, format.separator(), o.header(), file.toString(), o.acceptBrokenQuotes());
            return new Opened(format, counter, rows);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * A position beyond the last column of a file without a header is a mapping mistake, not a fault of
     * every row: say so once.
     */
    private static void checkPositions(RowSource rows, int[] idx) {
        int width = rows.firstRecordWidth();
        if (rows.header() == null && width > 0) {
            for (Field f : Field.values()) {
                if (idx[f.ordinal()] >= width) {
                    throw new IllegalArgumentException("--" + f.option() + " " + idx[f.ordinal()] + ": the file has only "
                            + width + " columns (positions 0 to " + (width - 1) + ")");
                }
            }
        }
    }

    /** Refuses a log that is missing, not a readable file or empty, before anything is opened or created. */
    public static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new UserFacingException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new UserFacingException(file + ": is a directory, not a log file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(file + ": is not a regular file (a device or a pipe?)");
        }
        if (!Files.isReadable(file)) {
            throw new UserFacingException(file + ": not a readable file (permission denied)");
        }
        try {
            if (Files.size(file) == 0) {
                throw new UserFacingException(file + ": the file is empty");
            }
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static String sha256(Path file, ProgressListener p) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int r;
            long k = 0;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                if (++k % 64 == 0) {
                    p.checkCancelled();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancelledException();
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Mac hmac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keyed pseudonym of a user id: the first 128 bits of HMAC-SHA256, hex. */
    static String pseudonym(Mac mac, String user) {
        byte[] h = mac.doFinal(user.getBytes(StandardCharsets.UTF_8));
        return "p" + HexFormat.of().formatHex(h, 0, 16);
    }
}

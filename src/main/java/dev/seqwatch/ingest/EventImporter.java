package dev.seqwatch.ingest;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Imports a behaviour log into a workspace, all or nothing. Rows are validated one by one: good
 * rows are stored, bad rows are quarantined with their line number and reason, duplicates of events
 * already stored (same user, time, action, item) are counted and dropped. The import is recorded
 * with the file's SHA-256, and the same content is refused a second time unless forced.
 *
 * <p>Events are written in batches on the workspace's writer thread under an import_batch row in
 * status RUNNING; readers only see DONE imports. A failure or cancel removes what was written; a
 * killed process leaves a RUNNING batch that the next open removes ({@link ImportDao#removeUnfinished}).
 */
public final class EventImporter {
    private static final int BATCH = 5_000;
    private static final int COMMIT_EVERY = 200_000;
    private static final int KEEP_REJECTIONS = 20;

    private final Workspace workspace;
    private final ImportDao imports = new ImportDao();

    private final int commitEvery;

    public EventImporter(Workspace workspace) {
        this(workspace, COMMIT_EVERY);
    }

    /** With commits (and cancel checks) every {@code commitEvery} rows; tests use small values. */
    EventImporter(Workspace workspace, int commitEvery) {
        this.workspace = workspace;
        this.commitEvery = commitEvery;
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
        p.progress(0, "checking " + file.getFileName());
        String sha = sha256(file, p);
        List<ImportDao.ImportRecord> same = workspace.read(c -> imports.findDoneBySha(c, sha));
        if (!same.isEmpty() && !o.force()) {
            ImportDao.ImportRecord prev = same.get(0);
            throw new UserFacingException(file + ": this file was already imported (import #" + prev.id() + " of "
                    + prev.sourceName() + " on " + prev.finishedAt() + ", same SHA-256); use --force to import it again");
        }
        Opened src;
        int[] idx;
        try {
            src = open(file, o);
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        }
        try (src) {
            if (src.rows.isEmpty()) {
                throw new UserFacingException(file + ": the file is empty (blank lines only)");
            }
            src.rows.declareColumns(o.mapping().names());
            try {
                idx = o.mapping().resolve(src.rows.header());
                checkPositions(src.rows, idx);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(file + ": " + e.getMessage(), e);
            }
            TimestampParser tp;
            try {
                tp = new TimestampParser(o.timeFormat(), o.zone());
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
            RowValidator v = new RowValidator(idx, src.rows.header(), tp, !src.rows.fixedColumns());
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
    }

    private static final class Counts {
        long read;
        long stored;
        long rejected;
        long duplicates;
        final List<ImportResult.Rejection> firstRejections = new ArrayList<>();
    }

    private Counts load(Connection c, Path file, ImportOptions o, String sha, Opened src, RowValidator v,
                        int[] importIdOut, ProgressListener p) throws SQLException, IOException {
        int importId = imports.nextImportId(c);
        importIdOut[0] = importId;
        long firstId = imports.nextEventId(c);
        boolean emptyBefore = firstId == 1 || countVisible(c) == 0;
        LongHashSet seen = new LongHashSet();
        if (!emptyBefore) {
            p.progress(0.02, "reading stored events to detect duplicates");
            loadExistingKeys(c, seen, p);
        }
        imports.start(c, importId, file.getFileName().toString(), sha, src.format.name().toLowerCase(),
                o.mapping().toString(), firstId, o.force());
        c.commit();
        if (emptyBefore) {
            // bulk load without the secondary index, rebuilt once at the end
            exec(c, "DROP INDEX IF EXISTS event_user_ts");
        }
        Counts n = new Counts();
        long nextId = firstId;
        long size = Math.max(1, Files.size(file));
        Mac mac = o.pseudonymKey() == null ? null : hmac(o.pseudonymKey());
        char sep = src.format.separator();
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO event (id, import_id, user_id, ts, action, item_id, "
                + "category_id, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement rej = c.prepareStatement("INSERT INTO rejected_row (import_id, line_no, reason, raw) VALUES (?, ?, ?, ?)")) {
            RawRow r = new RawRow();
            int pendingIns = 0;
            int pendingRej = 0;
            int sinceCommit = 0;
            while (src.rows.next(r)) {
                n.read++;
                String reason = v.validate(r, src.rows.fixedColumns());
                if (reason != null) {
                    n.rejected++;
                    if (n.firstRejections.size() < KEEP_REJECTIONS) {
                        n.firstRejections.add(new ImportResult.Rejection(r.line, reason));
                    }
                    rej.setInt(1, importId);
                    rej.setLong(2, r.line);
                    rej.setString(3, reason.length() > 1024 ? reason.substring(0, 1024) : reason);
                    // with pseudonymisation the raw line would still hold the real user id
                    rej.setString(4, mac == null ? r.raw(sep) : null);
                    rej.addBatch();
                    if (++pendingRej == BATCH) {
                        rej.executeBatch();
                        pendingRej = 0;
                    }
                } else {
                    String user = mac == null ? v.user : pseudonym(mac, v.user);
                    if (!seen.add(LongHashSet.eventKey(user, v.ts, v.action, v.item))) {
                        n.duplicates++;
                        continue;
                    }
                    ins.setLong(1, nextId++);
                    ins.setInt(2, importId);
                    ins.setString(3, user);
                    ins.setLong(4, v.ts);
                    ins.setString(5, v.action);
                    ins.setString(6, v.item);
                    ins.setString(7, v.category);
                    if (Double.isNaN(v.amount)) {
                        ins.setNull(8, Types.DOUBLE);
                    } else {
                        ins.setDouble(8, v.amount);
                    }
                    ins.addBatch();
                    n.stored++;
                    if (++pendingIns == BATCH) {
                        ins.executeBatch();
                        pendingIns = 0;
                    }
                }
                if (++sinceCommit == commitEvery) {
                    ins.executeBatch();
                    rej.executeBatch();
                    pendingIns = 0;
                    pendingRej = 0;
                    c.commit();
                    sinceCommit = 0;
                    p.checkCancelled();
                    p.progress(0.05 + 0.85 * Math.min(1.0, (double) src.counter.count() / size),
                            String.format("%,d rows read, %,d stored, %,d rejected", n.read, n.stored, n.rejected));
                }
            }
            ins.executeBatch();
            rej.executeBatch();
        }
        p.checkCancelled();
        if (n.read == 0) {
            throw new UserFacingException(file + (src.rows.header() != null && !src.rows.header().isEmpty()
                    ? ": the file has a header but no data rows" : ": the file is empty"));
        }
        if (n.stored == 0 && n.duplicates == 0) {
            ImportResult.Rejection first = n.firstRejections.get(0);
            throw new UserFacingException(file + ": no valid rows, all " + n.rejected + " were rejected; first: line "
                    + first.line() + ": " + first.reason());
        }
        c.commit();
        if (emptyBefore) {
            p.progress(0.92, "building the user/time index");
            exec(c, "CREATE INDEX IF NOT EXISTS event_user_ts ON event (user_id, ts)");
        }
        imports.finish(c, importId, nextId - 1, n.read, n.stored, n.rejected, n.duplicates);
        c.commit();
        return n;
    }

    private static long countVisible(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM event WHERE import_id IN (SELECT id FROM import_batch WHERE status = 'DONE')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void loadExistingKeys(Connection c, LongHashSet seen, ProgressListener p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, ts, action, item_id FROM event "
                + "WHERE import_id IN (SELECT id FROM import_batch WHERE status = 'DONE')")) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                long k = 0;
                while (rs.next()) {
                    seen.add(LongHashSet.eventKey(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                    if (++k % 500_000 == 0) {
                        p.checkCancelled();
                    }
                }
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
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
                    ? new JsonLinesRowSource(reader)
                    : new CsvRowSource(reader, format.separator(), o.header(), file.toString());
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

    private static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new UserFacingException(file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UserFacingException(file + ": not a readable file");
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

package dev.seqwatch.reliability;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link EventImporter} with seeded malformed logs ({@link MalformedLogs}). For every input:
 * the import either returns a result or refuses the whole file with a {@link UserFacingException}
 * naming the file (nothing else may escape); rows read = stored + rejected + duplicates; the
 * workspace holds exactly that many events and rejected rows (each with a reason); rows the
 * generator knows to be bad are rejected and rows it knows to be good are not; a refused file
 * leaves the workspace unchanged. Every batch of inputs ends by closing and reopening the workspace.
 *
 * <p>Default: {@value #DEFAULT_INPUTS} inputs. Longer: {@code -Dseqwatch.fuzz.inputs=50000}; another
 * seed: {@code -Dseqwatch.fuzz.seed=N}. Failing inputs are kept under {@code target/fuzz-failures}.
 */
class ImportFuzzTest {
    static final int DEFAULT_INPUTS = 2000;
    private static final int PER_WORKSPACE = 250;

    @Test
    void malformedLogsAreStoredOrRejectedRowByRowAndNeverCrash(@TempDir Path dir) throws Exception {
        int inputs = Integer.getInteger("seqwatch.fuzz.inputs", DEFAULT_INPUTS);
        long seed = Long.getLong("seqwatch.fuzz.seed", 20261123L);
        MalformedLogs gen = new MalformedLogs(seed);
        List<String> failures = new ArrayList<>();
        Stats stats = new Stats();
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        for (int from = 0; from < inputs; from += PER_WORKSPACE) {
            Path ws = dir.resolve("fuzz" + from);
            long expectedEvents = 0;
            long visibleAtClose;
            try (Workspace w = Workspace.open(ws)) {
                for (int i = from; i < Math.min(inputs, from + PER_WORKSPACE); i++) {
                    MalformedLogs.Case c = gen.next(i);
                    Path f = dir.resolve(c.fileName());
                    Files.write(f, c.bytes());
                    try {
                        expectedEvents += check(w, f, c, c.options(), stats);
                    } catch (AssertionError | RuntimeException e) {
                        failures.add(keep(c, f, e));
                    } finally {
                        Files.deleteIfExists(f);
                    }
                }
                visibleAtClose = w.read(c -> new EventDao().countEvents(c));
            }
            if (failures.isEmpty()) {
                assertThat(visibleAtClose).as("events = sum of stored over the imports").isEqualTo(expectedEvents);
            }
            try (Workspace again = Workspace.open(ws)) {
                long events = again.read(c -> new EventDao().countEvents(c));
                assertThat(events).as("events after reopening workspace %s", ws).isEqualTo(visibleAtClose);
                assertThat(q(again, "SELECT COUNT(*) FROM import_batch WHERE status <> 'DONE'")).isZero();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        System.out.printf("import fuzz: %d inputs (seed %d) in %.1f s (%.1f s CPU): %d imported (%d rows read: %d stored, %d rejected, "
                        + "%d duplicates), %d refused whole; %d per-line expectations checked; %.1f s inside importFile%n", inputs, seed, secs, cpu,
                stats.imported, stats.read, stats.stored, stats.rejected, stats.duplicates, stats.refused, stats.lineChecks, stats.importNanos / 1e9);
        assertThat(failures).as("failing fuzz inputs (kept in target/fuzz-failures)").isEmpty();
        // the generator must exercise both outcomes, or the test proves nothing
        assertThat(stats.rejected).isPositive();
        assertThat(stats.stored).isPositive();
        assertThat(stats.refused).isPositive();
    }

    @Test
    void aHeaderWithAMillionColumnsIsRefusedQuicklyWithAShortMessage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("wide.csv");
        Files.write(f, MalformedLogs.wideHeader(1_000_000));
        try (Workspace w = Workspace.open(dir.resolve("ws"))) {
            MalformedLogs.Case c = new MalformedLogs.Case(-1, "wide.csv", null, ImportOptions.defaults(), -1, Map.of(), "wide");
            Stats s = new Stats();
            check(w, f, c, c.options(), s);
            assertThat(s.refused).isEqualTo(1);
            assertThat(s.lastRefusal).contains("first record").contains("columns");
            System.out.println("1M-column header: " + s.lastRefusal);
        }
    }

    @Test
    void aFieldOverSixteenMegabytesRefusesTheFileAndLeavesNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge.csv");
        StringBuilder sb = new StringBuilder("user_id,timestamp,action,item_id\nu1,1700000000,view,i1\n");
        sb.append("u2,1700000001,view,\"").append("x".repeat(17 << 20)).append("\"\nu3,1700000002,view,i3\n");
        Files.writeString(f, sb);
        try (Workspace w = Workspace.open(dir.resolve("ws"))) {
            MalformedLogs.Case c = new MalformedLogs.Case(-1, "huge.csv", null, ImportOptions.defaults(), -1, Map.of(), "huge");
            Stats s = new Stats();
            check(w, f, c, c.options(), s);
            assertThat(s.refused).isEqualTo(1);
            assertThat(s.lastRefusal).contains("past line 2");
            System.out.println("17 MB field: " + s.lastRefusal);
        }
    }

    /** Every stored event block's events, finished imports or not. */
    private static long events(Workspace w) throws SQLException {
        return q(w, "SELECT COALESCE(SUM(n_events), 0) FROM event_block");
    }

    /** Imports one input and checks every invariant; returns the number of events it added. */
    private static long check(Workspace w, Path f, MalformedLogs.Case c, ImportOptions o, Stats stats) throws SQLException {
        long eventsBefore = events(w);
        long batchesBefore = q(w, "SELECT COUNT(*) FROM import_batch");
        long rejectedBefore = q(w, "SELECT COUNT(*) FROM rejected_row");
        ImportResult r;
        long t0 = System.nanoTime();
        try {
            r = new EventImporter(w).importFile(f, o.withForce(true), ProgressListener.NONE);
            stats.importNanos += System.nanoTime() - t0;
        } catch (UserFacingException e) {
            stats.importNanos += System.nanoTime() - t0;
            stats.refused++;
            stats.lastRefusal = e.getMessage();
            assertThat(e.getMessage()).as("refusal names the file").contains(f.getFileName().toString());
            assertThat(e.getMessage().length()).as("refusal message length").isLessThan(2000);
            assertThat(events(w)).as("events after a refusal").isEqualTo(eventsBefore);
            assertThat(q(w, "SELECT COUNT(*) FROM import_batch")).isEqualTo(batchesBefore);
            assertThat(q(w, "SELECT COUNT(*) FROM rejected_row")).isEqualTo(rejectedBefore);
            return 0;
        }
        stats.imported++;
        stats.read += r.rowsRead();
        stats.stored += r.stored();
        stats.rejected += r.rejected();
        stats.duplicates += r.duplicates();
        assertThat(r.rowsRead()).as("read = stored + rejected + duplicates").isEqualTo(r.stored() + r.rejected() + r.duplicates());
        if (c.expectedRows() >= 0) {
            assertThat(r.rowsRead()).as("rows read").isEqualTo(c.expectedRows());
        }
        int id = r.importId();
        assertThat(q(w, "SELECT COALESCE(SUM(n_events), 0) FROM event_block WHERE import_id = ?", id)).isEqualTo(r.stored());
        assertThat(q(w, "SELECT COUNT(*) FROM rejected_row WHERE import_id = ?", id)).isEqualTo(r.rejected());
        assertThat(q(w, "SELECT COUNT(*) FROM rejected_row WHERE import_id = ? AND TRIM(reason) = ''", id)).isZero();
        assertThat(q(w, "SELECT COUNT(*) FROM import_batch WHERE id = ? AND status = 'DONE' AND rows_read = ? "
                + "AND rows_stored = ? AND rows_rejected = ? AND rows_duplicate = ?", id, r.rowsRead(), r.stored(), r.rejected(),
                r.duplicates())).as("import_batch row").isEqualTo(1);
        if (!c.lines().isEmpty()) {
            Set<Long> rejectedLines = w.read(x -> {
                Set<Long> s = new HashSet<>();
                try (PreparedStatement ps = x.prepareStatement("SELECT line_no FROM rejected_row WHERE import_id = ?")) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            s.add(rs.getLong(1));
                        }
                    }
                }
                return s;
            });
            for (Map.Entry<Long, MalformedLogs.Expect> e : c.lines().entrySet()) {
                boolean rejected = rejectedLines.contains(e.getKey());
                assertThat(rejected).as("line %d expected %s", e.getKey(), e.getValue())
                        .isEqualTo(e.getValue() == MalformedLogs.Expect.REJECTED);
                stats.lineChecks++;
            }
        }
        return r.stored();
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long q(Workspace w, String sql, Object... args) {
        return w.read(c -> count(c, sql, args));
    }

    static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String keep(MalformedLogs.Case c, Path f, Throwable e) {
        try {
            Path out = Path.of("target", "fuzz-failures");
            Files.createDirectories(out);
            Files.write(out.resolve(c.fileName()), c.bytes());
        } catch (IOException ignored) {
            // the message below still says what failed
        }
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        String trace = sw.toString();
        return "input " + c.index() + " (" + c.kind() + ", " + c.fileName() + "): "
                + trace.substring(0, Math.min(trace.length(), 1500));
    }

    private static final class Stats {
        long imported;
        long refused;
        long read;
        long stored;
        long rejected;
        long duplicates;
        long lineChecks;
        long importNanos;
        String lastRefusal;
    }
}

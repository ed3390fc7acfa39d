package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code seqwatch bench import}: our end-to-end import (validation, dedup, quarantine, index) against
 * H2's own {@code CREATE TABLE AS SELECT * FROM CSVREAD(...)} on the same file, alternating, in the
 * same process; medians of the runs and the peak heap of our import.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import throughput against H2 CSVREAD on the same file.")
public final class BenchImportCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "CSV log with a header (e.g. from seqwatch generate)")
    Path input;
    @Option(names = "--runs", defaultValue = "3")
    int runs;
    @Option(names = "--dir", description = "scratch folder for the databases (default: a temp folder)")
    Path dir;
    @Option(names = "--skip-csvread", description = "measure only our import")
    boolean skipCsvread;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("seqwatch-bench");
        double[] ours = new double[runs];
        double[] theirs = new double[runs];
        double[] oursCpu = new double[runs];
        double[] theirsCpu = new double[runs];
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long rows = 0;
        long heapPeak = 0;
        for (int r = 0; r < runs; r++) {
            clean(scratch);
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            try (Workspace ws = Workspace.open(scratch.resolve("ours"))) {
                ImportResult res = new EventImporter(ws).importFile(input, ImportOptions.defaults(), ProgressListener.NONE);
                rows = res.rowsRead();
            }
            ours[r] = (System.nanoTime() - t0) / 1e9;
            oursCpu[r] = (cpuNanos() - c0) / 1e9;
            heapPeak = Math.max(heapPeak, heapPeak());
            System.err.printf("run %d: seqwatch import %.2f s (%.0f events/s), %.2f s CPU%n", r + 1, ours[r], rows / ours[r], oursCpu[r]);
            if (!skipCsvread) {
                clean(scratch);
                t0 = System.nanoTime();
                c0 = cpuNanos();
                try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + scratch.resolve("csvread").toAbsolutePath(), "sa", "");
                     Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t AS SELECT * FROM CSVREAD('" + input.toAbsolutePath().toString().replace("'", "''") + "')");
                    s.execute("SHUTDOWN");
                }
                theirs[r] = (System.nanoTime() - t0) / 1e9;
                theirsCpu[r] = (cpuNanos() - c0) / 1e9;
                System.err.printf("run %d: H2 CSVREAD      %.2f s (%.0f rows/s), %.2f s CPU%n", r + 1, theirs[r], rows / theirs[r], theirsCpu[r]);
            }
        }
        clean(scratch);
        double mo = median(ours);
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("file", input.toString());
        o.put("rows", rows);
        o.put("runs", runs);
        o.put("seqwatch_median_s", round(mo));
        o.put("seqwatch_events_per_s", Math.round(rows / mo));
        o.put("seqwatch_cpu_median_s", round(median(oursCpu)));
        o.put("heap_peak_mb", heapPeak >> 20);
        o.put("heap_max_mb", Runtime.getRuntime().maxMemory() >> 20);
        if (!skipCsvread) {
            double mt = median(theirs);
            o.put("csvread_median_s", round(mt));
            o.put("csvread_rows_per_s", Math.round(rows / mt));
            o.put("csvread_cpu_median_s", round(median(theirsCpu)));
            o.put("speed_ratio_vs_csvread", round(mt / mo));
        }
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("load_average_before", round(loadBefore));
        o.put("load_average_after", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println(json ? o.toString() : o.toPrettyString());
        return 0;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** CPU time of this process, all threads (the machine may be shared: wall time alone misleads). */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void clean(Path scratch) throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (p.getFileName().toString().endsWith(".db")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

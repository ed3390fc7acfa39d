package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.generate.GeneratorConfig;
import dev.seqwatch.generate.SessionGenerator;
import dev.seqwatch.rings.GeneratedLog;
import dev.seqwatch.rings.RingEvaluation;
import dev.seqwatch.rings.RingGraph;
import dev.seqwatch.rings.RingInput;
import dev.seqwatch.rings.RingLinker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code seqwatch bench rings}: generates a labelled log ({@code seqwatch generate}), reads it into memory
 * and times the ring linking on it (median of several runs), with the heap's peak; then scores the links
 * against the generator's rings (truth.csv ring column), per ring type.
 */
@Command(name = "rings", mixinStandardHelpOptions = true,
        description = "Time the ring linking on generated users (median of runs, heap peak) and measure per ring type "
                + "how many of each ring's members a member's top neighbours hold (recall) and how many of them are "
                + "of its ring (precision).")
public final class BenchRingsCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "100000", description = "generated users (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--seed", defaultValue = "1", description = "generator seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs", defaultValue = "3", description = "timed runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--window", defaultValue = "3600", description = "item window in seconds (default ${DEFAULT-VALUE})")
    long window;

    @Option(names = "--top", defaultValue = "25", description = "neighbours per user (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--bucket-cap", defaultValue = "200", description = "users a key may link (default ${DEFAULT-VALUE})")
    int bucketCap;

    @Option(names = "--min-strength", description = "weakest neighbour listed (default: the linker's)")
    Double minStrength;

    @Option(names = "--ring-strength", description = "weakest link inside a ring (default: the linker's)")
    Double ringStrength;

    @Option(names = "--sequence-weight", description = "strength of identical sequences (default: the linker's)")
    Double sequenceWeight;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (users < 2 || runs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--users must be at least 2 and --runs at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        RingLinker.Params d = RingLinker.Params.defaults();
        RingLinker.Params p = d.withTopK(top).withBucketCap(bucketCap).withWindow(window).withStrengths(
                minStrength == null ? d.minStrength() : minStrength, ringStrength == null ? d.ringStrength() : ringStrength,
                sequenceWeight == null ? d.sequenceWeight() : sequenceWeight);
        Path dir = Files.createTempDirectory("seqwatch-bench-rings");
        try {
            long t0 = System.nanoTime();
            new SessionGenerator(GeneratorConfig.of(users, 0.05, seed)).generate(dir, ProgressListener.NONE);
            long t1 = System.nanoTime();
            RingInput in = GeneratedLog.readEvents(dir.resolve(SessionGenerator.EVENTS), users);
            Map<String, String> truth = GeneratedLog.readRings(dir.resolve(SessionGenerator.TRUTH));
            long t2 = System.nanoTime();
            System.gc();
            long baseline = heapUsed();
            resetPeaks();
            RingLinker linker = new RingLinker(p);
            double[] ms = new double[runs];
            RingGraph g = null;
            for (int k = 0; k < runs; k++) {
                g = null;
                long a = System.nanoTime();
                g = linker.link(in, ProgressListener.NONE);
                g.rings();
                ms[k] = (System.nanoTime() - a) / 1e6;
            }
            long peak = heapPeak();
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            List<RingEvaluation.TypeRow> rows = RingEvaluation.evaluate(g, truth);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("users", users);
            m.put("events", in.events());
            m.put("seed", seed);
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("generate_s", (t1 - t0) / 1e9);
            m.put("read_s", (t2 - t1) / 1e9);
            m.put("link_ms_runs", ms);
            m.put("link_ms_median", sorted[runs / 2]);
            m.put("heap_before_mb", baseline / 1e6);
            m.put("heap_peak_mb", peak / 1e6);
            m.put("index_entries", g.indexEntries());
            m.put("keys", g.keys());
            m.put("keys_over_cap", g.skippedKeys());
            m.put("pair_work", g.pairWork());
            m.put("rings_found", g.rings().size());
            m.put("params", p.toString());
            List<Map<String, Object>> t = new ArrayList<>();
            rows.forEach(r -> t.add(r.toMap()));
            m.put("per_type", t);
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(m));
            } else {
                out.printf("%,d users, %,d events (seed %d): linking %.0f ms (median of %d: %s), heap %.0f MB before, peak %.0f MB%n",
                        users, in.events(), seed, sorted[runs / 2], runs, Arrays.toString(ms), baseline / 1e6, peak / 1e6);
                out.printf("index entries %,d, keys %,d (%,d over the cap of %d, ignored), pair work %,d, rings found %,d%n",
                        g.indexEntries(), g.keys(), g.skippedKeys(), p.bucketCap(), g.pairWork(), g.rings().size());
                out.printf("%-20s %6s %8s %8s %10s %12s %12s %12s%n", "ring type", "rings", "members", "recall", "precision",
                        "members@90%", "ring recall", "ring purity");
                for (RingEvaluation.TypeRow r : rows) {
                    out.printf("%-20s %6d %8d %8.3f %10.3f %12.3f %12.3f %12.3f%n", r.type(), r.rings(), r.members(),
                            r.recall(), r.precision(), r.membersAt90(), r.ringRecall(), r.ringPurity());
                }
            }
            out.flush();
            return 0;
        } finally {
            deleteTree(dir);
        }
    }

    private static long heapUsed() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                b.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset (an upper bound of the live peak: pools peak at different times). */
    private static long heapPeak() {
        long s = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                s += b.getPeakUsage().getUsed();
            }
        }
        return s;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}

package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.evaluate.ThresholdCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code seqwatch bench metrics}: building a ThresholdCurve and querying it, as the threshold slider does. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Time ThresholdCurve construction (sort + sweep: ROC-AUC, PR-AUC, best F1) and at(threshold) queries.")
public final class BenchMetricsCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "100000")
    int users;

    @Option(names = "--runs", defaultValue = "9")
    int runs;

    @Option(names = "--json")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        double[] s = new double[users];
        boolean[] y = new boolean[users];
        for (int i = 0; i < users; i++) {
            y[i] = r.nextDouble() < 0.02;
            s[i] = r.nextDouble() + (y[i] ? 0.3 : 0);
        }
        double[] build = new double[runs];
        double[] query = new double[runs];
        double sink = 0;
        int queries = 100_000;
        for (int k = 0; k < runs + 2; k++) { // 2 warm-up runs
            long t0 = System.nanoTime();
            ThresholdCurve c = ThresholdCurve.of(s, y);
            sink += c.rocAuc() + c.averagePrecision() + c.bestF1().f1();
            long t1 = System.nanoTime();
            for (int q = 0; q < queries; q++) {
                sink += c.at(q / (double) queries * 1.3).f1();
            }
            long t2 = System.nanoTime();
            if (k >= 2) {
                build[k - 2] = (t1 - t0) / 1e6;
                query[k - 2] = (t2 - t1) / (double) queries;
            }
        }
        Arrays.sort(build);
        Arrays.sort(query);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", users);
        m.put("build_ms_median", build[runs / 2]);
        m.put("at_ns_median", query[runs / 2]);
        m.put("checksum", sink);
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(m));
        } else {
            spec.commandLine().getOut().printf("%d users: build + ROC-AUC + PR-AUC + best F1 %.2f ms (median of %d), at(threshold) %.0f ns%n",
                    users, build[runs / 2], runs, query[runs / 2]);
        }
        return 0;
    }
}

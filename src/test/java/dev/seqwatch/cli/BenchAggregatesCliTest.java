package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** bench aggregates: every LSTM aggregate from one training per seed, beside the Isolation Forest. */
class BenchAggregatesCliTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{"" + status, out.toString(), err.toString()};
    }

    @Test
    void everyAggregateMatchesAModelTrainedWithItAndThePeerIsBeside(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(50, 8, 21);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, false);
        }
        Path labels = TinySessions.writeLabels(dir.resolve("truth.csv"), s);
        String[] small = {"--param", "hidden=8", "--param", "embed=4", "--param", "layers=1", "--epochs", "2"};
        String[] r = run(concat(new String[]{"bench", "aggregates", "--db", db.toString(), "--labels", labels.toString(),
                "--runs", "1", "--seed", "7", "--json", "--quiet"}, small));
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.get("users").asInt()).isEqualTo(58);
        assertThat(j.get("fraud").asInt()).isEqualTo(8);
        JsonNode sc = j.get("scorers");
        for (String name : new String[]{"lstm:top5_mean", "lstm:max", "lstm:mean_z", "lstm:two_sided", "lstm:topg_count", "iforest"}) {
            assertThat(sc.has(name)).as(name).isTrue();
            assertThat(sc.get(name).get("by_fraud_type").get("scripted_bot").get("roc_auc").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(j.get("pr_auc_chance").get("click_farming").asDouble()).isCloseTo(4.0 / 54, within(1e-12));

        // the same seed and parameters through train + evaluate give the same figures for the chosen aggregate
        for (String agg : new String[]{"two_sided", "top5_mean"}) {
            Path model = dir.resolve(agg + ".swm");
            String[] t = run(concat(new String[]{"train", "--db", db.toString(), "--detector", "lstm", "--seed", "7",
                    "--param", "aggregate=" + agg, "--model-out", model.toString()}, small));
            assertThat(t[0]).as(t[2]).isEqualTo("0");
            JsonNode e = new ObjectMapper().readTree(run("evaluate", "--db", db.toString(), "--model", model.toString(),
                    "--labels", labels.toString(), "--json")[1]);
            assertThat(e.get("pr_auc").asDouble()).as(agg).isCloseTo(sc.get("lstm:" + agg).get("pr_auc").asDouble(), within(1e-4));
            assertThat(e.get("roc_auc").asDouble()).as(agg).isCloseTo(sc.get("lstm:" + agg).get("roc_auc").asDouble(), within(1e-4));
        }
        String[] bad = run("bench", "aggregates", "--db", db.toString(), "--labels", labels.toString(), "--peers", "nosuch");
        assertThat(bad[0]).isEqualTo("1");
        assertThat(bad[2]).contains("unknown detector 'nosuch'");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

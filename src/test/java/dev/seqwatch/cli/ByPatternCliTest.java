package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** evaluate / compare --by-pattern: per fraud type ROC-AUC and PR-AUC of that type's users against the normal users. */
class ByPatternCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    /** Mann-Whitney: the share of (type user, normal user) pairs the score orders right, ties half. */
    private static double pairwiseAuc(Map<String, Double> score, TinySessions.Session s, String type) {
        double good = 0;
        long pairs = 0;
        for (String[] f : s.labels()) {
            if (!f[2].equals(type)) {
                continue;
            }
            for (String[] n : s.labels()) {
                if (n[1].equals("normal")) {
                    double a = score.get(f[0]);
                    double b = score.get(n[0]);
                    good += a > b ? 1 : a == b ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return good / pairs;
    }

    @Test
    void evaluateAndCompareBreakTheFiguresDownByFraudType(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(60, 8, 11);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, false);
        }
        Path labels = TinySessions.writeLabels(dir.resolve("labels.csv"), s);
        Path model = dir.resolve("m.swm");
        assertThat(run("train", "--db", db.toString(), "--detector", "zscore", "--model-out", model.toString()).status()).isZero();
        Path csv = dir.resolve("scores.csv");
        assertThat(run("score", "--db", db.toString(), "--model", model.toString(), "--out", csv.toString()).status()).isZero();
        Map<String, Double> score = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            score.put(f[0], Double.parseDouble(f[1]));
        }

        Run json = run("evaluate", "--db", db.toString(), "--model", model.toString(), "--labels", labels.toString(),
                "--by-pattern", "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode bp = new ObjectMapper().readTree(json.out()).get("by_pattern");
        assertThat(bp.size()).isEqualTo(2);
        for (String type : List.of("scripted_bot", "click_farming")) {
            JsonNode t = bp.get(type);
            assertThat(t.get("fraud_users").asInt()).isEqualTo(4);
            assertThat(t.get("normal_users").asInt()).isEqualTo(60);
            assertThat(t.get("roc_auc").asDouble()).as(type).isCloseTo(pairwiseAuc(score, s, type), within(1e-9));
            assertThat(t.get("pr_auc").asDouble()).isBetween(0.0, 1.0);
            assertThat(t.get("pr_auc_chance").asDouble()).isCloseTo(4.0 / 64, within(1e-12));
        }
        // without the flag the JSON has no by_pattern but keeps the per-type maps
        JsonNode plain = new ObjectMapper().readTree(run("evaluate", "--db", db.toString(), "--model", model.toString(),
                "--labels", labels.toString(), "--json").out());
        assertThat(plain.has("by_pattern")).isFalse();
        assertThat(plain.get("pr_auc_by_fraud_type").get("scripted_bot").asDouble())
                .isEqualTo(bp.get("scripted_bot").get("pr_auc").asDouble());

        Run table = run("evaluate", "--db", db.toString(), "--model", model.toString(), "--labels", labels.toString(), "--by-pattern");
        assertThat(table.status()).isZero();
        assertThat(table.out()).contains("against the 60 normal users").contains("ROC-AUC").contains("PR-AUC")
                .containsPattern("scripted_bot +4 +\\d\\.\\d{4} +\\d\\.\\d{4} +0\\.0625");

        Run cmp = run("compare", "--db", db.toString(), "--labels", labels.toString(), "--detectors", "zscore,markov",
                "--mode", "unsupervised", "--split", "none", "--by-pattern", "--json");
        assertThat(cmp.status()).as(cmp.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(cmp.out()).get("rows");
        JsonNode z = rows.get(0);
        assertThat(z.get("detector").asText()).isEqualTo("zscore");
        // the comparison's zscore is trained the same way as the model above: same per-type figures
        assertThat(z.get("by_pattern").get("click_farming").get("roc_auc").asDouble())
                .isCloseTo(bp.get("click_farming").get("roc_auc").asDouble(), within(1e-9));
        for (JsonNode row : rows) {
            assertThat(row.get("by_pattern").fieldNames()).toIterable().containsExactlyInAnyOrder("click_farming", "scripted_bot");
        }
        Run cmpTable = run("compare", "--db", db.toString(), "--labels", labels.toString(), "--detectors", "zscore,markov",
                "--mode", "unsupervised", "--split", "none", "--by-pattern");
        assertThat(cmpTable.out()).contains("ROC-AUC by fraud type (that type's users against the 60 normal users)")
                .contains("PR-AUC by fraud type").contains("(chance)").contains("click_far").contains("scripted_");
    }
}

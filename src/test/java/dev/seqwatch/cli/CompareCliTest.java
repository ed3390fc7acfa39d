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

class CompareCliTest {

    @Test
    void compareTableAndJson(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(120, 12, 9);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, false);
        }
        Path labels = TinySessions.writeLabels(dir.resolve("labels.csv"), s);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "compare", "--db", db.toString(),
                "--labels", labels.toString(), "--detectors", "markov,zscore,iforest,lof", "--param", "lof.k=10", "--split", "none", "--json");
        assertThat(status).as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.get("n_fraud").asInt()).isEqualTo(12);
        // 4 detectors + rank average (unsupervised); 4 + rank average + stacked (labels)
        assertThat(j.get("rows")).hasSize(11);
        JsonNode markov = j.get("rows").get(0);
        assertThat(markov.get("detector").asText()).isEqualTo("markov");
        assertThat(markov.get("k").asInt()).isEqualTo(12);
        assertThat(markov.get("recall_by_fraud_type_at_best_f1").get("scripted_bot").asDouble()).isEqualTo(1.0);
        for (JsonNode row : j.get("rows")) {
            assertThat(row.has("error")).as(row.toString()).isFalse();
            assertThat(row.get("roc_auc").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(j.get("ensemble_gain")).hasSize(3);
        assertThat(j.get("split").asText()).isEqualTo("none");
        assertThat(j.get("warnings").toString()).contains("trained on the users it is evaluated on").contains("saw their answers");
        assertThat(err.toString()).contains("seqwatch: warning: every detector was trained on the users it is evaluated on");

        StringWriter table = new StringWriter();
        status = SeqwatchCli.run(new PrintWriter(table, true), new PrintWriter(new StringWriter(), true), "compare", "--db",
                db.toString(), "--labels", labels.toString(), "--detectors", "markov,zscore", "--mode", "unsupervised");
        assertThat(status).isZero();
        assertThat(table.toString()).contains("ROC-AUC").contains("markov").contains("ensemble:rank-average");
        StringWriter bad = new StringWriter();
        status = SeqwatchCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(bad, true), "compare", "--db",
                db.toString(), "--labels", labels.toString(), "--param", "k=3");
        assertThat(status).isEqualTo(1);
        assertThat(bad.toString()).contains("DETECTOR.KEY=VALUE");
    }

    @Test
    void timeSplitByDefaultTrainsOnTheEarlierPartAndEvaluatesOnlyLaterUsers(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(160, 40, 11);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, false);
        }
        Path labels = TinySessions.writeLabels(dir.resolve("labels.csv"), s);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "compare", "--db", db.toString(),
                "--labels", labels.toString(), "--detectors", "markov,zscore", "--json");
        assertThat(status).as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.get("split").asText()).isEqualTo("time");
        // half the users (by first event) train, the other half are evaluated: no evaluated user was trained on
        assertThat(j.get("train_users").asInt() + j.get("n_users").asInt()).isEqualTo(200);
        assertThat(j.get("n_users").asInt()).isBetween(90, 110);
        assertThat(j.get("n_fraud").asInt()).isLessThan(40).isGreaterThan(0);
        assertThat(j.get("warnings")).isEmpty();
        assertThat(err.toString()).doesNotContain("warning");
        assertThat(j.get("cut").asText()).startsWith("20");

        StringWriter rnd = new StringWriter();
        status = SeqwatchCli.run(new PrintWriter(rnd, true), new PrintWriter(new StringWriter(), true), "compare", "--db", db.toString(),
                "--labels", labels.toString(), "--detectors", "markov,zscore", "--split", "random", "--train-share", "0.7", "--json");
        assertThat(status).isZero();
        JsonNode r = new ObjectMapper().readTree(rnd.toString());
        assertThat(r.get("train_users").asInt()).isEqualTo(140);
        assertThat(r.get("n_users").asInt()).isEqualTo(60);
        assertThat(r.get("warnings")).isEmpty();

        StringWriter bad = new StringWriter();
        status = SeqwatchCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(bad, true), "compare", "--db",
                db.toString(), "--labels", labels.toString(), "--split", "sideways");
        assertThat(status).isEqualTo(1);
        assertThat(bad.toString()).contains("--split must be time, random or none");
    }
}

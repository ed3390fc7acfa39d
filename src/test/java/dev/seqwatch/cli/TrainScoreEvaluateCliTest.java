package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainScoreEvaluateCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void trainScoreEvaluateEndToEnd(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(40, 6, 5);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, false);
        }
        Path labels = TinySessions.writeLabels(dir.resolve("labels.csv"), s);
        Path model = dir.resolve("markov.swm");

        Run train = run("train", "--db", db.toString(), "--detector", "markov", "--seed", "7", "--model-out", model.toString());
        assertThat(train.status()).as(train.err()).isZero();
        assertThat(model).exists();
        assertThat(train.out()).contains("model version 1");

        Path csv = dir.resolve("scores.csv");
        Run score = run("score", "--db", db.toString(), "--model", model.toString(), "--out", csv.toString());
        assertThat(score.status()).as(score.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("user_id,score,rank");
        assertThat(lines).hasSize(47);
        assertThat(lines.get(1)).endsWith(",1");
        double first = Double.parseDouble(lines.get(1).split(",")[1]);
        double last = Double.parseDouble(lines.get(46).split(",")[1]);
        assertThat(first).isGreaterThanOrEqualTo(last);

        Run eval = run("evaluate", "--db", db.toString(), "--model", model.toString(), "--labels", labels.toString(), "--json");
        assertThat(eval.status()).as(eval.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(eval.out());
        for (String key : List.of("precision", "recall", "f1", "roc_auc", "pr_auc", "threshold", "n_users", "n_fraud")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("n_users").asInt()).isEqualTo(46);
        assertThat(j.get("n_fraud").asInt()).isEqualTo(6);
        assertThat(eval.out().trim().lines().count()).as("exactly one JSON object on stdout").isEqualTo(1);

        // the model file maps to the stored version; no duplicate versions were added by score/evaluate
        try (Workspace ws = Workspace.open(db)) {
            List<ModelDao.ModelRecord> versions = ws.read(c -> new ModelDao().list(c));
            assertThat(versions).hasSize(1);
            assertThat(versions.get(0).active()).isTrue();
        }
    }

    @Test
    void badInputGivesOneLineAndNonZeroStatus(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, TinySessions.generate(5, 1, 1), false);
        }
        Run unknown = run("train", "--db", db.toString(), "--detector", "nope", "--model-out", dir.resolve("m").toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown detector 'nope'");
        Path notModel = Files.writeString(dir.resolve("x.swm"), "not a model");
        Run bad = run("score", "--db", db.toString(), "--model", notModel.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("not a Seqwatch model");
        Path model = dir.resolve("m.swm");
        assertThat(run("train", "--db", db.toString(), "--detector", "markov", "--model-out", model.toString()).status()).isZero();
        Path badLabels = Files.writeString(dir.resolve("l.csv"), "user_id,label\nn0,maybe\n");
        Run bl = run("evaluate", "--db", db.toString(), "--model", model.toString(), "--labels", badLabels.toString(), "--json");
        assertThat(bl.status()).isEqualTo(1);
        assertThat(bl.err()).contains("line 2").contains("maybe");
    }
}

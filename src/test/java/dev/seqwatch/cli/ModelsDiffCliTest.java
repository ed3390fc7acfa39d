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

class ModelsDiffCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void modelsListsVersionsAndDiffComparesTwoScoredOnes(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(40, 6, 5);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, false);
        }
        Run empty = run("models", "--db", db.toString());
        assertThat(empty.out()).startsWith("no model versions yet");
        for (String detector : new String[] {"markov", "zscore"}) {
            Path m = dir.resolve(detector + ".swm");
            assertThat(run("train", "--db", db.toString(), "--detector", detector, "--seed", "3", "--model-out", m.toString())
                    .status()).isZero();
            assertThat(run("score", "--db", db.toString(), "--model", m.toString()).status()).isZero();
        }
        Run models = run("models", "--db", db.toString(), "--json");
        assertThat(models.status()).as(models.err()).isZero();
        JsonNode list = new ObjectMapper().readTree(models.out());
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("detector").asText()).isEqualTo("markov");
        assertThat(list.get(0).path("active").asBoolean()).isTrue();
        assertThat(list.get(1).path("run").path("seed").asLong()).isEqualTo(3);
        assertThat(list.get(1).path("trained_on").path("users").asInt()).isEqualTo(46);

        Run diff = run("diff", "--db", db.toString(), "--from", "1", "--to", "2", "--top", "6", "--json");
        assertThat(diff.status()).as(diff.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(diff.out());
        assertThat(d.path("users").asInt()).isEqualTo(46);
        assertThat(d.path("from").path("rule").asText()).isEqualTo("top 6");
        assertThat(d.path("newly_flagged_count").asInt()).isEqualTo(d.path("no_longer_flagged_count").asInt())
                .as("both flag their top 6 (no ties in this session)");
        assertThat(d.path("biggest_rank_moves")).hasSize(20);

        assertThat(list.get(0).path("scores_current").asBoolean()).isTrue();
        assertThat(list.get(1).path("scores_current").asBoolean()).isTrue();

        // roll forward to version 2 and back to 1: both have stored scores covering the only import
        Run to2 = run("models", "--db", db.toString(), "--activate", "2");
        assertThat(to2.status()).as(to2.err()).isZero();
        assertThat(to2.out()).startsWith("model version 2 is active (its stored scores are current: nothing re-scored");
        Run to1 = run("models", "--db", db.toString(), "--activate", "1");
        assertThat(to1.out()).startsWith("model version 1 is active (its stored scores are current");
        Run listed = run("models", "--db", db.toString());
        assertThat(listed.out()).containsPattern("(?m)^1 +\\* markov .* stored ");
        Run missing = run("models", "--db", db.toString(), "--activate", "9");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("no model version 9 in ");

        Run bad = run("diff", "--db", db.toString(), "--from", "1", "--to", "7");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err()).contains("no model version 7 in ");
    }
}

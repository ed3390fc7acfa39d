package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchFewLabelsCliTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{String.valueOf(status), out.toString(), err.toString()};
    }

    @Test
    void drawsTrainsAndEvaluatesOnTheOthers(@TempDir Path dir) throws Exception {
        Path d = dir.resolve("g");
        assertThat(run("generate", "--users", "300", "--seed", "3", "--patterns", "classic", "--out", d.toString())[0]).isEqualTo("0");
        long fraudInTruth = Files.readAllLines(d.resolve("truth.csv")).stream().filter(l -> l.contains(",fraud,")).count();
        String[] r = run("bench", "fewlabels", "--data", d.toString(), "--detector", "markov", "--fraud", "3", "--normal", "20",
                "--label-seeds", "1,2", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.get("runs")).hasSize(2);
        for (JsonNode run : j.get("runs")) {
            assertThat(run.get("labelled").asInt()).isEqualTo(23);
            assertThat(run.get("labelled_fraud").asInt()).isEqualTo(3);
            // every user with events but the 23 labelled ones, against the truth
            assertThat(run.get("evaluated_fraud").asLong()).isEqualTo(fraudInTruth - 3);
            assertThat(run.get("evaluated").asInt()).isLessThanOrEqualTo(300 - 23).isGreaterThan(250);
            assertThat(run.get("pr_auc").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(j.get("medians")).hasSize(1);
        assertThat(j.get("medians").get(0).get("runs").asInt()).isEqualTo(2);
    }

    @Test
    void learningCurveByQueueOrder(@TempDir Path dir) throws Exception {
        Path d = dir.resolve("g");
        assertThat(run("generate", "--users", "200", "--seed", "4", "--patterns", "classic", "--out", d.toString())[0]).isEqualTo("0");
        String[] r = run("bench", "fewlabels", "--data", d.toString(), "--detector", "zscore", "--curve", "0,10,25",
                "--orders", "top,label-next,random", "--batch", "10", "--label-seeds", "1", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.get("runs")).hasSize(9);
        int i = 0;
        for (String order : new String[]{"top", "label-next", "random"}) {
            for (int n : new int[]{0, 10, 25}) {
                JsonNode run = j.get("runs").get(i++);
                assertThat(run.get("order").asText()).isEqualTo(order);
                assertThat(run.get("labelled").asInt()).isEqualTo(n);
            }
        }
    }

    @Test
    void refusesBadOptions(@TempDir Path dir) {
        String[] r = run("bench", "fewlabels", "--data", dir.toString(), "--detector", "markov");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("no events.csv");
        r = run("bench", "fewlabels", "--data", dir.toString(), "--detector", "markov", "--curve", "0,20,10");
        assertThat(r[2]).contains("--curve must be increasing");
        r = run("bench", "fewlabels", "--data", dir.toString(), "--detector", "markov", "--param", "nonsense=1");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("nonsense");
    }
}

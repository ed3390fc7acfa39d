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
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class QueueCliTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{String.valueOf(status), out.toString(), err.toString()};
    }

    @Test
    void labelNextListsUnlabelledUsersOnceAndAnomalousFollowsTheRanks(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(100, 10, 5);
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, s, true);
        }
        String[] r = run("queue", "--db", db.toString(), "--order", "label-next");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("has not scored the users");
        Path m = dir.resolve("m.swm");
        assertThat(run("train", "--db", db.toString(), "--detector", "markov", "--model-out", m.toString())[0]).isEqualTo("0");
        assertThat(run("score", "--db", db.toString(), "--model", m.toString())[0]).isEqualTo("0");

        // TinySessions labels every user: take the labels away from the question by a fresh workspace without labels
        Path db2 = dir.resolve("ws2");
        try (Workspace ws = TinySessions.openFresh(db2)) {
            TinySessions.store(ws, s, false);
        }
        assertThat(run("train", "--db", db2.toString(), "--detector", "markov", "--model-out", dir.resolve("m2.swm").toString())[0]).isEqualTo("0");
        assertThat(run("score", "--db", db2.toString(), "--model", dir.resolve("m2.swm").toString())[0]).isEqualTo("0");
        r = run("queue", "--db", db2.toString(), "--order", "label-next", "--top", "15", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.get("users")).hasSize(15);
        Set<String> seen = new HashSet<>();
        for (JsonNode u : j.get("users")) {
            assertThat(seen.add(u.get("user_id").asText())).isTrue();
            assertThat(u.get("uncertainty").asDouble()).isBetween(0.0, 1.0);
        }
        // no user is labelled and none picked yet: the first pick counts as fully diverse
        assertThat(j.get("users").get(0).get("diversity").asDouble()).isEqualTo(1.0);

        // every user of the first workspace is labelled: nothing left to ask about
        r = run("queue", "--db", db.toString(), "--order", "label-next", "--json");
        assertThat(new ObjectMapper().readTree(r[1]).get("users")).isEmpty();

        r = run("queue", "--db", db.toString(), "--top", "5", "--json");
        JsonNode a = new ObjectMapper().readTree(r[1]).get("users");
        assertThat(a).hasSize(5);
        for (int i = 1; i < a.size(); i++) {
            assertThat(a.get(i).get("score").asDouble()).isLessThanOrEqualTo(a.get(i - 1).get("score").asDouble());
        }
        assertThat(run("queue", "--db", db.toString(), "--order", "sideways")[2]).contains("--order must be anomalous or label-next");
    }
}

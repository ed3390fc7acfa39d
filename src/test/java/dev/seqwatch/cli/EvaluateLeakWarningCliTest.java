package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluateLeakWarningCliTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{String.valueOf(status), out.toString(), err.toString()};
    }

    @Test
    void warnsWhenTheEvaluatedUsersWereLabelledAtTrainingAndNotWhenLabelledAfter(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(60, 8, 3);
        Path labels = TinySessions.writeLabels(dir.resolve("labels.csv"), s);

        Path before = dir.resolve("before");
        try (Workspace ws = TinySessions.openFresh(before)) {
            TinySessions.store(ws, s, true);
        }
        Path m1 = dir.resolve("m1.swm");
        assertThat(run("train", "--db", before.toString(), "--detector", "markov", "--model-out", m1.toString())[0]).isEqualTo("0");
        String[] r = run("evaluate", "--db", before.toString(), "--model", m1.toString(), "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("seqwatch: warning: 68 of the evaluated users were labelled when this model was trained");
        assertThat(new ObjectMapper().readTree(r[1]).get("evaluated_users_labelled_when_trained").asInt()).isEqualTo(68);

        Path after = dir.resolve("after");
        try (Workspace ws = TinySessions.openFresh(after)) {
            TinySessions.store(ws, s, false);
        }
        Path m2 = dir.resolve("m2.swm");
        assertThat(run("train", "--db", after.toString(), "--detector", "markov", "--model-out", m2.toString())[0]).isEqualTo("0");
        assertThat(run("labels", "--db", after.toString(), "--input", labels.toString(), "--analyst", "a")[0]).isEqualTo("0");
        r = run("evaluate", "--db", after.toString(), "--model", m2.toString(), "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).doesNotContain("warning");
        assertThat(new ObjectMapper().readTree(r[1]).get("evaluated_users_labelled_when_trained").asInt()).isZero();
    }
}

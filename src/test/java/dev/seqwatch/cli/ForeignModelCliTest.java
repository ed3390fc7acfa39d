package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17 item 12: a model trained on another workspace is not used silently with that workspace's threshold. */
class ForeignModelCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    private static Path workspace(Path dir, String name, int seed) {
        Path data = dir.resolve(name + "-data");
        assertThat(run("generate", "--users", "80", "--seed", Integer.toString(seed), "--out", data.toString()).status()).isZero();
        Path db = dir.resolve(name);
        Run imp = run("import", "--db", db.toString(), "--input", data.resolve("events.csv").toString());
        assertThat(imp.status()).as(imp.err()).isZero();
        Run lab = run("labels", "--db", db.toString(), "--input", data.resolve("labels.csv").toString());
        assertThat(lab.status()).as(lab.err()).isZero();
        return db;
    }

    @Test
    void aModelFromAnotherWorkspaceIsNamedAsSuchWhereItsThresholdIsUsed(@TempDir Path dir) throws Exception {
        Path a = workspace(dir, "alpha", 1);
        Path b = workspace(dir, "beta", 2);
        Path model = dir.resolve("alpha-markov.swm");
        Run train = run("train", "--db", a.toString(), "--detector", "markov", "--model-out", model.toString());
        assertThat(train.status()).as(train.err()).isZero();

        // on its own workspace: no warning
        Run home = run("evaluate", "--db", a.toString(), "--model", model.toString(), "--json");
        assertThat(home.status()).as(home.err()).isZero();
        assertThat(home.err()).doesNotContain("was trained on");
        assertThat(new ObjectMapper().readTree(home.out()).path("trained_on_another_workspace").asBoolean()).isFalse();

        // elsewhere: evaluate and score say where it was trained and what that means for the threshold
        Run away = run("evaluate", "--db", b.toString(), "--model", model.toString(), "--json");
        assertThat(away.status()).as(away.err()).isZero();
        assertThat(away.err()).contains("seqwatch: warning: " + model + " was trained on alpha.mv.db (1 import, none of them in "
                + "this workspace); its calibrated threshold ").contains("was chosen there and may flag far too many or too few users here");
        assertThat(new ObjectMapper().readTree(away.out()).path("trained_on_another_workspace").asBoolean()).isTrue();
        Run score = run("score", "--db", b.toString(), "--model", model.toString());
        assertThat(score.status()).as(score.err()).isZero();
        assertThat(score.err()).contains("seqwatch: warning: " + model + " was trained on alpha.mv.db");

        // the thresholds panel, exports and reports read the method: it names the other workspace
        try (Workspace ws = Workspace.openExisting(b)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int version = svc.versionOf(svc.readModelFile(model));
            assertThat(svc.calibrationMethod(version)).endsWith("(set on alpha.mv.db, another workspace: may not suit this one)");
        }
        try (Workspace ws = Workspace.openExisting(a)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int version = svc.versionOf(svc.readModelFile(model));
            assertThat(version).as("train stored it in alpha").isPositive();
            assertThat(svc.calibrationMethod(version)).doesNotContain("another workspace");
        }
    }
}

package dev.seqwatch.cli;

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

class ExportBackupCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void exportBackupRestoreFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("ws");
        try (Workspace ws = TinySessions.openFresh(db)) {
            TinySessions.store(ws, TinySessions.generate(20, 4, 9), true);
        }
        String w = db.toString();
        Run none = run("export", "flagged", "--db", w, "--out", dir.resolve("f.csv").toString());
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).contains("no active model").doesNotContain("Exception");

        assertThat(run("train", "--db", w, "--detector", "markov", "--exclude-fraud", "--model-out",
                dir.resolve("m.swm").toString()).status()).isZero();
        assertThat(run("score", "--db", w, "--model", dir.resolve("m.swm").toString()).status()).isZero();

        Run flagged = run("export", "flagged", "--db", w, "--out", dir.resolve("f.csv").toString(), "--top-steps", "2",
                "--threshold", "0");
        assertThat(flagged.status()).as(flagged.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("f.csv"));
        assertThat(lines).hasSize(25); // threshold 0 flags all 24 users
        assertThat(lines.get(0)).endsWith("step2_expected");

        Run labels = run("export", "labels", "--db", w, "--out", dir.resolve("l.csv").toString());
        assertThat(labels.status()).as(labels.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("l.csv"))).hasSize(25);

        Run report = run("export", "report", "--db", w, "--user", "f0", "--out", dir.resolve("case.html").toString());
        assertThat(report.status()).as(report.err()).isZero();
        assertThat(Files.readString(dir.resolve("case.html"))).contains("Case report").contains("f0");

        Path zip = dir.resolve("backup.zip");
        Run backup = run("backup", "--db", w, "--out", zip.toString());
        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.err()).contains("24 label rows");

        Run refused = run("restore", "--from", zip.toString(), "--db", w);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err().strip().lines().toList()).hasSize(1);
        assertThat(refused.err()).contains("already exists").contains("--force");

        Run restored = run("restore", "--from", zip.toString(), "--db", dir.resolve("copy").toString());
        assertThat(restored.status()).as(restored.err()).isZero();
        Run copyReport = run("export", "report", "--db", dir.resolve("copy").toString(), "--out", dir.resolve("q.html").toString());
        assertThat(copyReport.status()).as("the restored copy has the model and scores: " + copyReport.err()).isZero();

        Run forced = run("restore", "--from", zip.toString(), "--db", w, "--force");
        assertThat(forced.status()).as(forced.err()).isZero();

        Run noDb = run("backup", "--db", dir.resolve("nothing").toString(), "--out", zip.toString());
        assertThat(noDb.status()).isEqualTo(1);
        assertThat(noDb.err()).contains("no workspace");
        assertThat(dir.resolve("nothing.mv.db")).doesNotExist();
    }
}

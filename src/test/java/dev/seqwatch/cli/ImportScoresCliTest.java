package dev.seqwatch.cli;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.generate.GeneratorConfig;
import dev.seqwatch.generate.SessionGenerator;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code seqwatch import-scores} on an output folder in the Spark job's format (top-users.csv, summary.json,
 * model.swm; made here from {@code seqwatch score}'s ranking, since the desktop build has no Spark): the top N
 * users' events only, the model as a version, scores checked against the job's.
 */
class ImportScoresCliTest {
    @TempDir
    static Path dir;
    static Path events;
    static Path full;
    static Path jobOut;
    static List<String[]> ranked = new ArrayList<>();

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @BeforeAll
    static void jobOutput() throws Exception {
        new SessionGenerator(new GeneratorConfig(150, 0.05, 5, GeneratorConfig.DEFAULT_START, 5))
                .generate(dir.resolve("gen"), ProgressListener.NONE);
        events = dir.resolve("gen").resolve(SessionGenerator.EVENTS);
        full = dir.resolve("full");
        Path model = dir.resolve("m.swm");
        assertThat(run("import", "--db", full.toString(), "--input", events.toString(), "--quiet").status()).isZero();
        assertThat(run("train", "--db", full.toString(), "--detector", "markov", "--model-out", model.toString()).status()).isZero();
        Path scores = dir.resolve("scores.csv");
        assertThat(run("score", "--db", full.toString(), "--model", model.toString(), "--out", scores.toString()).status()).isZero();
        jobOut = dir.resolve("job");
        Files.createDirectories(jobOut);
        Files.copy(model, jobOut.resolve("model.swm"));
        List<String> lines = Files.readAllLines(scores);
        StringBuilder csv = new StringBuilder("user_id,score,rank,flagged,events\n");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            ranked.add(f);
            csv.append(f[0]).append(',').append(f[1]).append(',').append(f[2]).append(",,1\n");
        }
        Files.writeString(jobOut.resolve("top-users.csv"), csv);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
        Files.writeString(jobOut.resolve("summary.json"), "{\"format\":\"seqwatch-spark-scores\",\"format_version\":1,"
                + "\"model\":{\"sha256\":\"" + sha + "\",\"detector\":\"markov\"},\"users\":" + ranked.size() + "}");
    }

    @Test
    void bringsTheTopUsersEventsAndScoresIntoAWorkspace() {
        Path ws = dir.resolve("triage");
        Run r = run("import-scores", "--db", ws.toString(), "--from", jobOut.toString(), "--top", "10",
                "--events", events.toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("the scores equal the job's for all 10 users found");
        SequenceSet all;
        SequenceSet got;
        try (Workspace w = Workspace.openExisting(full)) {
            all = w.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        }
        try (Workspace w = Workspace.openExisting(ws)) {
            got = w.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        }
        assertThat(got.size()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            String u = ranked.get(i)[0];
            assertThat(got.user(u)).as(u).isNotNull();
            assertThat(got.user(u).length()).isEqualTo(all.user(u).length());
        }
    }

    @Test
    void aScoreThatDiffersFromTheJobsIsReported() throws Exception {
        Path out = dir.resolve("job-differs");
        Files.createDirectories(out);
        for (String f : List.of("model.swm", "summary.json")) {
            Files.copy(jobOut.resolve(f), out.resolve(f));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(jobOut.resolve("top-users.csv")));
        String[] f = lines.get(2).split(",");
        lines.set(2, f[0] + "," + (Double.parseDouble(f[1]) + 0.5) + "," + f[2] + ",,1");
        Files.write(out.resolve("top-users.csv"), lines);
        Run r = run("import-scores", "--db", dir.resolve("differs").toString(), "--from", out.toString(), "--top", "3",
                "--events", events.toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("warning: 1 users score differently than in the job").contains(f[0]);
    }

    @Test
    void aChangedModelOrTooFewUsersAreRefusedBeforeTheWorkspaceIsCreated() throws Exception {
        Path out = dir.resolve("job-bad");
        Files.createDirectories(out);
        Files.copy(jobOut.resolve("top-users.csv"), out.resolve("top-users.csv"));
        Files.copy(jobOut.resolve("summary.json"), out.resolve("summary.json"));
        byte[] m = Files.readAllBytes(jobOut.resolve("model.swm"));
        m[m.length - 1] ^= 1;
        Files.write(out.resolve("model.swm"), m);
        Path ws = dir.resolve("refused");
        Run r = run("import-scores", "--db", ws.toString(), "--from", out.toString(), "--top", "3",
                "--events", events.toString(), "--quiet");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("is not the one the job scored with");
        // the job scored more users than its top-users.csv holds
        Files.copy(jobOut.resolve("model.swm"), out.resolve("model.swm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(out.resolve("summary.json"), Files.readString(jobOut.resolve("summary.json"))
                .replace("\"users\":" + ranked.size(), "\"users\":100000"));
        Run many = run("import-scores", "--db", ws.toString(), "--from", out.toString(), "--top",
                Integer.toString(ranked.size() + 1), "--events", events.toString(), "--quiet");
        assertThat(many.status()).isNotZero();
        assertThat(many.err()).contains("holds only the top " + ranked.size() + " users");
        assertThat(Workspace.fileOf(ws)).doesNotExist();
    }
}

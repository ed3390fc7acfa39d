package dev.seqwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code seqwatch rings} on an imported hand-built log: three accounts hammer the same items on the same days. */
class RingsCliTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void writesTheRingWithItsLabelledFraudShareAndNeighbours() throws Exception {
        StringBuilder csv = new StringBuilder("user_id,timestamp,action,item_id,category_id,amount\n");
        SplittableRandom r = new SplittableRandom(3);
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        for (int u = 0; u < 40; u++) {   // background: own items, random times
            long t = r.nextLong(20 * 86_400L);
            for (int i = 0; i < 8; i++) {
                t += 1 + r.nextInt(900);
                csv.append("bg").append(u).append(',').append(t0.plusSeconds(t)).append(",view,i").append(1000 + u * 10 + i)
                        .append(",c1,\n");
            }
        }
        for (String u : List.of("r1", "r2", "r3")) {
            for (int day = 2; day <= 4; day++) {
                long t = day * 86_400L + 3_600 * 10 + r.nextInt(3_600);
                for (int i = 0; i < 9; i++) {
                    csv.append(u).append(',').append(t0.plusSeconds(t + i * 4L)).append(",view,i").append(500 + i % 3)
                            .append(",c2,\n");
                }
            }
        }
        Path events = dir.resolve("events.csv");
        Files.writeString(events, csv);
        Path db = dir.resolve("ws");
        assertThat(run("import", "--db", db.toString(), "--input", events.toString(), "--quiet").status()).isZero();
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "user_id,label\nr1,fraud\nr2,normal\nbg1,normal\n");
        Run l = run("labels", "--db", db.toString(), "--input", labels.toString());
        assertThat(l.status()).as(l.err()).isZero();

        Path out = dir.resolve("rings.csv");
        Path nb = dir.resolve("neighbours.csv");
        Run x = run("rings", "--db", db.toString(), "--out", out.toString(), "--neighbours", nb.toString());
        assertThat(x.status()).as(x.err()).isZero();
        assertThat(x.out()).contains("linked 43 users").contains("1 rings");
        List<String> rows = Files.readAllLines(out);
        assertThat(rows.get(0)).isEqualTo("ring,size,labelled,labelled_fraud,fraud_share,linked_by,mean_strength,members");
        assertThat(rows).hasSize(2);
        String[] f = rows.get(1).split(",", -1);
        assertThat(f[1]).isEqualTo("3");
        assertThat(f[2]).isEqualTo("2");
        assertThat(f[3]).isEqualTo("1");
        assertThat(f[4]).isEqualTo("0.5000");
        assertThat(f[5]).isEqualTo("items 3/3; sequence 3/3");   // the same items on the same days, views 4 s apart
        assertThat(f[7].split(" ")).containsExactlyInAnyOrder("r1", "r2", "r3");
        List<String> n = Files.readAllLines(nb);
        assertThat(n.get(0)).isEqualTo("user_id,rank,neighbour,strength,shared_item_windows,shared_amounts,sequence_similarity");
        assertThat(n.stream().filter(s -> s.startsWith("r1,"))).hasSize(2)
                .allSatisfy(s -> assertThat(s.split(",")[2]).isIn("r2", "r3"));

        Run json = run("rings", "--db", db.toString(), "--out", dir.resolve("r2.csv").toString(), "--json");
        assertThat(json.status()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"rings\":1").contains("\"fraud_share\":0.5");
    }

    @Test
    void refusesToWriteOverTheWorkspaceOrItsOtherOutput() throws Exception {
        Path events = dir.resolve("e.csv");
        Files.writeString(events, "user_id,timestamp,action\nu1,2026-03-01T00:00:00Z,view\n");
        Path db = dir.resolve("ws");
        assertThat(run("import", "--db", db.toString(), "--input", events.toString(), "--quiet").status()).isZero();
        Run r = run("rings", "--db", db.toString(), "--out", dir.resolve("ws.mv.db").toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("would overwrite").contains("nothing was written");
        Run same = run("rings", "--db", db.toString(), "--out", dir.resolve("x.csv").toString(),
                "--neighbours", dir.resolve("x.csv").toString());
        assertThat(same.status()).isNotZero();
        assertThat(same.err()).contains("would overwrite the --neighbours file");
        assertThat(dir.resolve("x.csv")).doesNotExist();
    }
}

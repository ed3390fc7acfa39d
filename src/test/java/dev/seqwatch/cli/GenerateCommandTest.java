package dev.seqwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SeqwatchCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void writesTheThreeFilesAndSaysWhatItWrote() {
        Path dir = tmp.resolve("s");
        assertThat(run("generate", "--out", dir.toString(), "--users", "240", "--fraud-rate", "0.1", "--seed", "3")).isZero();
        assertThat(dir.resolve("events.csv")).exists();
        assertThat(dir.resolve("truth.csv")).exists();
        assertThat(dir.resolve("labels.csv")).exists();
        assertThat(out.toString())
                .contains("240 users")
                .contains("fraud users: 24 (click_farming 3, order_brushing 3, account_takeover 3, scripted_bot 3, coupon_abuse 3,"
                        + " catalogue_scraping 3, cart_hoarding 3, cadence_bot 3)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void patternsChooseTheFraudTypesAndTheClassicFiveRewriteTheSampleSessionsBytes() throws IOException {
        Path classic = tmp.resolve("classic");
        Path five = tmp.resolve("five");
        assertThat(run("generate", "--out", classic.toString(), "--users", "200", "--fraud-rate", "0.1", "--seed", "3",
                "--patterns", "classic")).isZero();
        assertThat(out.toString()).contains("fraud users: 20 (click_farming 4, order_brushing 4, account_takeover 4, scripted_bot 4, coupon_abuse 4)");
        assertThat(run("generate", "--out", five.toString(), "--users", "200", "--fraud-rate", "0.1", "--seed", "3",
                "--patterns", "click_farming,order_brushing,account_takeover,scripted_bot,coupon_abuse")).isZero();
        assertThat(Files.mismatch(classic.resolve("events.csv"), five.resolve("events.csv"))).isEqualTo(-1L);
        out.getBuffer().setLength(0);
        Path two = tmp.resolve("two");
        assertThat(run("generate", "--out", two.toString(), "--users", "100", "--fraud-rate", "0.1", "--seed", "3",
                "--patterns", "cadence_bot, cart_hoarding")).isZero();
        assertThat(out.toString()).contains("fraud users: 10 (cadence_bot 5, cart_hoarding 5)");
        assertThat(Files.readAllLines(two.resolve("truth.csv")).stream().filter(l -> l.contains(",fraud,"))
                .map(l -> l.split(",")[2]).distinct()).containsExactlyInAnyOrder("cadence_bot", "cart_hoarding");
    }

    @Test
    void unknownOrRepeatedPatternsAreRefusedWithTheNames() {
        assertThat(run("generate", "--out", tmp.resolve("x").toString(), "--patterns", "click_farming,scraping")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: unknown fraud pattern 'scraping'; choose from click_farming, order_brushing,")
                .contains("cadence_bot");
        err.getBuffer().setLength(0);
        assertThat(run("generate", "--out", tmp.resolve("y").toString(), "--patterns", "cadence_bot,cadence_bot")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: a fraud pattern is named twice in cadence_bot,cadence_bot");
        err.getBuffer().setLength(0);
        assertThat(run("generate", "--out", tmp.resolve("z").toString(), "--patterns", "cadence_bot,")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: --patterns 'cadence_bot,': an empty name");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void negativeUsersIsRefusedInOneLine() {
        assertThat(run("generate", "--out", tmp.toString(), "--users", "-5")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: --users must be at least 1, got -5" + System.lineSeparator());
    }

    @Test
    void fraudRateOutsideZeroToOneIsRefused() {
        assertThat(run("generate", "--out", tmp.toString(), "--fraud-rate", "1.5")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: --fraud-rate must be between 0 and 1, got 1.5" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("generate", "--out", tmp.toString(), "--fraud-rate", "-0.1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: --fraud-rate must be between 0 and 1, got -0.1");
    }

    @Test
    void outputBelowAFileIsRefusedWithThePath() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        Path bad = file.resolve("sub");
        assertThat(run("generate", "--out", bad.toString(), "--users", "10")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: cannot create output folder " + bad);
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void outputThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("events"), "x");
        assertThat(run("generate", "--out", file.toString(), "--users", "10")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("seqwatch: cannot create output folder " + file
                + ": a file of that name is in the way" + System.lineSeparator());
    }

    @Test
    void tooManyUsersAndBadStartAreRefused() {
        assertThat(run("generate", "--out", tmp.toString(), "--users", "60000000")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: --users must be at most 50000000, got 60000000");
        err.getBuffer().setLength(0);
        assertThat(run("generate", "--out", tmp.toString(), "--start", "2026-13-01")).isEqualTo(1);
        assertThat(err.toString()).startsWith("seqwatch: --start must be a date like 2026-03-01, got '2026-13-01'");
    }

    @Test
    void missingOutIsAUsageError() {
        assertThat(run("generate", "--users", "10")).isNotZero();
        assertThat(err.toString()).contains("--out");
    }
}

package dev.seqwatch.detect.ngram;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NgramDetectorTest {
    private static final long MIN = 60_000L;

    private static SequenceSet users(String[]... histories) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        long id = 1;
        for (int u = 0; u < histories.length; u++) {
            for (int i = 0; i < histories[u].length; i++) {
                b.add(id++, "u" + u, i * MIN, histories[u][i], null, null, Double.NaN);
            }
        }
        return b.build();
    }

    private static NgramDetector trained(Map<String, String> params, String[]... histories) {
        // plain STIDE unless a test asks for t-STIDE (the default, min_users=30, needs many users)
        Map<String, String> p = new java.util.HashMap<>(params);
        p.putIfAbsent("min_users", "1");
        NgramDetector d = new NgramDetector();
        d.fit(users(histories), new FitOptions(0, 1, false, LabelSet.empty(), p), ProgressListener.NONE);
        return d;
    }

    @Test
    void aHandComputedExampleOfTrigramMismatches() {
        // training: ^ ^ view cart buy $  ->  trigrams (^,^,view) (^,view,cart) (view,cart,buy) (cart,buy,$)
        NgramDetector d = trained(Map.of("n", "3"), new String[]{"view", "cart", "buy"});
        assertThat(d.distinctNgrams()).isEqualTo(4);
        // probe: view cart cart buy  -> (^,^,view) ok, (^,view,cart) ok, (view,cart,cart) MISS,
        // (cart,cart,buy) MISS, then (cart,buy,$) ok: 2 mismatches of 5 tokens
        Scores s = d.score(users(new String[]{"view", "cart", "cart", "buy"}), ProgressListener.NONE);
        UserScores u = s.user("u0");
        assertThat(u.steps()).containsExactly(0, 0, 1, 1);
        // frame 20 > 5 tokens: the frame is the whole history: 2/5, plus rate/1000
        assertThat(u.score()).isEqualTo(2.0 / 5 + (2.0 / 5) / 1000);
        // after (view, cart) the model expected buy
        assertThat(s.expectedText(u, 2)).isEqualTo("buy");
        // after (cart, buy) it expected the session to end
        Scores end = d.score(users(new String[]{"view", "cart", "buy", "view"}), ProgressListener.NONE);
        UserScores e = end.user("u0");
        assertThat(e.steps()).containsExactly(0, 0, 0, 1);
        assertThat(end.expectedText(e, 3)).isEqualTo("<session end>");
    }

    @Test
    void aSessionThatStopsEarlyIsAMismatchAtItsEnd() {
        NgramDetector d = trained(Map.of("n", "2"), new String[]{"view", "cart", "buy"});
        UserScores u = d.score(users(new String[]{"view", "cart"}), ProgressListener.NONE).user("u0");
        assertThat(u.steps()).containsExactly(0, 0);
        assertThat(u.score()).isGreaterThan(0); // (cart, $) was never seen
        UserScores whole = d.score(users(new String[]{"view", "cart", "buy"}), ProgressListener.NONE).user("u0");
        assertThat(whole.score()).isZero();
    }

    @Test
    void theLocalityFrameFindsABurstThatTheRateDilutes() {
        String[] normal = new String[40];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = i % 2 == 0 ? "view" : "cart";
        }
        NgramDetector lfc = trained(Map.of("n", "2", "frame", "4"), normal);
        NgramDetector rate = trained(Map.of("n", "2", "aggregate", "rate"), normal);
        String[] burst = normal.clone();
        burst[20] = "buy";
        burst[21] = "buy";
        SequenceSet probe = users(burst);
        double lfcScore = lfc.score(probe, ProgressListener.NONE).user("u0").score();
        double rateScore = rate.score(probe, ProgressListener.NONE).user("u0").score();
        // (view,buy) (buy,buy) (buy,view) miss: 3 in a frame of 4; 3 of 41 tokens overall
        assertThat(lfcScore).isEqualTo(3.0 / 4 + (3.0 / 41) / 1000);
        assertThat(rateScore).isEqualTo(3.0 / 41);
    }

    @Test
    void withMinUsersAScriptOneUserRepeatsIsStillRare() {
        String[] human = {"view", "cart", "buy"};
        String[] bot = new String[30];
        java.util.Arrays.fill(bot, "search");
        // three people and one bot in training: the bot's (search, search) occurs 29 times, by one user
        NgramDetector plain = trained(Map.of("n", "2"), human, human, human, bot);
        NgramDetector tStide = trained(Map.of("n", "2", "min_users", "2"), human, human, human, bot);
        SequenceSet probe = users(human, bot);
        Scores p = plain.score(probe, ProgressListener.NONE);
        Scores t = tStide.score(probe, ProgressListener.NONE);
        assertThat(p.user("u1").score()).isZero();
        assertThat(t.user("u0").score()).isZero();
        assertThat(t.user("u1").score()).isEqualTo(1.0 + 1.0 / 1000); // all 31 tokens rare: every frame full
    }

    @Test
    void sessionGapsRestartTheContext() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        b.add(1, "u", 0, "view", null, null, Double.NaN);
        b.add(2, "u", MIN, "buy", null, null, Double.NaN);
        b.add(3, "u", 120 * MIN, "view", null, null, Double.NaN); // new session after a 2-hour gap
        b.add(4, "u", 121 * MIN, "buy", null, null, Double.NaN);
        NgramDetector d = new NgramDetector();
        d.fit(b.build(), new FitOptions(0, 1, false, LabelSet.empty(), Map.of("n", "2")), ProgressListener.NONE);
        // (^,view) (view,buy) (buy,$) twice: 3 distinct; (buy, view) never forms across the gap
        assertThat(d.distinctNgrams()).isEqualTo(3);
    }

    @Test
    void badParametersAreRefusedWithTheirRange() {
        assertThatThrownBy(() -> trained(Map.of("n", "0"), new String[]{"a"}))
                .isInstanceOf(UserFacingException.class).hasMessage("ngram: n must be 1..10, was 0");
        assertThatThrownBy(() -> trained(Map.of("window", "3"), new String[]{"a"}))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("unknown parameter 'window'");
        assertThatThrownBy(() -> trained(Map.of("aggregate", "max"), new String[]{"a"}))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("aggregate must be lfc or rate");
    }

    @Test
    void craftedTablesAreRefusedBeforeTheyAreAllocated(@TempDir Path dir) throws Exception {
        NgramDetector d = trained(Map.of("n", "2"), new String[]{"view", "cart", "buy"});
        Path good = dir.resolve("good.swm");
        d.save(good);
        ModelFile f = ModelFile.read(good);
        // a count far beyond what the entry holds: refused by size, nothing allocated for it
        Path huge = dir.resolve("huge.swm");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeInt(Integer.MAX_VALUE);
        }
        ModelFile.write(huge, f.manifest(), Map.of(NgramDetector.ENTRY, b.toByteArray()));
        assertThatThrownBy(() -> NgramDetector.load(huge)).isInstanceOf(UserFacingException.class)
                .hasMessage("damaged n-gram model: it declares 2147483647 n-grams but holds 0");
        // out-of-order grams
        Path disorder = dir.resolve("disorder.swm");
        b.reset();
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeInt(2);
            o.writeLong(5);
            o.writeLong(1);
            o.writeInt(1);
            o.writeLong(4);
            o.writeLong(1);
            o.writeInt(1);
        }
        ModelFile.write(disorder, f.manifest(), Map.of(NgramDetector.ENTRY, b.toByteArray()));
        assertThatThrownBy(() -> NgramDetector.load(disorder)).isInstanceOf(UserFacingException.class)
                .hasMessage("damaged n-gram model: n-gram 2 is out of range or out of order");
        // more users than occurrences
        Path support = dir.resolve("support.swm");
        b.reset();
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeInt(1);
            o.writeLong(4);
            o.writeLong(2);
            o.writeInt(3);
        }
        ModelFile.write(support, f.manifest(), Map.of(NgramDetector.ENTRY, b.toByteArray()));
        assertThatThrownBy(() -> NgramDetector.load(support)).isInstanceOf(UserFacingException.class)
                .hasMessage("damaged n-gram model: n-gram 1 is used by 3 users but occurs 2 times");
        // a hostile n in the manifest
        Path bigN = dir.resolve("bign.swm");
        var m = f.manifest().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.path("params")).put("n", 1_000_000);
        ModelFile.write(bigN, m, Map.of(NgramDetector.ENTRY, f.entry(NgramDetector.ENTRY)));
        assertThatThrownBy(() -> NgramDetector.load(bigN)).isInstanceOf(UserFacingException.class)
                .hasMessage("ngram: n must be 1..10, was 1000000");
        assertThat(Files.size(good)).isPositive();
        assertThat(NgramDetector.load(good).distinctNgrams()).isEqualTo(d.distinctNgrams());
    }
}

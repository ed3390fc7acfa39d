package dev.seqwatch.detect.markov;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MarkovDetectorTest {
    private static final long MIN = 60_000L;

    /** u1: view view cart buy; u2: view cart (one minute apart). */
    private static SequenceSet corpus() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        String[] u1 = {"view", "view", "cart", "buy"};
        for (int i = 0; i < u1.length; i++) {
            b.add(i + 1, "u1", i * MIN, u1[i], "i" + i, "c", Double.NaN);
        }
        b.add(10, "u2", 0, "view", "i9", "c", Double.NaN);
        b.add(11, "u2", MIN, "cart", "i9", "c", Double.NaN);
        return b.build();
    }

    private static SequenceSet oneUser(String user, long gapMillis, String... actions) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int i = 0; i < actions.length; i++) {
            b.add(100 + i, user, i * gapMillis, actions[i], null, null, Double.NaN);
        }
        return b.build();
    }

    private static MarkovDetector trained(Map<String, String> params) {
        MarkovDetector d = new MarkovDetector();
        d.fit(corpus(), new FitOptions(0, 1, false, dev.seqwatch.common.LabelSet.empty(), params), ProgressListener.NONE);
        return d;
    }

    @Test
    void probabilitiesMatchHandCountsWithAdditiveSmoothing() {
        MarkovDetector d = trained(Map.of("alpha", "1"));
        // 3 actions + END + UNK = 5 columns; START->view 2 of 2; view->view 1, view->cart 2; cart->buy 1, cart->END 1
        assertThat(d.vocabulary()).containsExactly("view", "cart", "buy");
        assertThat(d.probability("^", "view")).isCloseTo(3.0 / 7, within(1e-12));
        assertThat(d.probability("view", "cart")).isCloseTo(3.0 / 8, within(1e-12));
        assertThat(d.probability("view", "view")).isCloseTo(2.0 / 8, within(1e-12));
        assertThat(d.probability("cart", "$")).isCloseTo(2.0 / 7, within(1e-12));
        assertThat(d.probability("buy", "$")).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(d.probability("view", "zap")).isCloseTo(1.0 / 8, within(1e-12));
        // after an unknown action: unigram of next tokens (view 3, cart 2, buy 1, END 2 of 8)
        assertThat(d.probability("zap", "view")).isCloseTo(4.0 / 13, within(1e-12));
    }

    @Test
    void stepScoresAreNegativeLogProbabilitiesAndUnseenActionsAreMostSurprising() {
        MarkovDetector d = trained(Map.of("alpha", "1"));
        Scores s = d.score(oneUser("u3", MIN, "view", "zap", "view"), ProgressListener.NONE);
        UserScores u = s.user("u3");
        assertThat(u.steps()[0]).isCloseTo(-Math.log(3.0 / 7), within(1e-12));
        assertThat(u.steps()[1]).isCloseTo(-Math.log(1.0 / 8), within(1e-12));
        assertThat(u.steps()[2]).isCloseTo(-Math.log(4.0 / 13), within(1e-12));
        // no known action after view is less likely than the unseen one
        for (String next : new String[]{"view", "cart", "buy", "$"}) {
            assertThat(d.probability("view", next)).isGreaterThanOrEqualTo(d.probability("view", "zap"));
        }
        // user score: mean of the top 3 of the 4 surprises (3 steps + END after view = 1/8)
        double[] terms = {-Math.log(3.0 / 7), -Math.log(1.0 / 8), -Math.log(4.0 / 13), -Math.log(1.0 / 8)};
        java.util.Arrays.sort(terms);
        assertThat(u.score()).isCloseTo((terms[1] + terms[2] + terms[3]) / 3, within(1e-12));
        // expected after START: view first, then cart and buy (tied, lower code first)
        assertThat(s.expectedText(u, 0)).isEqualTo("view, cart, buy");
        assertThat(s.expectedText(u, 1)).startsWith("cart");
    }

    @Test
    void aLongGapStartsANewSession() {
        MarkovDetector d = trained(Map.of("alpha", "1"));
        // view, (2 h later) view: the second view is scored from START, and view gets an END
        Scores s = d.score(oneUser("u4", 120 * MIN, "view", "view"), ProgressListener.NONE);
        assertThat(s.user("u4").steps()[1]).isCloseTo(-Math.log(3.0 / 7), within(1e-12));
        Scores together = d.score(oneUser("u4", MIN, "view", "view"), ProgressListener.NONE);
        assertThat(together.user("u4").steps()[1]).isCloseTo(-Math.log(2.0 / 8), within(1e-12));
    }

    @Test
    void gapTokensCombineActionAndGapBucket(@TempDir Path dir) throws Exception {
        MarkovDetector d = trained(Map.of("alpha", "1", "gap_tokens", "true"));
        // every event in the corpus is one minute after the previous one (bucket <5m), sessions start unbucketed
        assertThat(d.vocabulary()).containsExactly("view", "view|<5m", "cart|<5m", "buy|<5m");
        assertThat(d.probability("^", "view")).isCloseTo(3.0 / 8, within(1e-12)); // 4 tokens + END + UNK = 6 columns
        Path f = dir.resolve("g.swm");
        d.save(f);
        SequenceSet probe = oneUser("p", 3000, "view", "cart", "buy");
        assertThat(MarkovDetector.load(f).score(probe, ProgressListener.NONE).user("p").steps())
                .containsExactly(d.score(probe, ProgressListener.NONE).user("p").steps());
    }

    @Test
    void aggregatesAreSelectable() {
        SequenceSet u = oneUser("u3", MIN, "view", "zap", "view");
        double[] terms = {-Math.log(3.0 / 7), -Math.log(1.0 / 8), -Math.log(4.0 / 13), -Math.log(1.0 / 8)};
        double mean = java.util.Arrays.stream(terms).average().orElseThrow();
        assertThat(trained(Map.of("alpha", "1", "aggregate", "mean")).score(u, ProgressListener.NONE).user("u3").score())
                .isCloseTo(mean, within(1e-12));
        assertThat(trained(Map.of("alpha", "1", "aggregate", "max")).score(u, ProgressListener.NONE).user("u3").score())
                .isCloseTo(-Math.log(1.0 / 8), within(1e-12));
        assertThatThrownBy(() -> trained(Map.of("aggregate", "median"))).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("aggregate");
        assertThatThrownBy(() -> trained(Map.of("alpha", "0"))).isInstanceOf(UserFacingException.class);
    }

    @Test
    void saveAndLoadGiveIdenticalScores(@TempDir Path dir) throws Exception {
        MarkovDetector d = trained(Map.of("alpha", "0.3", "session_gap_minutes", "10", "aggregate", "topmean"));
        Path f = dir.resolve("m.swm");
        d.save(f);
        MarkovDetector back = (MarkovDetector) DetectorRegistry.standard().load(f);
        SequenceSet probe = oneUser("p", 7 * MIN, "view", "cart", "zap", "buy", "view", "view");
        Scores a = d.score(probe, ProgressListener.NONE);
        Scores b = back.score(probe, ProgressListener.NONE);
        assertThat(b.user("p").score()).isEqualTo(a.user("p").score());
        assertThat(b.user("p").steps()).containsExactly(a.user("p").steps());
        assertThat(b.user("p").expected()).containsExactly(a.user("p").expected());
        Scores c1 = d.score(corpus(), ProgressListener.NONE);
        Scores c2 = back.score(corpus(), ProgressListener.NONE);
        for (UserScores u : c1.users()) {
            assertThat(c2.user(u.userId()).score()).isEqualTo(u.score());
        }
    }

    @Test
    void aTruncatedOrForeignFileGivesAClearError(@TempDir Path dir) throws Exception {
        MarkovDetector d = trained(Map.of());
        Path f = dir.resolve("m.swm");
        d.save(f);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.swm");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> DetectorRegistry.standard().load(cut)).isInstanceOf(UserFacingException.class);
        Path text = dir.resolve("t.swm");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> DetectorRegistry.standard().load(text)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not a Seqwatch model");
    }

    @Test
    void cancellationStopsFitting() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int u = 0; u < 25_000; u++) {
            b.add(u, "u" + u, 0, "view", null, null, Double.NaN);
        }
        ProgressListener cancelled = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThatThrownBy(() -> new MarkovDetector().fit(b.build(), FitOptions.defaults(), cancelled))
                .isInstanceOf(dev.seqwatch.common.CancelledException.class);
    }
}

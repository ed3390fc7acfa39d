package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** DeepLog's rank criterion: rank of the actual token, top_g, topg_count / topg_share, first anomalous step. */
class LstmRankCriterionTest {

    @Test
    void rankOfATokenInALogitRowByHand() {
        // vocab 7, token 2 is the excluded unseen token (its logit 9.0 must not count)
        float[] z = {0.5f, 0.1f, 9.0f, 2.0f, 1.0f, 2.0f, -1.0f};
        assertThat(StepScorer.rank(z, 0, 7, 3, 2)).isEqualTo(1); // the tie with token 5 counts in its favour
        assertThat(StepScorer.rank(z, 0, 7, 5, 2)).isEqualTo(1);
        assertThat(StepScorer.rank(z, 0, 7, 4, 2)).isEqualTo(3); // 3 and 5 above it
        assertThat(StepScorer.rank(z, 0, 7, 0, 2)).isEqualTo(4); // 3, 4, 5 above it
        assertThat(StepScorer.rank(z, 0, 7, 6, 2)).isEqualTo(6); // all five others above it
        assertThat(StepScorer.rank(z, 0, 7, 2, 2)).isEqualTo(7); // unseen: below everything
        // the same row at an offset inside a longer array
        float[] two = new float[14];
        System.arraycopy(z, 0, two, 7, 7);
        assertThat(StepScorer.rank(two, 7, 7, 4, 2)).isEqualTo(3);
    }

    @Test
    void stepRankIsTheWorstOfTheTokensItIsChargedFor() {
        // tokens: a | END START b | c END(final): event 0 -> token 0, event 1 -> tokens 1..3, event 2 -> tokens 4..5
        TokenScheme.Encoded e = new TokenScheme.Encoded(new int[]{5, 1, 0, 6, 7, 1}, new int[]{0, 3, 4}, new int[]{0, 1, 4});
        int[] ranks = LstmDetector.stepRanks(e, new int[]{1, 5, 2, 1, 3, 12});
        assertThat(ranks).containsExactly(1, 5, 12);
        // g = 4: steps 1 and 2 are outside; the first is step 1
        assertThat(UserAggregate.TOPG_COUNT.of(new double[3], ranks, 4)).isEqualTo(2.0);
        assertThat(UserAggregate.TOPG_SHARE.of(new double[3], ranks, 4)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(UserAggregate.TOPG_COUNT.of(new double[3], ranks, 12)).isEqualTo(0.0);
        // steps without a rank (0) are not counted in the share
        assertThat(UserAggregate.TOPG_SHARE.of(new double[4], new int[]{0, 1, 5, 12}, 4)).isCloseTo(2.0 / 3, within(1e-12));
        UserScores u = new UserScores("x", 2, new double[3], new int[]{5, 6, 7}, ranks);
        assertThat(u.firstOutsideTop(4)).isEqualTo(1);
        assertThat(u.firstOutsideTop(5)).isEqualTo(2);
        assertThat(u.firstOutsideTop(12)).isEqualTo(-1);
        Scores s = new Scores("lstm", List.of("<s>", "<e>", "<u>", "d", "e", "a", "b", "c"), 1, 4, List.of(u));
        assertThat(s.expectedText(u, 0)).isEqualTo("a; actual ranked #1, within the top 4");
        assertThat(s.expectedText(u, 2)).isEqualTo("c; actual ranked #12, outside the top 4");
    }

    @Test
    void injectedStepIsTheFirstOutsideTopGAndTheChoiceIsStored(@TempDir Path dir) throws Exception {
        LstmDetector d = new LstmDetector();
        d.fit(LstmDetectorTest.cycleUsers(24, 27), LstmDetectorTest.small(40, 7,
                Map.of("top_g", "1", "aggregate", "topg_count")), ProgressListener.NONE);
        SequenceSetBuilder b = new SequenceSetBuilder();
        long t = LstmDetectorTest.T0;
        String[] seq = {"view", "cart", "buy", "view", "cart", "buy", "view", "buy", "buy", "view", "cart"};
        for (String a : seq) {
            t += 5_000L;
            b.add(-1, "odd", t, a, null, null, Double.NaN);
        }
        SequenceSet test = b.build();
        Scores s = d.score(test, ProgressListener.NONE);
        UserScores u = s.user("odd");
        assertThat(s.topG()).isEqualTo(1);
        assertThat(u.ranks()).hasSize(seq.length);
        for (int i = 0; i < 7; i++) {
            assertThat(u.rankAt(i)).as("step %d", i).isEqualTo(1);
        }
        assertThat(u.rankAt(7)).isGreaterThan(1); // "buy" right after "view"
        assertThat(u.firstOutsideTop(1)).isEqualTo(7);
        long outside = java.util.Arrays.stream(u.ranks()).filter(r -> r > 1).count();
        assertThat(u.score()).isEqualTo((double) outside);
        assertThat(s.expectedText(u, 7)).startsWith("cart (gap<10s)")
                .contains("; actual ranked #" + u.rankAt(7) + ", outside the top 1");

        Path f = dir.resolve("m.swm");
        d.save(f);
        LstmDetector back = LstmDetector.load(f);
        assertThat(back.topG()).isEqualTo(1);
        UserScores again = back.score(test, ProgressListener.NONE).user("odd");
        assertThat(again.ranks()).containsExactly(u.ranks());
        assertThat(again.score()).isEqualTo(u.score());
        // incremental scoring gives the same ranks
        LstmDetector.UserStream st = back.stream("odd");
        UserScores first = st.append(test, test.users().get(0), 0);
        assertThat(first.ranks()).containsExactly(u.ranks());
    }

    @Test
    void topGBelowOneIsRefused() {
        assertThatThrownBy(() -> new LstmDetector().fit(LstmDetectorTest.cycleUsers(2, 9),
                LstmDetectorTest.small(1, 1, Map.of("top_g", "0")), ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("top_g");
    }
}

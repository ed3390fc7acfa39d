package dev.seqwatch.sequence;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class UserFeaturesTest {

    @Test
    void featuresOfATinyHistoryByHand() {
        // u: view (t=0, 02:00 UTC), view (+1 s), buy (+9 s, amount 20) on items a, a, b; categories c, c, c
        long t0 = 2 * 3_600_000L;
        SequenceSet s = new SequenceSetBuilder()
                .add(1, "u", t0, "view", "a", "c", Double.NaN)
                .add(2, "u", t0 + 1000, "view", "a", "c", Double.NaN)
                .add(3, "u", t0 + 10_000, "buy", "b", "c", 20.0)
                .add(4, "v", t0, "cart", null, null, Double.NaN)
                .build();
        UserFeatures f = UserFeatures.fit(s);
        List<String> names = f.names();
        assertThat(names.subList(names.size() - 3, names.size())).containsExactly("share_view", "share_buy", "share_cart");
        double[] x = f.extract(s)[0];
        assertThat(x[names.indexOf("log_events")]).isCloseTo(Math.log1p(3), within(1e-12));
        assertThat(x[names.indexOf("log_span_s")]).isCloseTo(Math.log1p(10), within(1e-12));
        // 3 events in 10 s, but the hour is at least one minute: 3 / (1/60) per hour
        assertThat(x[names.indexOf("log_rate_per_h")]).isCloseTo(Math.log1p(180), within(1e-12));
        // gaps 1 s and 9 s
        assertThat(x[names.indexOf("gap_median_log")]).isCloseTo((Math.log1p(1) + Math.log1p(9)) / 2, within(1e-12));
        assertThat(x[names.indexOf("gap_min_log")]).isCloseTo(Math.log1p(1), within(1e-12));
        assertThat(x[names.indexOf("gap_cv")]).isCloseTo(4.0 / 5.0, within(1e-12)); // sd 4, mean 5
        assertThat(x[names.indexOf("fast_gap_share")]).isEqualTo(0.5);
        assertThat(x[names.indexOf("log_sessions")]).isCloseTo(Math.log1p(1), within(1e-12));
        assertThat(x[names.indexOf("amount_share")]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(x[names.indexOf("amount_mean_log")]).isCloseTo(Math.log1p(20), within(1e-12));
        assertThat(x[names.indexOf("distinct_item_ratio")]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(x[names.indexOf("distinct_category_ratio")]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(x[names.indexOf("night_share")]).isEqualTo(1.0);
        assertThat(x[names.indexOf("action_entropy")]).isCloseTo(-(2.0 / 3 * Math.log(2.0 / 3) + 1.0 / 3 * Math.log(1.0 / 3)), within(1e-12));
        assertThat(x[names.indexOf("repeat_action_share")]).isEqualTo(0.5);
        assertThat(x[names.indexOf("share_view")]).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(x[names.indexOf("share_cart")]).isEqualTo(0.0);
        // a later set with an action the schema does not know
        SequenceSet later = new SequenceSetBuilder().add(1, "w", 0, "zap", null, null, Double.NaN)
                .add(2, "w", 1000, "view", null, null, Double.NaN).build();
        double[] y = f.extract(later)[0];
        assertThat(y[names.indexOf("other_actions")]).isEqualTo(0.5);
        assertThat(y[names.indexOf("share_view")]).isEqualTo(0.5);
        // round trip of the schema
        UserFeatures back = UserFeatures.fromJson(f.toJson(new com.fasterxml.jackson.databind.ObjectMapper()));
        assertThat(back.extract(s)[0]).containsExactly(x);
    }
}

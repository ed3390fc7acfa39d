package dev.seqwatch.sequence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.UserFacingException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-user feature vector that the vector detectors (statistical, Isolation Forest, LOF,
 * autoencoder) share. The schema (which actions get a share-of-events column, the session gap) is
 * fixed on the training set and saved in the model file, so a model scores any later workspace
 * with the same columns; an action the schema does not know only counts towards {@code other_actions}.
 *
 * <p>Columns: activity volume and pace (events, span, rate, sessions), time gaps (median, mean,
 * spread and minimum of log gaps, coefficient of variation, share of gaps under 2 s: very regular
 * or very fast bots stand out here), amounts, diversity of items and categories, the share of
 * night-time events (UTC hours 0-5), the action mix (entropy, repeats, share per action).
 * Heavy-tailed counts are log1p-transformed; every value is finite.
 */
public final class UserFeatures {
    public static final int MAX_ACTIONS = 20;
    private static final List<String> BASE = List.of(
            "log_events", "log_span_s", "log_rate_per_h", "gap_median_log", "gap_mean_log", "gap_std_log",
            "gap_min_log", "gap_cv", "fast_gap_share", "log_sessions", "log_events_per_session",
            "amount_share", "amount_mean_log", "amount_max_log", "distinct_item_ratio", "distinct_category_ratio",
            "night_share", "action_entropy", "repeat_action_share", "other_actions");

    private final List<String> actions;
    private final long sessionGapMillis;
    private final Map<String, Integer> actionColumn = new HashMap<>();

    public UserFeatures(List<String> actions, long sessionGapMillis) {
        this.actions = List.copyOf(actions);
        this.sessionGapMillis = sessionGapMillis;
        for (int i = 0; i < this.actions.size(); i++) {
            actionColumn.put(this.actions.get(i), BASE.size() + i);
        }
    }

    /** The schema for {@code train}: its {@value #MAX_ACTIONS} most frequent actions, 30-minute sessions. */
    public static UserFeatures fit(SequenceSet train) {
        long[] counts = new long[train.actionNames().size()];
        for (UserSequence u : train.users()) {
            for (int i = 0; i < u.length(); i++) {
                counts[u.action(i)]++;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int a = 0; a < counts.length; a++) {
            if (counts[a] > 0) {
                order.add(a);
            }
        }
        order.sort(Comparator.comparingLong((Integer a) -> -counts[a]).thenComparing(a -> train.actionNames().get(a)));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX_ACTIONS, order.size()); i++) {
            names.add(train.actionNames().get(order.get(i)));
        }
        return new UserFeatures(names, 30 * 60_000L);
    }

    public int dimension() {
        return BASE.size() + actions.size();
    }

    public List<String> names() {
        List<String> n = new ArrayList<>(BASE);
        for (String a : actions) {
            n.add("share_" + a);
        }
        return n;
    }

    /** One row per user of {@code s}, in {@code s.users()} order. */
    public double[][] extract(SequenceSet s) {
        int[] col = new int[s.actionNames().size()];
        for (int a = 0; a < col.length; a++) {
            col[a] = actionColumn.getOrDefault(s.actionNames().get(a), -1);
        }
        double[][] x = new double[s.size()][];
        for (int i = 0; i < s.size(); i++) {
            x[i] = extract(s.users().get(i), col, s.actionNames().size());
        }
        return x;
    }

    private double[] extract(UserSequence u, int[] col, int vocab) {
        double[] f = new double[dimension()];
        int n = u.length();
        if (n == 0) {
            return f;
        }
        double spanS = (u.timestamp(n - 1) - u.timestamp(0)) / 1000.0;
        f[0] = Math.log1p(n);
        f[1] = Math.log1p(spanS);
        f[2] = Math.log1p(n / Math.max(spanS / 3600.0, 1.0 / 60));
        int sessions = 1;
        if (n > 1) {
            double[] lg = new double[n - 1];
            double sum = 0;
            double sumRaw = 0;
            double sumRaw2 = 0;
            int fast = 0;
            for (int i = 1; i < n; i++) {
                double g = Math.max(0, u.gapMillis(i)) / 1000.0;
                lg[i - 1] = Math.log1p(g);
                sum += lg[i - 1];
                sumRaw += g;
                sumRaw2 += g * g;
                if (g < 2) {
                    fast++;
                }
                if (u.gapMillis(i) > sessionGapMillis) {
                    sessions++;
                }
            }
            int m = n - 1;
            double mean = sum / m;
            double var = 0;
            for (double v : lg) {
                var += (v - mean) * (v - mean);
            }
            double[] sorted = lg.clone();
            Arrays.sort(sorted);
            f[3] = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
            f[4] = mean;
            f[5] = Math.sqrt(var / m);
            f[6] = sorted[0];
            double rawMean = sumRaw / m;
            double rawSd = Math.sqrt(Math.max(0, sumRaw2 / m - rawMean * rawMean));
            f[7] = rawMean > 0 ? Math.min(rawSd / rawMean, 100) : 0;
            f[8] = (double) fast / m;
        }
        f[9] = Math.log1p(sessions);
        f[10] = Math.log1p((double) n / sessions);
        int withAmount = 0;
        double amountSum = 0;
        double amountMax = 0;
        Set<Integer> items = new HashSet<>();
        Set<Integer> cats = new HashSet<>();
        int night = 0;
        int repeats = 0;
        int[] actionCount = new int[vocab];
        for (int i = 0; i < n; i++) {
            double a = u.amount(i);
            if (!Double.isNaN(a)) {
                withAmount++;
                amountSum += Math.abs(a);
                amountMax = Math.max(amountMax, Math.abs(a));
            }
            if (u.item(i) >= 0) {
                items.add(u.item(i));
            }
            if (u.category(i) >= 0) {
                cats.add(u.category(i));
            }
            long hour = Math.floorMod(u.timestamp(i) / 3_600_000L, 24);
            if (hour < 6) {
                night++;
            }
            if (i > 0 && u.action(i) == u.action(i - 1)) {
                repeats++;
            }
            actionCount[u.action(i)]++;
        }
        f[11] = (double) withAmount / n;
        f[12] = withAmount == 0 ? 0 : Math.log1p(amountSum / withAmount);
        f[13] = Math.log1p(amountMax);
        f[14] = (double) items.size() / n;
        f[15] = (double) cats.size() / n;
        f[16] = (double) night / n;
        double entropy = 0;
        int other = 0;
        for (int a = 0; a < vocab; a++) {
            if (actionCount[a] == 0) {
                continue;
            }
            double p = (double) actionCount[a] / n;
            entropy -= p * Math.log(p);
            if (col[a] >= 0) {
                f[col[a]] = p;
            } else {
                other += actionCount[a];
            }
        }
        f[17] = entropy;
        f[18] = n > 1 ? (double) repeats / (n - 1) : 0;
        f[19] = (double) other / n;
        return f;
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("version", 1);
        o.put("session_gap_ms", sessionGapMillis);
        ArrayNode a = o.putArray("actions");
        actions.forEach(a::add);
        return o;
    }

    public static UserFeatures fromJson(JsonNode o) {
        if (o == null || o.path("version").asInt() != 1 || !o.path("actions").isArray()) {
            throw new UserFacingException("model file: missing or unsupported feature schema");
        }
        List<String> a = new ArrayList<>();
        o.path("actions").forEach(n -> a.add(n.asText()));
        return new UserFeatures(a, o.path("session_gap_ms").asLong(30 * 60_000L));
    }
}

package dev.seqwatch.detect.lstm;

import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How events become tokens. A token is an action combined with the bucketed time gap to the previous
 * event of the same session; sessions split on inactivity and are framed by session-start and
 * session-end tokens, so "a session that stops where normal ones never stop" and "a session that starts
 * with a purchase" are ordinary surprising predictions. The final session of a history gets no end
 * token: the log may simply be cut there, and leaving it open makes incremental scoring exact. When every
 * history is known to be complete (one block, one order, one ticket per user: {@code completeSessions}),
 * the final session is closed too and its end token is scored like any other.
 * Actions not in the training vocabulary map to one unseen token (scored as maximally surprising).
 *
 * <p>Two optional features multiply into the token: whether the event's category differs from the
 * previous event's in the session ("new category"; events without a category count as the same), and the
 * amount bucket (no amount, then quartiles of the training data's positive amounts). Whether they help is
 * measured (README "The LSTM detector"); they are off unless the fit parameters turn them on.
 */
public final class TokenScheme {
    public static final int SESSION_START = 0;
    public static final int SESSION_END = 1;
    public static final int UNSEEN = 2;
    static final int FIRST_ACTION = 3;
    /** Gap bucket upper edges in ms: <10 s, <1 min, <5 min, then >=5 min up to the session gap. */
    static final long[] GAP_EDGES = {10_000L, 60_000L, 300_000L};
    static final String[] GAP_NAMES = {"session start", "gap<10s", "gap<1m", "gap<5m", "gap>=5m"};

    static final String[] CATEGORY_NAMES = {"same category", "new category"};

    public final List<String> actions;
    public final boolean gaps;
    public final long sessionGapMillis;
    public final boolean categories;
    /** Upper edges of the positive-amount buckets; null = amounts not used. */
    public final double[] amountEdges;
    /** Every history is complete: the final session gets its end token as well. */
    public final boolean completeSessions;
    private final Map<String, Integer> actionIndex = new HashMap<>();

    TokenScheme(List<String> actions, boolean gaps, long sessionGapMillis) {
        this(actions, gaps, sessionGapMillis, false, null, false);
    }

    TokenScheme(List<String> actions, boolean gaps, long sessionGapMillis, boolean categories, double[] amountEdges) {
        this(actions, gaps, sessionGapMillis, categories, amountEdges, false);
    }

    public TokenScheme(List<String> actions, boolean gaps, long sessionGapMillis, boolean categories, double[] amountEdges,
                boolean completeSessions) {
        this.completeSessions = completeSessions;
        this.actions = List.copyOf(actions);
        this.gaps = gaps;
        this.sessionGapMillis = sessionGapMillis;
        this.categories = categories;
        this.amountEdges = amountEdges == null ? null : amountEdges.clone();
        if (amountEdges != null) {
            for (int i = 0; i < amountEdges.length; i++) {
                if (!Double.isFinite(amountEdges[i]) || (i > 0 && amountEdges[i] < amountEdges[i - 1])) {
                    throw new IllegalArgumentException("amount bucket edges must be finite and ascending");
                }
            }
        }
        for (int i = 0; i < this.actions.size(); i++) {
            actionIndex.put(this.actions.get(i), i);
        }
    }

    int buckets() {
        return gaps ? GAP_NAMES.length : 1;
    }

    private int categoryBuckets() {
        return categories ? 2 : 1;
    }

    /** No amount, then one bucket per edge and one above the last edge. */
    private int amountBuckets() {
        return amountEdges == null ? 1 : amountEdges.length + 2;
    }

    /** Token variants per action. */
    private int perAction() {
        return buckets() * categoryBuckets() * amountBuckets();
    }

    public int vocab() {
        return FIRST_ACTION + actions.size() * perAction();
    }

    /** Quartile edges of the positive finite amounts of {@code s} (null when it has fewer than 4 of them). */
    public static double[] amountQuartiles(SequenceSet s) {
        double[] v = new double[Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, s.totalEvents()))];
        int n = 0;
        for (UserSequence u : s.users()) {
            for (int i = 0; i < u.length(); i++) {
                double a = u.amount(i);
                if (a > 0 && Double.isFinite(a) && n < v.length) {
                    v[n++] = a;
                }
            }
        }
        if (n < 4) {
            return null;
        }
        java.util.Arrays.sort(v, 0, n);
        return new double[]{v[n / 4], v[n / 2], v[(3 * n) / 4]};
    }

    String name(int code) {
        if (code == SESSION_START) {
            return "<session start>";
        }
        if (code == SESSION_END) {
            return "<session end>";
        }
        if (code == UNSEEN) {
            return "<unseen action>";
        }
        int r = code - FIRST_ACTION;
        int am = r % amountBuckets();
        r /= amountBuckets();
        int cat = r % categoryBuckets();
        r /= categoryBuckets();
        int b = r % buckets();
        int a = r / buckets();
        List<String> parts = new ArrayList<>(3);
        if (gaps) {
            parts.add(GAP_NAMES[b]);
        }
        if (categories) {
            parts.add(CATEGORY_NAMES[cat]);
        }
        if (amountEdges != null) {
            parts.add(am == 0 ? "no amount" : "amount q" + am);
        }
        return parts.isEmpty() ? actions.get(a) : actions.get(a) + " (" + String.join(", ", parts) + ")";
    }

    private int amountBucket(double amount) {
        if (amountEdges == null || !(amount > 0) || !Double.isFinite(amount)) {
            return 0;
        }
        for (int i = 0; i < amountEdges.length; i++) {
            if (amount <= amountEdges[i]) {
                return i + 1;
            }
        }
        return amountEdges.length + 1;
    }

    public List<String> names() {
        List<String> n = new ArrayList<>(vocab());
        for (int i = 0; i < vocab(); i++) {
            n.add(name(i));
        }
        return n;
    }

    /** For each action code of {@code s}, the index in this scheme's actions, or -1 if unseen. */
    public int[] actionMap(SequenceSet s) {
        int[] m = new int[s.actionNames().size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = actionIndex.getOrDefault(s.actionNames().get(i), -1);
        }
        return m;
    }

    private int bucket(long gap) {
        for (int i = 0; i < GAP_EDGES.length; i++) {
            if (gap < GAP_EDGES[i]) {
                return i + 1;
            }
        }
        return GAP_EDGES.length + 1;
    }

    /**
     * Tokens emitted by events {@code from..} of {@code u}. {@code prevTs} is the previous event's time
     * (ignored when from == 0). The caller supplies the context token before the first emitted one
     * (session start for a fresh history). {@code eventTok[i]} is the index of event i's own token,
     * {@code eventFirst[i]} the first token it is charged for (session end/start tokens it revealed).
     * With {@link #completeSessions} the final session's end token follows the last event's token and is
     * charged to the last event.
     */
    public Encoded encode(UserSequence u, int[] map, int from, long prevTs) {
        int n = u.length() - from;
        int[] toks = new int[Math.max(4, 3 * n)];
        int[] eventTok = new int[n];
        int[] eventFirst = new int[n];
        int m = 0;
        long prev = prevTs;
        for (int i = 0; i < n; i++) {
            int e = from + i;
            long ts = u.timestamp(e);
            boolean first = e == 0;
            boolean newSession = !first && ts - prev > sessionGapMillis;
            eventFirst[i] = m;
            if (newSession) {
                toks[m++] = SESSION_END;
                toks[m++] = SESSION_START;
            }
            int a = u.action(e);
            int idx = a >= 0 && a < map.length ? map[a] : -1;
            int b = !gaps || first || newSession ? 0 : bucket(ts - prev);
            int cat = 0;
            if (categories) {
                int c = u.category(e);
                cat = c >= 0 && (first || newSession || c != u.category(e - 1)) ? 1 : 0;
            }
            int am = amountBucket(u.amount(e));
            eventTok[i] = m;
            toks[m++] = idx < 0 ? UNSEEN
                    : FIRST_ACTION + ((idx * buckets() + b) * categoryBuckets() + cat) * amountBuckets() + am;
            prev = ts;
        }
        if (completeSessions && n > 0) {
            toks[m++] = SESSION_END;
        }
        return new Encoded(java.util.Arrays.copyOf(toks, m), eventTok, eventFirst);
    }

    public record Encoded(int[] tokens, int[] eventTok, int[] eventFirst) {
    }
}

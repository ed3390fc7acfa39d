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
 * token: the log may simply be cut there, and leaving it open makes incremental scoring exact.
 * Actions not in the training vocabulary map to one unseen token (scored as maximally surprising).
 */
final class TokenScheme {
    static final int SESSION_START = 0;
    static final int SESSION_END = 1;
    static final int UNSEEN = 2;
    static final int FIRST_ACTION = 3;
    /** Gap bucket upper edges in ms: <10 s, <1 min, <5 min, then >=5 min up to the session gap. */
    static final long[] GAP_EDGES = {10_000L, 60_000L, 300_000L};
    static final String[] GAP_NAMES = {"session start", "gap<10s", "gap<1m", "gap<5m", "gap>=5m"};

    final List<String> actions;
    final boolean gaps;
    final long sessionGapMillis;
    private final Map<String, Integer> actionIndex = new HashMap<>();

    TokenScheme(List<String> actions, boolean gaps, long sessionGapMillis) {
        this.actions = List.copyOf(actions);
        this.gaps = gaps;
        this.sessionGapMillis = sessionGapMillis;
        for (int i = 0; i < this.actions.size(); i++) {
            actionIndex.put(this.actions.get(i), i);
        }
    }

    int buckets() {
        return gaps ? GAP_NAMES.length : 1;
    }

    int vocab() {
        return FIRST_ACTION + actions.size() * buckets();
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
        int a = (code - FIRST_ACTION) / buckets();
        int b = (code - FIRST_ACTION) % buckets();
        return gaps ? actions.get(a) + " (" + GAP_NAMES[b] + ")" : actions.get(a);
    }

    List<String> names() {
        List<String> n = new ArrayList<>(vocab());
        for (int i = 0; i < vocab(); i++) {
            n.add(name(i));
        }
        return n;
    }

    /** For each action code of {@code s}, the index in this scheme's actions, or -1 if unseen. */
    int[] actionMap(SequenceSet s) {
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
     */
    Encoded encode(UserSequence u, int[] map, int from, long prevTs) {
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
            eventTok[i] = m;
            toks[m++] = idx < 0 ? UNSEEN : FIRST_ACTION + idx * buckets() + b;
            prev = ts;
        }
        return new Encoded(java.util.Arrays.copyOf(toks, m), eventTok, eventFirst);
    }

    record Encoded(int[] tokens, int[] eventTok, int[] eventFirst) {
    }
}

package dev.seqwatch.detect;

import dev.seqwatch.common.UserFacingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A detector's output for a set of users: per-user scores, optional per-step scores and explanations. */
public final class Scores {
    private final String detector;
    private final List<String> tokenNames;
    private final int topK;
    /** DeepLog's g: a step whose actual event ranks below the top g is anomalous (0 = the detector has none). */
    private final int topG;
    private final List<UserScores> users;
    private final Map<String, UserScores> byUser;

    public Scores(String detector, List<String> tokenNames, int topK, List<UserScores> users) {
        this(detector, tokenNames, topK, 0, users);
    }

    public Scores(String detector, List<String> tokenNames, int topK, int topG, List<UserScores> users) {
        this.topG = topG;
        this.detector = detector;
        this.tokenNames = List.copyOf(tokenNames);
        this.topK = topK;
        this.users = List.copyOf(users);
        this.byUser = new HashMap<>(users.size() * 2);
        for (UserScores u : users) {
            byUser.put(u.userId(), u);
        }
        requireFinite(detector, this.users);
    }

    /**
     * A damaged or crafted model must not write NaN or infinite scores into a workspace or an export:
     * every user score must be finite, every step score finite or NaN (NaN = the step has no score).
     */
    private static void requireFinite(String detector, List<UserScores> users) {
        for (UserScores u : users) {
            if (!Double.isFinite(u.score())) {
                throw new UserFacingException("the " + detector + " model gave user " + u.userId()
                        + " the score " + u.score() + "; a model must give finite scores (its file is damaged or its "
                        + "parameters are out of range); nothing was stored");
            }
            double[] s = u.steps();
            if (s != null) {
                for (int i = 0; i < s.length; i++) {
                    if (Double.isInfinite(s[i])) {
                        throw new UserFacingException("the " + detector + " model gave step " + (i + 1)
                                + " of user " + u.userId() + " the score " + s[i] + "; a model must give finite scores "
                                + "(its file is damaged or its parameters are out of range); nothing was stored");
                    }
                }
            }
        }
    }

    public String detector() {
        return detector;
    }

    /** Names of the tokens that {@link UserScores#expected()} codes refer to, e.g. "cart|gap<1m". */
    public List<String> tokenNames() {
        return tokenNames;
    }

    public int topK() {
        return topK;
    }

    /** DeepLog's g of the model (0 = it does not rank steps). */
    public int topG() {
        return topG;
    }

    public List<UserScores> users() {
        return users;
    }

    public UserScores user(String userId) {
        return byUser.get(userId);
    }

    /** Users from most to least anomalous (ties by user id, so ranks are stable). */
    public List<UserScores> ranked() {
        List<UserScores> r = new ArrayList<>(users);
        r.sort(Comparator.comparingDouble(UserScores::score).reversed().thenComparing(UserScores::userId));
        return Collections.unmodifiableList(r);
    }

    /**
     * Human-readable expectation for a step, e.g. "view, cart", followed by the actual event's rank when
     * the detector ranks steps, e.g. "view, cart; actual ranked #12, outside the top 9"; empty when there
     * is none.
     */
    public String expectedText(UserScores u, int step) {
        if (u.expected() == null) {
            return "";
        }
        String s = expectedList(u, step);
        int rank = u.rankAt(step);
        if (rank <= 0) {
            return s;
        }
        String r = "actual ranked #" + rank + (topG > 0 ? (rank > topG ? ", outside the top " : ", within the top ") + topG : "");
        return s.isEmpty() ? r : s + "; " + r;
    }

    private String expectedList(UserScores u, int step) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < topK; r++) {
            int code = u.expectedAt(step, r, topK);
            if (code < 0) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(tokenNames.get(code));
        }
        return sb.toString();
    }
}

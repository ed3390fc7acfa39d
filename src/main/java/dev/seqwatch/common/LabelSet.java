package dev.seqwatch.common;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The current label of each labelled user. */
public final class LabelSet {
    private final Map<String, Label> current;

    public LabelSet(Collection<Label> currentLabels) {
        current = new HashMap<>(currentLabels.size() * 2);
        for (Label l : currentLabels) {
            if (l.retraction()) {
                throw new IllegalArgumentException("a retraction is not a current label (user " + l.userId() + ")");
            }
            current.put(l.userId(), l);
        }
    }

    public static LabelSet empty() {
        return new LabelSet(java.util.List.of());
    }

    public Label get(String userId) {
        return current.get(userId);
    }

    public boolean isLabelled(String userId) {
        return current.containsKey(userId);
    }

    /** @return true for fraud, false for normal, null when unlabelled */
    public Boolean isFraud(String userId) {
        Label l = current.get(userId);
        return l == null ? null : l.fraud();
    }

    public Set<String> fraudUsers() {
        Set<String> s = new HashSet<>();
        for (Label l : current.values()) {
            if (l.fraud()) {
                s.add(l.userId());
            }
        }
        return s;
    }

    public Collection<Label> all() {
        return current.values();
    }

    public int size() {
        return current.size();
    }

    public boolean isEmpty() {
        return current.isEmpty();
    }
}

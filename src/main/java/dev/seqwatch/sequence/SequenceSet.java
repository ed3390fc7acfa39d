package dev.seqwatch.sequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The per-user sequences a detector trains on or scores, with the dictionaries that their codes
 * refer to. Immutable; subsets share the dictionaries.
 */
public final class SequenceSet {
    private final List<String> actionNames;
    private final List<String> itemNames;
    private final List<String> categoryNames;
    private final List<UserSequence> users;
    private final Map<String, Integer> userIndex;

    public SequenceSet(List<String> actionNames, List<String> itemNames, List<String> categoryNames,
                       List<UserSequence> users) {
        this.actionNames = List.copyOf(actionNames);
        this.itemNames = Collections.unmodifiableList(new ArrayList<>(itemNames));
        this.categoryNames = Collections.unmodifiableList(new ArrayList<>(categoryNames));
        this.users = List.copyOf(users);
        this.userIndex = new HashMap<>(users.size() * 2);
        for (int i = 0; i < users.size(); i++) {
            if (userIndex.put(users.get(i).userId(), i) != null) {
                throw new IllegalArgumentException("user " + users.get(i).userId() + " appears twice");
            }
        }
    }

    public List<String> actionNames() {
        return actionNames;
    }

    public String actionName(int code) {
        return code < 0 ? "" : actionNames.get(code);
    }

    public String itemName(int code) {
        return code < 0 ? "" : itemNames.get(code);
    }

    public String categoryName(int code) {
        return code < 0 ? "" : categoryNames.get(code);
    }

    public List<String> itemNames() {
        return itemNames;
    }

    public List<String> categoryNames() {
        return categoryNames;
    }

    public int itemCount() {
        return itemNames.size();
    }

    public int categoryCount() {
        return categoryNames.size();
    }

    public List<UserSequence> users() {
        return users;
    }

    public int size() {
        return users.size();
    }

    public UserSequence user(String userId) {
        Integer i = userIndex.get(userId);
        return i == null ? null : users.get(i);
    }

    public long totalEvents() {
        long n = 0;
        for (UserSequence u : users) {
            n += u.length();
        }
        return n;
    }

    public SequenceSet filter(Predicate<UserSequence> keep) {
        List<UserSequence> kept = new ArrayList<>();
        for (UserSequence u : users) {
            if (keep.test(u)) {
                kept.add(u);
            }
        }
        return new SequenceSet(actionNames, itemNames, categoryNames, kept);
    }

    public SequenceSet without(Set<String> userIds) {
        return filter(u -> !userIds.contains(u.userId()));
    }
}

package dev.seqwatch.ui.queue;

import dev.seqwatch.common.Label;

import java.util.ArrayList;
import java.util.List;

/** The label filter of the queue: all, unlabelled, normal, any fraud, or one fraud type. */
public record QueueFilter(String key, String fraudType) {
    public static final QueueFilter ALL = new QueueFilter("all", null);
    public static final QueueFilter UNLABELLED = new QueueFilter("unlabelled", null);
    public static final QueueFilter NORMAL = new QueueFilter("normal", null);
    public static final QueueFilter FRAUD = new QueueFilter("fraud", null);

    public static QueueFilter fraudType(String type) {
        return new QueueFilter("type", type);
    }

    public static List<QueueFilter> choices() {
        List<QueueFilter> l = new ArrayList<>(List.of(ALL, UNLABELLED, NORMAL, FRAUD));
        for (String t : Label.FRAUD_TYPES) {
            l.add(fraudType(t));
        }
        return l;
    }

    public boolean accepts(Label l) {
        return switch (key) {
            case "unlabelled" -> l == null;
            case "normal" -> l != null && !l.fraud();
            case "fraud" -> l != null && l.fraud();
            case "type" -> l != null && l.fraud() && fraudType.equals(l.fraudType());
            default -> true;
        };
    }
}

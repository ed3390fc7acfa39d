package dev.seqwatch.ui.app;

import dev.seqwatch.common.Label;

/**
 * One user in the queue: rank and score under the active model and the current label (null = unlabelled).
 * Before any model scored the users, {@code score} is NaN, the rank orders by event count and
 * {@code events} is the user's event count (-1 when scored).
 */
public record QueueRow(int rank, String userId, double score, Label label, int events) {

    public QueueRow(int rank, String userId, double score, Label label) {
        this(rank, userId, score, label, -1);
    }

    public QueueRow withLabel(Label l) {
        return new QueueRow(rank, userId, score, l, events);
    }

    public boolean scored() {
        return !Double.isNaN(score);
    }

    /**
     * "fraud: click farming", "normal" or "" for the queue's label column (its tooltip: a narrow queue
     * cuts the text; the row is red for fraud).
     */
    public String labelText() {
        if (label == null) {
            return "";
        }
        if (!label.fraud()) {
            return "normal";
        }
        return label.fraudType() == null ? "fraud" : "fraud: " + label.fraudType().replace('_', ' ');
    }
}

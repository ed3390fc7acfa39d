package dev.seqwatch.ui.app;

import dev.seqwatch.common.Label;

/** One user in the queue: rank and score under the active model and the current label (null = unlabelled). */
public record QueueRow(int rank, String userId, double score, Label label) {

    public QueueRow withLabel(Label l) {
        return new QueueRow(rank, userId, score, l);
    }

    /** "fraud · click_farming", "normal" or "" for the queue's label column. */
    public String labelText() {
        if (label == null) {
            return "";
        }
        if (!label.fraud()) {
            return "normal";
        }
        return label.fraudType() == null ? "fraud" : "fraud · " + label.fraudType();
    }
}

package dev.seqwatch.common;

import java.time.Instant;

/**
 * An analyst's verdict on a user. Labels are append-only: a user's current label is the latest one,
 * and {@code supersedes} names the row it replaced (0 for the first). A {@code retraction} row takes the
 * user's label back: from that row on the user is unlabelled (it is never part of a {@link LabelSet}),
 * and {@code fraud} is false and {@code fraudType} null on it.
 */
public record Label(long id, String userId, boolean fraud, String fraudType, String note, String analyst,
                    Instant createdAt, long supersedes, boolean retraction) {

    /** A verdict (not a retraction). */
    public Label(long id, String userId, boolean fraud, String fraudType, String note, String analyst,
                 Instant createdAt, long supersedes) {
        this(id, userId, fraud, fraudType, note, analyst, createdAt, supersedes, false);
    }

    /** The stored value of the label column: normal, fraud or retracted. */
    public String kind() {
        return retraction ? "retracted" : fraud ? "fraud" : "normal";
    }

    /** Fraud types the workbench offers on keys 1-6; any other text is accepted too. */
    public static final java.util.List<String> FRAUD_TYPES = java.util.List.of(
            "click_farming", "order_brushing", "account_takeover", "scripted_bot", "coupon_abuse", "other");
}

package dev.seqwatch.detect;

import dev.seqwatch.common.LabelSet;

import java.util.Map;

/**
 * How to train. {@code labels} may be empty; when {@code excludeFraud} is set, users labelled
 * fraud are left out of the normal-behaviour training set. {@code params} carries detector-specific
 * settings (e.g. "hidden" -> "64") so the command line and the GUI can pass them through.
 */
public record FitOptions(int epochs, long seed, boolean excludeFraud, LabelSet labels, Map<String, String> params) {

    public static FitOptions defaults() {
        return new FitOptions(0, 42L, false, LabelSet.empty(), Map.of());
    }

    public FitOptions withLabels(LabelSet l) {
        return new FitOptions(epochs, seed, excludeFraud, l, params);
    }

    public int intParam(String key, int fallback) {
        String v = params.get(key);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    public double doubleParam(String key, double fallback) {
        String v = params.get(key);
        return v == null ? fallback : Double.parseDouble(v.trim());
    }

    /** Epochs, or {@code fallback} when the caller left it to the detector (0). */
    public int epochsOr(int fallback) {
        return epochs > 0 ? epochs : fallback;
    }
}

package dev.seqwatch.ui.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.store.ModelDao;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One model version as the Models table shows it, with the metrics stored when it was trained. */
public record VersionRow(int id, String detector, String created, boolean active, String trainedOn,
                         double precision, double recall, double f1, double rocAuc, double prAuc) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d, HH:mm", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    public static VersionRow of(ModelDao.ModelRecord r) {
        JsonNode m = parse(r.metricsJson());
        JsonNode t = parse(r.trainedOnJson());
        String on = t.has("users") ? String.format(Locale.ROOT, "%,d users%s", t.path("users").asLong(),
                t.path("excluded_fraud_users").asInt() > 0 ? " (" + t.path("excluded_fraud_users").asInt() + " fraud out)" : "")
                : "";
        return new VersionRow(r.id(), r.detector(), TIME.format(r.createdAt()), r.active(), on,
                num(m, "precision"), num(m, "recall"), num(m, "f1"), num(m, "roc_auc"), num(m, "pr_auc"));
    }

    private static JsonNode parse(String s) {
        try {
            return s == null ? JSON.createObjectNode() : JSON.readTree(s);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static double num(JsonNode m, String k) {
        JsonNode v = m.get(k);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    public static String fmt(double v) {
        return Double.isNaN(v) ? "\u2013" : String.format(Locale.ROOT, "%.3f", v);
    }
}

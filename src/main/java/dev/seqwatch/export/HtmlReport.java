package dev.seqwatch.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqwatch.common.Label;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.workflow.InvestigationService.StepMatrix;
import dev.seqwatch.workflow.InvestigationService.TimelineStep;
import dev.seqwatch.workflow.InvestigationService.UserTimeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.seqwatch.export.Html.escape;

/**
 * Builds the one-file HTML report (charts embedded as {@code data:} PNGs). Every text that comes
 * from a log, a label or an analyst goes through {@link Html#escape}; a Content-Security-Policy
 * that allows no script is a second line of defence when the file is opened in a browser.
 */
final class HtmlReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int CHART_WIDTH = 1000;

    record Meta(String workspace, Instant generatedAt, String version) {
    }

    private final ExportService.Context ctx;
    private final Meta meta;
    private final JsonNode storedMetrics;
    private final StringBuilder b = new StringBuilder(64 * 1024);

    HtmlReport(ExportService.Context ctx, Meta meta, JsonNode storedMetrics) {
        this.ctx = ctx;
        this.meta = meta;
        this.storedMetrics = storedMetrics;
    }

    String caseReport(UserTimeline t, List<Label> history, ExportOptions o) {
        ScoreDao.UserScoreRow row = ctx.row(t.userId()).orElseThrow();
        head("Seqwatch case report: " + t.userId());
        b.append("<h1>Case report: <span class=\"uid\">").append(escape(t.userId())).append("</span></h1>\n");
        overview();
        Label cur = ctx.labels().get(t.userId());
        boolean flagged = row.score() >= ctx.user().value();
        b.append("<h2>The user</h2>\n<table class=\"kv\">\n");
        kv("User", t.userId());
        kv("Score", num(row.score()));
        kv("Rank", row.rank() + " of " + ctx.users().size());
        kv("Flagged", flagged ? "yes (score \u2265 threshold " + num(ctx.user().value()) + ")"
                : "no (score < threshold " + num(ctx.user().value()) + ")");
        kv("Current label", labelText(cur));
        kv("Events", Integer.toString(t.steps().size()));
        if (!t.steps().isEmpty()) {
            kv("First / last event", TIME.format(Instant.ofEpochMilli(t.steps().get(0).ts())) + " / "
                    + TIME.format(Instant.ofEpochMilli(t.steps().get(t.steps().size() - 1).ts())));
        }
        b.append("</table>\n");

        double scale = scaleMax();
        b.append("<h2>Timeline</h2>\n");
        caption("Each dot is an event in its action lane, coloured by step score: blue = expected, red = at or above the "
                + "step-score threshold (" + num(ctx.step().value()) + "). Grey: no step score. Top: in event order; "
                + "bottom: in time.");
        img(ReportCharts.image(ReportCharts.timeline(t, scale, true), CHART_WIDTH, 320), "timeline of " + t.userId() + " by event");
        img(ReportCharts.image(ReportCharts.timeline(t, scale, false), CHART_WIDTH, 320), "timeline of " + t.userId() + " in time");
        b.append("<h2>Step-score strip</h2>\n");
        StepMatrix strip = strip(t, o.heatmapSteps());
        caption("The user's first " + strip.steps() + " events as one heatmap row (same colours).");
        img(ReportCharts.image(ReportCharts.heatmap(strip, scale, false), CHART_WIDTH, 140), "step-score strip of " + t.userId());
        legend(scale);

        List<ExportService.TopStep> top = ExportService.topSteps(t, Math.max(o.topSteps(), 10));
        b.append("<h2>Most anomalous steps</h2>\n");
        if (top.isEmpty()) {
            b.append("<p>The model gave this user's events no step scores.</p>\n");
        } else {
            b.append("<table><tr><th>step</th><th>time</th><th>action</th><th>item</th><th>category</th>"
                    + "<th>gap</th><th>step score</th><th>model expected</th></tr>\n");
            for (ExportService.TopStep s : top) {
                TimelineStep full = t.steps().get(s.index());
                b.append("<tr").append(s.score() >= ctx.step().value() ? " class=\"hot\"" : "").append('>');
                td(Integer.toString(s.index() + 1));
                td(TIME.format(Instant.ofEpochMilli(s.ts())));
                td(s.action());
                td(s.item());
                td(s.category());
                td(gap(full.gapMillis()));
                td(num(s.score()));
                td(s.expected());
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }

        b.append("<h2>Label history</h2>\n");
        if (history.isEmpty()) {
            b.append("<p>Never labelled.</p>\n");
        } else {
            b.append("<table><tr><th>#</th><th>when</th><th>analyst</th><th>label</th><th>fraud type</th><th>note</th></tr>\n");
            for (Label l : history) {
                b.append("<tr>");
                td(Long.toString(l.id()));
                td(TIME.format(l.createdAt()));
                td(l.analyst());
                td(l.retraction() ? "retracted (unlabelled from here)" : l.kind());
                td(l.fraudType());
                td(l.note());
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }
        metrics();
        return finish();
    }

    String queueReport(List<ExportService.FlaggedUser> flagged, StepMatrix m, List<UserTimeline> timelines, ExportOptions o) {
        head("Seqwatch queue report: " + meta.workspace());
        b.append("<h1>Queue report: <span class=\"uid\">").append(escape(meta.workspace())).append("</span></h1>\n");
        overview();
        int total = ctx.flaggedCount();
        int fraud = 0;
        int normal = 0;
        for (ScoreDao.UserScoreRow r : ctx.flagged(0)) {
            Label l = ctx.labels().get(r.userId());
            if (l != null) {
                fraud += l.fraud() ? 1 : 0;
                normal += l.fraud() ? 0 : 1;
            }
        }
        b.append("<h2>Queue</h2>\n<table class=\"kv\">\n");
        kv("Users scored", Integer.toString(ctx.users().size()));
        kv("Flagged (score \u2265 " + num(ctx.user().value()) + ")", Integer.toString(total));
        kv("Flagged and labelled fraud / normal / unlabelled", fraud + " / " + normal + " / " + (total - fraud - normal));
        kv("Labelled users in the workspace", ctx.labels().size() + " (" + ctx.labels().fraudUsers().size() + " fraud)");
        b.append("</table>\n");

        double scale = scaleMax();
        b.append("<h2>Step-score heatmap</h2>\n");
        caption("Top " + m.rows() + " users by score (rows, rank 1 at the top) \u00d7 their first " + m.steps()
                + " events (columns). Blue = expected, red = at or above the step-score threshold; white = no event.");
        if (m.rows() > 0 && m.steps() > 0) {
            img(ReportCharts.image(ReportCharts.heatmap(m, scale, true), CHART_WIDTH, Math.min(2400, 90 + m.rows() * 14)),
                    "step-score heatmap");
            legend(scale);
        } else {
            b.append("<p>No step scores to draw.</p>\n");
        }

        b.append("<h2>Flagged users</h2>\n");
        if (flagged.size() < total) {
            caption("The " + flagged.size() + " highest-ranked of " + total + " flagged users.");
        }
        b.append("<table><tr><th>rank</th><th>user</th><th>score</th><th>label</th><th>note</th><th>most anomalous steps</th></tr>\n");
        for (ExportService.FlaggedUser u : flagged) {
            b.append("<tr>");
            td(Integer.toString(u.rank()));
            b.append("<td class=\"uid\">").append(escape(u.userId())).append("</td>");
            td(num(u.score()));
            td(u.label() == null ? "" : u.label().fraud() ? "fraud" + (u.label().fraudType() == null ? "" : " (" + u.label().fraudType() + ")") : "normal");
            td(u.label() == null ? "" : u.label().note());
            List<String> steps = new ArrayList<>();
            for (ExportService.TopStep s : u.topSteps()) {
                steps.add("#" + (s.index() + 1) + " " + s.action() + " " + num(s.score())
                        + (s.expected() == null || s.expected().isEmpty() ? "" : " (expected " + s.expected() + ")"));
            }
            td(String.join("; ", steps));
            b.append("</tr>\n");
        }
        b.append("</table>\n");

        if (!timelines.isEmpty()) {
            b.append("<h2>Timelines of the top flagged users</h2>\n");
            caption("Events in order (x = event number), one lane per action, coloured by step score.");
            for (UserTimeline t : timelines) {
                b.append("<h3 class=\"uid\">").append(escape(t.userId())).append("</h3>\n");
                img(ReportCharts.image(ReportCharts.timeline(t, scale, true), CHART_WIDTH, 300), "timeline of " + t.userId());
            }
        }
        metrics();
        return finish();
    }

    // ---------------------------------------------------------------- parts

    private void head(String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:1040px;color:#1f2328}\n")
                .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:14px}\n")
                .append("table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}\n")
                .append("th{background:#f4f5f7}table.kv td:first-child{color:#555;white-space:nowrap}tr.hot td{background:#fdecea}\n")
                .append(".uid{font-family:ui-monospace,monospace}.cap{color:#555;font-size:13px}img{max-width:100%;border:1px solid #eee}\n")
                .append("footer{margin-top:32px;color:#777;font-size:12px}\n</style>\n</head>\n<body>\n");
    }

    private void overview() {
        b.append("<table class=\"kv\">\n");
        kv("Workspace", meta.workspace());
        kv("Generated", TIME.format(meta.generatedAt()) + " by Seqwatch " + meta.version());
        kv("Model", "version " + ctx.model().id() + ", detector " + ctx.model().detector() + ", trained "
                + TIME.format(ctx.model().createdAt()) + (ctx.model().active() ? " (active)" : " (not active)"));
        kv("User-score threshold", num(ctx.user().value()) + " \u2014 " + ctx.user().source());
        kv("Step-score threshold", num(ctx.step().value()) + " \u2014 " + ctx.step().source());
        b.append("</table>\n");
    }

    private void metrics() {
        b.append("<h2>Detector and metrics</h2>\n");
        Evaluation now = ExportService.evaluate(ctx.users(), ctx.labels(), ctx.user().value());
        if (now == null) {
            b.append("<p>No fraud labels in the workspace: no metrics on current labels.</p>\n");
        } else {
            caption("Stored scores of model version " + ctx.model().id() + " against the workspace's current labels, at "
                    + "the report's threshold" + (now.unlabelledAsNormal() ? " (no normal labels: unlabelled users count as normal)" : "") + ".");
            b.append("<table class=\"kv\">\n");
            kv("Labelled users / fraud", now.nUsers() + " / " + now.nFraud());
            kv("Flagged among them", Integer.toString(now.flagged()));
            kv("Precision / recall / F1", num(now.precision()) + " / " + num(now.recall()) + " / " + num(now.f1()));
            kv("ROC-AUC / PR-AUC (average precision)", num(now.rocAuc()) + " / " + num(now.prAuc()));
            kv("Precision at k = " + now.k(), num(now.precisionAtK()));
            kv("Best F1 (at threshold)", num(now.bestF1()) + " (" + num(now.bestF1Threshold()) + ")");
            for (Map.Entry<String, int[]> e : now.perFraudType().entrySet()) {
                kv("Recall, " + e.getKey(), e.getValue()[0] + " of " + e.getValue()[1]);
            }
            b.append("</table>\n");
        }
        b.append("<h3>Metrics stored when the model was trained</h3>\n");
        if (storedMetrics == null || !storedMetrics.isObject() || storedMetrics.isEmpty()) {
            b.append("<p>None stored.</p>\n");
        } else {
            b.append("<table class=\"kv\">\n");
            Iterator<Map.Entry<String, JsonNode>> it = storedMetrics.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                kv(e.getKey(), v.isNumber() ? num(v.asDouble()) : v.isValueNode() ? v.asText() : v.toString());
            }
            b.append("</table>\n");
        }
    }

    private String finish() {
        b.append("<footer>Seqwatch report. Scores rank how unusual a user's behaviour is for the model; they are leads "
                + "for an analyst, not verdicts.</footer>\n</body>\n</html>\n");
        return b.toString();
    }

    private double scaleMax() {
        double t = ctx.step().value();
        return !Double.isNaN(t) && t > 0 ? t : 1;
    }

    private void legend(double scale) {
        b.append("<p class=\"cap\">Colour scale: 0 <img alt=\"colour scale\" style=\"vertical-align:middle;border:0\" src=\"")
                .append(ReportCharts.dataUri(ReportCharts.legend(scale, 200, 12))).append("\"> ")
                .append(escape(num(scale))).append(" and above</p>\n");
    }

    private static StepMatrix strip(UserTimeline t, int maxSteps) {
        int n = Math.max(1, Math.min(maxSteps, t.steps().size()));
        float[] s = new float[n];
        short[] a = new short[n];
        java.util.Arrays.fill(a, (short) -1);
        java.util.Arrays.fill(s, Float.NaN);
        for (int i = 0; i < Math.min(n, t.steps().size()); i++) {
            s[i] = (float) t.steps().get(i).score();
            a[i] = 0;
        }
        return new StepMatrix(new String[]{t.userId()}, n, s, a, List.of());
    }

    private void img(java.awt.image.BufferedImage img, String alt) {
        b.append("<p><img alt=\"").append(escape(alt)).append("\" width=\"").append(img.getWidth()).append("\" src=\"")
                .append(ReportCharts.dataUri(img)).append("\"></p>\n");
    }

    private void caption(String text) {
        b.append("<p class=\"cap\">").append(escape(text)).append("</p>\n");
    }

    private void kv(String k, String v) {
        b.append("<tr><td>").append(escape(k)).append("</td><td>").append(escape(v)).append("</td></tr>\n");
    }

    private void td(String v) {
        b.append("<td>").append(escape(v)).append("</td>");
    }

    private static String labelText(Label l) {
        if (l == null) {
            return "unlabelled";
        }
        return (l.fraud() ? "fraud" + (l.fraudType() == null ? "" : " (" + l.fraudType() + ")") : "normal")
                + " by " + l.analyst() + ", " + TIME.format(l.createdAt()) + (l.note() == null ? "" : ": " + l.note());
    }

    private static String gap(long ms) {
        if (ms < 0) {
            return "";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\u221e" : "-\u221e";
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

package dev.seqwatch.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.SubProgress;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.InvestigationService.UserTimeline;
import dev.seqwatch.workflow.ModelService;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Results that leave the app: flagged users and the label history as CSV, and a one-file HTML report
 * of a case or of the whole queue. Shared by {@code seqwatch export} and the workbench's File menu;
 * blocking, called off the FX thread, no JavaFX. Files are written through {@link OutputFiles} (a
 * temporary file next to the target, moved into place, so a failed export never leaves half a file;
 * never over the workspace), CSV through {@link SafeCsv}.
 */
public final class ExportService {
    private final Workspace ws;
    private final InvestigationService investigation;
    private final ModelDao models = new ModelDao();
    private final ScoreDao scores = new ScoreDao();
    private final LabelDao labels = new LabelDao();

    public ExportService(Workspace ws) {
        this.ws = ws;
        this.investigation = new InvestigationService(ws, "export");
    }

    /** A threshold and where it came from ("given", "calibrated", "best_f1_on_labels", "top_5_percent", ...). */
    public record Threshold(double value, String source) {
    }

    /** What every export starts from: the model, its ranked users, the current labels, the thresholds. */
    public record Context(ModelDao.ModelRecord model, List<ScoreDao.UserScoreRow> users, LabelSet labels,
                          Threshold user, Threshold step) {
        public List<ScoreDao.UserScoreRow> flagged(int max) {
            List<ScoreDao.UserScoreRow> out = new ArrayList<>();
            for (ScoreDao.UserScoreRow r : users) {
                if (r.score() >= user.value() && (max <= 0 || out.size() < max)) {
                    out.add(r);
                }
            }
            return out;
        }

        public int flaggedCount() {
            int n = 0;
            for (ScoreDao.UserScoreRow r : users) {
                n += r.score() >= user.value() ? 1 : 0;
            }
            return n;
        }

        public Optional<ScoreDao.UserScoreRow> row(String userId) {
            return users.stream().filter(r -> r.userId().equals(userId)).findFirst();
        }
    }

    /** One of a user's most anomalous steps. */
    public record TopStep(int index, long ts, String action, String item, String category, double score,
                          String expected) {
    }

    /** A flagged user with its current label (null if unlabelled) and its most anomalous steps. */
    public record FlaggedUser(int rank, String userId, double score, Label label, List<TopStep> topSteps) {
    }

    public Workspace workspace() {
        return ws;
    }

    public Context context(ExportOptions o) {
        ModelDao.ModelRecord model = ws.read(c -> {
            List<ModelDao.ModelRecord> all = models.list(c);
            if (o.modelId() > 0) {
                return all.stream().filter(m -> m.id() == o.modelId()).findFirst().orElseThrow(() -> new UserFacingException(
                        ws.file() + ": there is no model version " + o.modelId() + " (versions: "
                                + all.stream().map(m -> String.valueOf(m.id())).toList() + ")"));
            }
            return all.stream().filter(ModelDao.ModelRecord::active).findFirst().orElseThrow(() -> new UserFacingException(
                    ws.file() + ": the workspace has no active model; train and score one first (seqwatch train, seqwatch score)"));
        });
        List<ScoreDao.UserScoreRow> rows = ws.read(c -> scores.userScores(c, model.id()));
        if (rows.isEmpty()) {
            throw new UserFacingException(ws.file() + ": model version " + model.id() + " (" + model.detector()
                    + ") has no scores yet; score the workspace with it first (seqwatch score)");
        }
        LabelSet current = ws.read(labels::current);
        return new Context(model, rows, current, userThreshold(model, rows, current, o.userThreshold()),
                stepThreshold(model.id(), o.stepThreshold()));
    }

    private Threshold userThreshold(ModelDao.ModelRecord model, List<ScoreDao.UserScoreRow> rows, LabelSet current,
                                    double given) {
        if (!Double.isNaN(given)) {
            return new Threshold(given, "given");
        }
        double calibrated = new ModelService(ws, DetectorRegistry.standard()).calibratedThreshold(model.id());
        if (!Double.isNaN(calibrated)) {
            String method = new ModelService(ws, DetectorRegistry.standard()).calibrationMethod(model.id());
            return new Threshold(calibrated, "calibrated when the model was trained ("
                    + (method.isEmpty() ? "best F1" : method) + ")");
        }
        if (!current.fraudUsers().isEmpty()) {
            Evaluation e = evaluate(rows, current, Double.NaN);
            if (e != null && !Double.isNaN(e.bestF1Threshold()) && !Double.isInfinite(e.bestF1Threshold())) {
                return new Threshold(e.bestF1Threshold(), "best F1 on the workspace's current labels");
            }
        }
        int k = Math.max(1, rows.size() / 20);
        return new Threshold(rows.get(k - 1).score(), "score of the top 5% (rank " + k + "); no labels to calibrate on");
    }

    private Threshold stepThreshold(int modelId, double given) {
        if (!Double.isNaN(given)) {
            return new Threshold(given, "given");
        }
        return ws.read(c -> {
            float[] sorted = new ScoreDao().sortedStepScores(c, modelId);
            long n = sorted.length;
            if (n == 0) {
                return new Threshold(Double.NaN, "none (the detector scores users, not steps)");
            }
            return new Threshold(sorted[(int) Math.min(n - 1, (long) (n * 0.99))], "99th percentile of " + n + " step scores");
        });
    }

    /** Metrics of the stored scores against {@code labels} at {@code threshold} (NaN: best F1); null without fraud labels. */
    static Evaluation evaluate(List<ScoreDao.UserScoreRow> rows, LabelSet labels, double threshold) {
        if (labels.fraudUsers().isEmpty()) {
            return null;
        }
        List<String> ids = new ArrayList<>(rows.size());
        double[] s = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ids.add(rows.get(i).userId());
            s[i] = rows.get(i).score();
        }
        LabelledScores ls = LabelledScores.of(ids, s, labels);
        if (ls.size() == 0) {
            return null;
        }
        return Evaluation.of(ls, threshold, "report");
    }

    /**
     * The flagged users with their top steps, read in one pass over the flagged users' events in rank
     * and time order (a timeline query per user scans the step scores once per user: 16 s for 69 users
     * of the sample, against well under a second for this).
     */
    public List<FlaggedUser> flagged(Context ctx, ExportOptions o, ProgressListener p) {
        List<ScoreDao.UserScoreRow> rows = ctx.flagged(o.maxUsers());
        List<FlaggedUser> out = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return out;
        }
        java.util.Map<String, List<TopStep>> steps = o.topSteps() == 0 ? java.util.Map.of()
                : stepsOfRanks(ctx.model().id(), rows.get(rows.size() - 1).rank(), p);
        for (ScoreDao.UserScoreRow r : rows) {
            List<TopStep> all = steps.getOrDefault(r.userId(), List.of());
            out.add(new FlaggedUser(r.rank(), r.userId(), r.score(), ctx.labels().get(r.userId()), top(all, o.topSteps())));
        }
        return out;
    }

    /** Every event (with its step score, NaN if none) of the users ranked 1..maxRank, per user in time order. */
    private java.util.Map<String, List<TopStep>> stepsOfRanks(int modelId, int maxRank, ProgressListener p) {
        return ws.read(c -> {
            List<String> users = scores.topUsers(c, modelId, maxRank);
            java.util.Map<String, List<TopStep>> byUser = new java.util.HashMap<>();
            new ScoreDao().stepsOf(c, modelId, users, p).forEach((u, steps) -> {
                List<TopStep> l = new ArrayList<>(steps.size());
                for (ScoreDao.UserStep s : steps) {
                    l.add(new TopStep(l.size(), s.ts(), s.action(), s.item(), s.category(), s.score(),
                            s.expected() == null ? "" : s.expected()));
                }
                byUser.put(u, l);
            });
            return byUser;
        });
    }

    private static List<TopStep> top(List<TopStep> steps, int k) {
        return steps.stream().filter(s -> !Double.isNaN(s.score()))
                .sorted(Comparator.comparingDouble(TopStep::score).reversed().thenComparingInt(TopStep::index))
                .limit(k).toList();
    }

    /** The {@code k} highest-scored steps of a timeline, highest first (ties: earlier step first). */
    public static List<TopStep> topSteps(UserTimeline t, int k) {
        return top(t.steps().stream()
                .map(s -> new TopStep(s.index(), s.ts(), s.action(), s.item(), s.category(), s.score(), s.expected()))
                .toList(), k);
    }

    // ---------------------------------------------------------------- CSV

    /** Writes the flagged users; returns how many. */
    public int writeFlaggedCsv(Path out, ExportOptions o, ProgressListener p) {
        refuseOverWorkspace(out);
        p.progress(0, "reading scores and labels");
        Context ctx = context(o);
        List<FlaggedUser> users = flagged(ctx, o, p);
        p.progress(0.95, "writing " + out.getFileName());
        SafeCsv.write(out, csv -> {
            List<String> head = new ArrayList<>(List.of("user_id", "score", "rank", "model_version", "detector",
                    "threshold", "label", "fraud_type", "label_note", "labelled_by", "labelled_at"));
            for (int i = 1; i <= o.topSteps(); i++) {
                String s = "step" + i + "_";
                head.addAll(List.of(s + "index", s + "time", s + "action", s + "item", s + "score", s + "expected"));
            }
            csv.row(head);
            for (FlaggedUser u : users) {
                List<String> rec = new ArrayList<>(head.size());
                Label l = u.label();
                rec.addAll(List.of(u.userId(), num(u.score()), Integer.toString(u.rank()),
                        Integer.toString(ctx.model().id()), ctx.model().detector(), num(ctx.user().value()),
                        l == null ? "" : l.fraud() ? "fraud" : "normal", l == null ? "" : nz(l.fraudType()),
                        l == null ? "" : nz(l.note()), l == null ? "" : nz(l.analyst()),
                        l == null ? "" : l.createdAt().toString()));
                for (int i = 0; i < o.topSteps(); i++) {
                    if (i < u.topSteps().size()) {
                        TopStep s = u.topSteps().get(i);
                        rec.addAll(List.of(Integer.toString(s.index() + 1), Instant.ofEpochMilli(s.ts()).toString(),
                                nz(s.action()), nz(s.item()), num(s.score()), nz(s.expected())));
                    } else {
                        rec.addAll(List.of("", "", "", "", "", ""));
                    }
                }
                csv.row(rec);
            }
        });
        p.progress(1, "wrote " + users.size() + " flagged users to " + out.getFileName());
        return users.size();
    }

    /**
     * Writes every label row ever written (the audit trail), oldest first; returns how many rows. A row
     * whose label is {@code retracted} takes the user's label back: when it is the user's latest row, the
     * user is unlabelled and none of its rows is current (as in training, evaluation and the queue).
     */
    public int writeLabelHistoryCsv(Path out, ProgressListener p) {
        refuseOverWorkspace(out);
        p.progress(0, "reading the label history");
        List<Label> all = ws.read(labels::all);
        LabelSet current = new LabelSet(currentOf(all));
        SafeCsv.write(out, csv -> {
            csv.row("id", "user_id", "label", "fraud_type", "note", "analyst", "created_at", "supersedes", "current");
            for (Label l : all) {
                Label cur = current.get(l.userId());
                csv.row(Long.toString(l.id()), l.userId(), l.kind(), l.fraudType(),
                        l.note(), l.analyst(), l.createdAt().toString(),
                        l.supersedes() == 0 ? "" : Long.toString(l.supersedes()),
                        Boolean.toString(cur != null && cur.id() == l.id()));
            }
        });
        p.progress(1, "wrote " + all.size() + " label rows to " + out.getFileName());
        return all.size();
    }

    private static List<Label> currentOf(List<Label> all) {
        java.util.Map<String, Label> latest = new java.util.HashMap<>();
        for (Label l : all) {
            latest.merge(l.userId(), l, (a, b) -> b.id() > a.id() ? b : a);
        }
        List<Label> out = new ArrayList<>(latest.size());
        for (Label l : latest.values()) {
            if (!l.retraction()) {
                out.add(l);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- HTML

    /** The report of one user ("case"): summary, label history, timeline, step strip, top steps, metrics. */
    public Path writeCaseReport(String userId, Path out, ExportOptions o, ProgressListener p) {
        if (userId == null || userId.isBlank()) {
            throw new UserFacingException("no user given for the case report");
        }
        refuseOverWorkspace(out);
        p.progress(0, "reading scores and labels");
        Context ctx = context(o);
        if (ctx.row(userId).isEmpty()) {
            throw new UserFacingException("user '" + userId + "' has no score in model version " + ctx.model().id()
                    + " of " + ws.file().getFileName() + "; check the user id");
        }
        p.progress(0.2, "reading the timeline of " + userId);
        UserTimeline t = investigation.timeline(ctx.model().id(), userId);
        List<Label> history = investigation.history(userId);
        p.checkCancelled();
        p.progress(0.5, "drawing charts");
        String html = new HtmlReport(ctx, reportMeta(), metricsNode(ctx.model())).caseReport(t, history, o);
        writeText(out, html);
        p.progress(1, "wrote the case report of " + userId + " to " + out.getFileName());
        return out;
    }

    /** The report of the whole queue: summary, heatmap, flagged users with top steps, timelines of the top three. */
    public Path writeQueueReport(Path out, ExportOptions o, ProgressListener p) {
        refuseOverWorkspace(out);
        p.progress(0, "reading scores and labels");
        Context ctx = context(o);
        ExportOptions capped = o.maxUsers() > 0 ? o : o.withMaxUsers(500);
        List<FlaggedUser> flagged = flagged(ctx, capped, new SubProgress(p, 0, 0.5));
        p.progress(0.5, "reading the heatmap");
        InvestigationService.StepMatrix m = investigation.stepMatrix(ctx.model().id(), o.heatmapUsers(), o.heatmapSteps());
        List<UserTimeline> timelines = new ArrayList<>();
        for (int i = 0; i < Math.min(3, flagged.size()); i++) {
            timelines.add(investigation.timeline(ctx.model().id(), flagged.get(i).userId()));
        }
        p.checkCancelled();
        p.progress(0.7, "drawing charts");
        String html = new HtmlReport(ctx, reportMeta(), metricsNode(ctx.model())).queueReport(flagged, m, timelines, capped);
        writeText(out, html);
        p.progress(1, "wrote the queue report to " + out.getFileName());
        return out;
    }

    private HtmlReport.Meta reportMeta() {
        String v = ExportService.class.getPackage().getImplementationVersion();
        return new HtmlReport.Meta(ws.file().getFileName().toString(), Instant.now(), v == null ? "dev" : v);
    }

    private static JsonNode metricsNode(ModelDao.ModelRecord m) {
        try {
            return m.metricsJson() == null ? null : ModelFile.json().readTree(m.metricsJson());
        } catch (IOException e) {
            return null; // shown as "no stored metrics"
        }
    }

    // ---------------------------------------------------------------- files

    /** Refuses an output over the workspace (or its lock and trace files) before anything is written. */
    private void refuseOverWorkspace(Path out) {
        OutputFiles.check("the output file", out, Workspace.guardedFiles(ws.file()));
    }

    private void writeText(Path out, String text) {
        OutputFiles.write(out, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

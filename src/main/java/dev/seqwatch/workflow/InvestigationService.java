package dev.seqwatch.workflow;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;
import dev.seqwatch.store.EventBlock;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.StepScoreBlock;
import dev.seqwatch.store.Workspace;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads and label writes an analyst's investigation needs (the queue, one user's timeline, the
 * step-score heatmap, label history), on top of the store DAOs. Plain Java, so the workbench's
 * view-models and the {@code bench ui} command share it.
 */
public final class InvestigationService {

    private final Workspace ws;
    private final String analyst;
    private final EventDao events = new EventDao();
    private final LabelDao labels = new LabelDao();
    private final ModelDao models = new ModelDao();
    private final ScoreDao scores = new ScoreDao();

    public InvestigationService(Workspace ws, String analyst) {
        this.ws = ws;
        this.analyst = analyst;
    }

    public Workspace workspace() {
        return ws;
    }

    public String analyst() {
        return analyst;
    }

    /**
     * The users of the active model ranked by score, with the current labels. Before any model is active
     * the imported users are listed unscored (score NaN), most events first (ties by id), and
     * {@code eventsPerUser} holds their event counts (empty when scored).
     */
    public record QueueSnapshot(Optional<ModelDao.ModelRecord> model, List<ScoreDao.UserScoreRow> users,
                                LabelSet labels, long events, long userCount, Map<String, Integer> eventsPerUser) {
        public QueueSnapshot(Optional<ModelDao.ModelRecord> model, List<ScoreDao.UserScoreRow> users,
                             LabelSet labels, long events, long userCount) {
            this(model, users, labels, events, userCount, Map.of());
        }

        /** True when the users are listed by event count because no model has scored them. */
        public boolean unscored() {
            return model.isEmpty() && !eventsPerUser.isEmpty();
        }
    }

    public QueueSnapshot loadQueue() {
        return ws.read(c -> {
            Optional<ModelDao.ModelRecord> m = models.active(c);
            long eventCount = ImportDaoCounts.storedEvents(c);
            if (m.isPresent()) {
                List<ScoreDao.UserScoreRow> rows = scores.userScores(c, m.get().id());
                return new QueueSnapshot(m, rows, labels.current(c), eventCount, rows.size());
            }
            // nothing scored yet: the imported users by event count, so an import visibly worked
            Map<String, Integer> perUser = events.eventsPerUser(c);
            List<Map.Entry<String, Integer>> order = new java.util.ArrayList<>(perUser.entrySet());
            order.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            List<ScoreDao.UserScoreRow> rows = new java.util.ArrayList<>(order.size());
            for (Map.Entry<String, Integer> e : order) {
                rows.add(new ScoreDao.UserScoreRow(e.getKey(), Double.NaN, rows.size() + 1));
            }
            return new QueueSnapshot(m, rows, labels.current(c), eventCount, perUser.size(), perUser);
        });
    }

    /** Cheap totals from the import records. */
    private static final class ImportDaoCounts {
        static long storedEvents(java.sql.Connection c) throws java.sql.SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COALESCE(SUM(rows_stored), 0) FROM import_batch WHERE status = 'DONE'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The user-score threshold calibrated when version {@code modelId} was trained (best F1 on its
     * labelled training users, in the model file's manifest), or NaN when it records none; the same
     * value exports use by default. An unreadable model file is reported, not guessed around.
     */
    public double calibratedThreshold(int modelId) {
        byte[] bytes = ws.read(c -> models.file(c, modelId));
        if (bytes == null) {
            return Double.NaN;
        }
        return dev.seqwatch.detect.ModelFile.read(bytes, ws.file().getFileName() + " model version " + modelId)
                .manifest().path("calibration").path("threshold").asDouble(Double.NaN);
    }

    /** How the calibrated threshold of version {@code modelId} was chosen, in words ("" when none). */
    public String calibrationMethod(int modelId) {
        byte[] bytes = ws.read(c -> models.file(c, modelId));
        if (bytes == null) {
            return "";
        }
        var m = dev.seqwatch.detect.ModelFile.read(bytes, ws.file().getFileName() + " model version " + modelId).manifest();
        return ModelProvenance.annotate(m.path("calibration").path("method").asText(""), m, ModelProvenance.importHashes(ws));
    }

    /**
     * The "label next" queue of the active model ({@link LabelNext}): unlabelled users ordered by how
     * much a label would teach the model (uncertainty at the calibrated threshold, or the top 5% when the
     * version has none, times diversity in feature space); {@code limit} places are chosen greedily.
     * Loads every user's events (for the features): call it off the JavaFX thread. Empty before any model
     * has scored the users.
     */
    public List<LabelNext.Pick> labelNextQueue(int limit, ProgressListener p) {
        QueueSnapshot q = loadQueue();
        if (q.model().isEmpty() || q.unscored() || q.users().isEmpty()) {
            return List.of();
        }
        List<dev.seqwatch.detect.UserScores> us = new ArrayList<>(q.users().size());
        for (ScoreDao.UserScoreRow r : q.users()) {
            us.add(new dev.seqwatch.detect.UserScores(r.userId(), r.score(), null, null));
        }
        dev.seqwatch.detect.Scores scores = new dev.seqwatch.detect.Scores(q.model().get().detector(), List.of(), 0, us);
        SequenceSet all = ws.read(c -> new EventDao().loadAll(c, p));
        double t = calibratedThreshold(q.model().get().id());
        return LabelNext.order(all, scores, q.labels(), t, limit);
    }

    public LabelSet currentLabels() {
        return ws.read(labels::current);
    }

    public List<Label> history(String userId) {
        return ws.read(c -> labels.history(c, userId));
    }

    /** Appends a label row for {@code userId} (audited with this analyst's name) and returns it. */
    public Label setLabel(String userId, boolean fraud, String fraudType, String note) {
        if (userId == null || userId.isBlank()) {
            throw new UserFacingException("no user selected to label");
        }
        String n = note == null || note.isBlank() ? null : note.strip();
        return ws.write(c -> labels.append(c, List.of(new LabelDao.NewLabel(userId, fraud, fraudType, n, analyst)))).get(0);
    }

    /**
     * Takes back {@code userId}'s current label with a new audited row (the history keeps the label it
     * retracts): the user is unlabelled again for the queue, training, evaluation and exports.
     */
    public Label retractLabel(String userId, String note) {
        if (userId == null || userId.isBlank()) {
            throw new UserFacingException("no user selected to retract the label of");
        }
        String n = note == null || note.isBlank() ? null : note.strip();
        Label r = ws.write(c -> labels.retract(c, userId, n, analyst));
        if (r == null) {
            throw new UserFacingException(userId + " has no label to retract");
        }
        return r;
    }

    /** One event of a user's timeline with its step score and the model's expectation. */
    public record TimelineStep(int index, long eventId, long ts, String action, String item, String category,
                               double amount, long gapMillis, double score, String expected) {
    }

    /** A user's events in time order; scores are NaN when there is no model or no step score. */
    public record UserTimeline(String userId, List<TimelineStep> steps, List<String> actions) {
    }

    public UserTimeline timeline(int modelId, String userId) {
        return ws.read(c -> {
            SequenceSet set = events.loadUsers(c, List.of(userId));
            UserSequence u = set.user(userId);
            if (u == null) {
                return new UserTimeline(userId, List.of(), List.of());
            }
            Map<Long, ScoreDao.StepScoreRow> byEvent = new HashMap<>();
            if (modelId > 0) {
                for (ScoreDao.StepScoreRow r : scores.stepScores(c, modelId, userId)) {
                    byEvent.put(r.eventId(), r);
                }
            }
            List<TimelineStep> steps = new ArrayList<>(u.length());
            for (int i = 0; i < u.length(); i++) {
                ScoreDao.StepScoreRow s = byEvent.get(u.eventId(i));
                steps.add(new TimelineStep(i, u.eventId(i), u.timestamp(i), set.actionName(u.action(i)),
                        set.itemName(u.item(i)), set.categoryName(u.category(i)), u.amount(i), u.gapMillis(i),
                        s == null ? Double.NaN : s.score(), s == null || s.expected() == null ? "" : s.expected()));
            }
            return new UserTimeline(userId, steps, set.actionNames());
        });
    }

    /**
     * Step scores of the top-ranked users: row r is the user of rank r+1, column j its j-th event
     * (NaN where the user has fewer events or the step has no score).
     */
    public record StepMatrix(String[] userIds, int steps, float[] scores, short[] actions, List<String> actionNames) {
        public float score(int row, int step) {
            return scores[row * steps + step];
        }

        public int rows() {
            return userIds.length;
        }
    }

    public StepMatrix stepMatrix(int modelId, int maxUsers, int maxSteps) {
        return ws.read(c -> {
            List<String> users = scores.topUsers(c, modelId, maxUsers);
            float[] m = new float[users.size() * maxSteps];
            short[] act = new short[m.length];
            Arrays.fill(m, Float.NaN);
            Arrays.fill(act, (short) -1);
            Map<String, Integer> actionCodes = new HashMap<>();
            List<String> actionNames = new ArrayList<>();
            Map<String, Integer> row = new HashMap<>();
            for (int r = 0; r < users.size(); r++) {
                row.put(users.get(r), r);
            }
            Map<String, List<ScoreDao.UserStep>> stepsOf = scores.stepsOf(c, modelId, users, ProgressListener.NONE);
            for (Map.Entry<String, List<ScoreDao.UserStep>> e : stepsOf.entrySet()) {
                int r = row.get(e.getKey());
                List<ScoreDao.UserStep> list = e.getValue();
                for (int j = 0; j < list.size() && j < maxSteps; j++) {
                    String a = list.get(j).action();
                    Integer code = actionCodes.get(a);
                    if (code == null) {
                        code = actionNames.size();
                        actionNames.add(a);
                        actionCodes.put(a, code);
                    }
                    act[r * maxSteps + j] = code.shortValue();
                    m[r * maxSteps + j] = (float) list.get(j).score();
                }
            }
            // as many columns as the longest shown sequence needs
            int used = 0;
            for (int r = 0; r < users.size(); r++) {
                for (int j = maxSteps - 1; j >= used; j--) {
                    if (act[r * maxSteps + j] >= 0) {
                        used = j + 1;
                        break;
                    }
                }
            }
            if (used < maxSteps) {
                float[] m2 = new float[users.size() * used];
                short[] a2 = new short[m2.length];
                for (int r = 0; r < users.size(); r++) {
                    System.arraycopy(m, r * maxSteps, m2, r * used, used);
                    System.arraycopy(act, r * maxSteps, a2, r * used, used);
                }
                return new StepMatrix(users.toArray(String[]::new), used, m2, a2, actionNames);
            }
            return new StepMatrix(users.toArray(String[]::new), maxSteps, m, act, actionNames);
        });
    }

    /** Every scored step and every user's highest step score, each sorted ascending (for the step slider). */
    public record StepScoreSummary(double[] stepsSorted, double[] userMaxSorted) {
        public static final StepScoreSummary EMPTY = new StepScoreSummary(new double[0], new double[0]);
    }

    public StepScoreSummary stepScoreSummary(int modelId) {
        return ws.read(c -> {
            double[] all = new double[1024];
            int n = 0;
            Map<String, Double> max = new HashMap<>();
            for (EventDao.BlockRef ref : events.blocks(c)) {
                StepScoreBlock sb = scores.stepBlock(c, modelId, ref);
                if (sb == null) {
                    continue;
                }
                EventBlock.Users bu = events.blockUsers(c, ref);
                for (int u = 0; u < bu.ids().length; u++) {
                    double userMax = Double.NEGATIVE_INFINITY;
                    for (int k = bu.start()[u]; k < bu.start()[u + 1]; k++) {
                        float s = sb.score[k];
                        if (Float.isNaN(s)) {
                            continue;
                        }
                        if (n == all.length) {
                            all = Arrays.copyOf(all, n * 2);
                        }
                        all[n++] = s;
                        userMax = Math.max(userMax, s);
                    }
                    if (userMax > Double.NEGATIVE_INFINITY) {
                        max.merge(bu.ids()[u], userMax, Math::max);
                    }
                }
            }
            double[] steps = Arrays.copyOf(all, n);
            Arrays.sort(steps);
            double[] users = max.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new StepScoreSummary(steps, users);
        });
    }
}

package dev.seqwatch.workflow;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two stored model versions of a workspace, from their stored scores: the users
 * whose verdict flipped (each version flags at its own calibrated threshold, or its top N when it has
 * none), the biggest rank moves, and how each version does on the labelled users that neither saw: users
 * whose first label was written after both versions were trained.
 */
public final class VersionDiff {

    /** One user in both versions. {@code label}: true fraud, false normal, null unlabelled. */
    public record Change(String userId, double fromScore, int fromRank, double toScore, int toRank, Boolean label) {
        public int rankMove() {
            return fromRank - toRank; // positive: moved up the queue
        }
    }

    /** How one version flags users, and its figures on the labelled users neither version saw (null without such fraud). */
    public record Side(int modelId, String detector, Instant trainedAt, String rule, double threshold, int flagged,
                       Evaluation unseen) {
    }

    /** The lists hold at most the asked number of rows; the counts are whole. */
    public record Result(Side from, Side to, int users, int unseenLabelled, int newlyFlaggedCount, List<Change> newlyFlagged,
                         int noLongerFlaggedCount, List<Change> noLongerFlagged, List<Change> biggestMoves) {
    }

    private final Workspace ws;
    private final ModelService models;

    public VersionDiff(Workspace ws, ModelService models) {
        this.ws = ws;
        this.models = models;
    }

    /**
     * @param top     users flagged by a version without a calibrated threshold (its top N)
     * @param maxRows at most this many rows in each list
     */
    public Result compute(int from, int to, int top, int maxRows) {
        if (top < 1) {
            throw new UserFacingException("--top must be at least 1, not " + top);
        }
        if (maxRows < 0) {
            throw new UserFacingException("--rows must not be negative, not " + maxRows);
        }
        ModelDao.ModelRecord a = record(from);
        ModelDao.ModelRecord b = record(to);
        ScoreDao dao = new ScoreDao();
        List<ScoreDao.UserScoreRow> sa = ws.read(c -> dao.userScores(c, from));
        List<ScoreDao.UserScoreRow> sb = ws.read(c -> dao.userScores(c, to));
        for (var e : Map.of(from, sa, to, sb).entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new UserFacingException("model version " + e.getKey() + " has no stored scores: activate it in the "
                        + "Models view (it is scored then) or score it with seqwatch score, then compare again");
            }
        }
        LabelSet current = ws.read(c -> new LabelDao().current(c));
        Map<String, Instant> firstLabelled = new HashMap<>();
        for (Label l : ws.read(c -> new LabelDao().all(c))) {
            firstLabelled.merge(l.userId(), l.createdAt(), (x, y) -> x.isBefore(y) ? x : y);
        }
        Instant later = a.createdAt().isAfter(b.createdAt()) ? a.createdAt() : b.createdAt();
        List<Label> unseen = new ArrayList<>();
        for (Label l : current.all()) {
            if (firstLabelled.get(l.userId()).isAfter(later)) {
                unseen.add(l);
            }
        }
        LabelSet unseenSet = new LabelSet(unseen);

        Map<String, ScoreDao.UserScoreRow> byUser = new HashMap<>(sa.size() * 2);
        for (ScoreDao.UserScoreRow r : sa) {
            byUser.put(r.userId(), r);
        }
        double ta = threshold(from, sa, top);
        double tb = threshold(to, sb, top);
        List<Change> both = new ArrayList<>();
        for (ScoreDao.UserScoreRow r : sb) {
            ScoreDao.UserScoreRow o = byUser.get(r.userId());
            if (o != null) {
                both.add(new Change(r.userId(), o.score(), o.rank(), r.score(), r.rank(), current.isFraud(r.userId())));
            }
        }
        List<Change> newly = new ArrayList<>();
        List<Change> gone = new ArrayList<>();
        for (Change ch : both) {
            boolean fa = ch.fromScore() >= ta;
            boolean fb = ch.toScore() >= tb;
            if (fb && !fa) {
                newly.add(ch);
            } else if (fa && !fb) {
                gone.add(ch);
            }
        }
        newly.sort(Comparator.comparingInt(Change::toRank));
        gone.sort(Comparator.comparingInt(Change::fromRank));
        List<Change> moves = new ArrayList<>(both);
        moves.sort(Comparator.comparingInt((Change ch) -> -Math.abs(ch.rankMove())).thenComparingInt(Change::toRank));
        return new Result(side(a, sa, ta, top, unseenSet), side(b, sb, tb, top, unseenSet), both.size(), unseen.size(),
                newly.size(), cut(newly, maxRows), gone.size(), cut(gone, maxRows), cut(moves, maxRows));
    }

    private ModelDao.ModelRecord record(int id) {
        return models.versions().stream().filter(m -> m.id() == id).findFirst()
                .orElseThrow(() -> new UserFacingException("no model version " + id + " in " + ws.file()
                        + " (versions: " + models.versions().stream().map(m -> String.valueOf(m.id())).toList() + ")"));
    }

    /** The version's calibrated threshold, else the score of its N-th ranked user (ties flag together). */
    private double threshold(int id, List<ScoreDao.UserScoreRow> ranked, int top) {
        double t = models.calibratedThreshold(id);
        if (Double.isFinite(t)) {
            return t;
        }
        return ranked.get(Math.min(top, ranked.size()) - 1).score();
    }

    private Side side(ModelDao.ModelRecord m, List<ScoreDao.UserScoreRow> ranked, double t, int top, LabelSet unseen) {
        boolean calibrated = Double.isFinite(models.calibratedThreshold(m.id()));
        int flagged = 0;
        List<String> ids = new ArrayList<>(ranked.size());
        double[] scores = new double[ranked.size()];
        for (int i = 0; i < ranked.size(); i++) {
            ids.add(ranked.get(i).userId());
            scores[i] = ranked.get(i).score();
            if (scores[i] >= t) {
                flagged++;
            }
        }
        Evaluation e = null;
        if (!unseen.fraudUsers().isEmpty()) {
            LabelledScores ls = LabelledScores.of(ids, scores, unseen);
            if (ls.size() > 0) {
                e = Evaluation.of(ls, t, calibrated ? "calibrated" : "top " + top);
            }
        }
        return new Side(m.id(), m.detector(), m.createdAt(), calibrated ? "calibrated threshold" : "top " + top, t, flagged, e);
    }

    private static List<Change> cut(List<Change> l, int n) {
        return l.size() <= n ? l : List.copyOf(l.subList(0, n));
    }
}

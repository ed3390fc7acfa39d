package dev.seqwatch.evaluate;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.SubProgress;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Side-by-side comparison of detectors on labelled users (the engine behind {@code seqwatch compare}
 * and the workbench's Compare view; no JavaFX). Two rounds:
 * <ul>
 * <li><b>unsupervised</b>: every detector trains on all users, labels are used only to evaluate;</li>
 * <li><b>labels</b>: users labelled fraud are left out of training and the labels are passed to the
 *     detector (a detector with a supervised part may use them); the stacked ensemble learns from
 *     the labels with k-fold cross-validation so no user is scored by a model that saw its label.</li>
 * </ul>
 * Each round adds the rank-average ensemble of its detectors (and, with labels, the stacked one).
 * Two label sets: the <em>evaluation</em> labels (the answer key every row is scored against) and
 * the <em>training</em> labels the "labels" round may learn from (e.g. the analysts' labels of the
 * workspace while the evaluation uses a fuller answer key; they may be the same set). Users labelled
 * in the training labels are scored by the stacked model out of fold; the others by a model fitted
 * on all training labels.
 * A detector that fails is reported with its error; the others go on. Cancellation throws.
 */
public final class DetectorComparison {
    public static final String UNSUPERVISED = "unsupervised";
    public static final String LABELS = "labels";
    public static final String RANK_AVERAGE = "ensemble:rank-average";
    public static final String STACKED = "ensemble:stacked";

    private final DetectorRegistry registry;

    public DetectorComparison(DetectorRegistry registry) {
        this.registry = registry;
    }

    /** No split: every detector trains on all users and is evaluated on the same users (transductive). */
    public static final String SPLIT_NONE = "none";
    /** Users drawn at random (seeded) into a training and an evaluation part. */
    public static final String SPLIT_RANDOM = "random";
    /** Train on the earlier part of the log, evaluate on the users who first appear in the later part. */
    public static final String SPLIT_TIME = "time";

    /**
     * What to compare; {@code params} per detector name; {@code modes} a subset of unsupervised, labels;
     * {@code split} one of {@link #SPLIT_NONE}, {@link #SPLIT_RANDOM}, {@link #SPLIT_TIME};
     * {@code trainShare} the share of users (in (0, 1)) on the training side of a split.
     */
    public record Options(List<String> detectors, List<String> modes, int epochs, long seed,
                          Map<String, Map<String, String>> params, int folds, String split, double trainShare) {
        public Options {
            if (!List.of(SPLIT_NONE, SPLIT_RANDOM, SPLIT_TIME).contains(split)) {
                throw new UserFacingException("--split must be time, random or none, was '" + split + "'");
            }
            if (!(trainShare > 0 && trainShare < 1)) {
                throw new UserFacingException("--train-share must be between 0 and 1 (exclusive), was " + trainShare);
            }
        }

        /** Without a split (every user trained on and evaluated), as before splits existed. */
        public Options(List<String> detectors, List<String> modes, int epochs, long seed,
                       Map<String, Map<String, String>> params, int folds) {
            this(detectors, modes, epochs, seed, params, folds, SPLIT_NONE, 0.5);
        }

        public static Options of(List<String> detectors) {
            return new Options(detectors, List.of(UNSUPERVISED, LABELS), 0, 42L, Map.of(), 5);
        }
    }

    /** One line of the table: {@code curve} for ROC / PR plots; {@code error} non-null when the detector failed. */
    public record Row(String detector, String mode, Evaluation evaluation, long fitMillis, long scoreMillis,
                      ThresholdCurve curve, String error) {
        public boolean ensemble() {
            return detector.startsWith("ensemble:");
        }
    }

    /** The ensemble's PR-AUC and ROC-AUC minus those of the best single detector of its round (by PR-AUC). */
    public record Gain(String mode, String ensemble, String bestSingle, double prAucGain, double rocAucGain) {
    }

    /**
     * {@code nUsers}, {@code nLabelled}, {@code nFraud}: of the evaluated users; {@code trainUsers}: users
     * the detectors were trained on; {@code cut}: the time split's cut (epoch ms, events before it were
     * trained on), else 0; {@code warnings}: what makes the figures optimistic (e.g. evaluated users the
     * models were trained on), empty when nothing does.
     */
    public record Report(int nUsers, int nLabelled, int nFraud, List<Row> rows, List<Gain> gains,
                         String split, int trainUsers, long cut, List<String> warnings) {
        public Report(int nUsers, int nLabelled, int nFraud, List<Row> rows, List<Gain> gains) {
            this(nUsers, nLabelled, nFraud, rows, gains, SPLIT_NONE, nUsers, 0, List.of());
        }
    }

    /** The training and evaluation sides of a split; for {@link #SPLIT_NONE} both are all users. */
    public record Split(SequenceSet train, SequenceSet evaluate, long cut) {
    }

    /**
     * Splits {@code all} as {@code o} asks. Time: users ordered by their first event; the first event of
     * the user at the {@code trainShare} quantile is the cut; training sees every event before the cut
     * (the histories of earlier users, truncated there), evaluation the users whose first event is at or
     * after it. Random: users shuffled with the seed, the first {@code trainShare} of them train.
     */
    public static Split split(SequenceSet all, Options o) {
        int n = all.size();
        if (o.split().equals(SPLIT_NONE)) {
            return new Split(all, all, 0);
        }
        if (n < 4) {
            throw new UserFacingException("--split " + o.split() + ": needs at least 4 users, the workspace has " + n);
        }
        if (o.split().equals(SPLIT_RANDOM)) {
            List<String> ids = new ArrayList<>();
            for (UserSequence u : all.users()) {
                ids.add(u.userId());
            }
            java.util.Collections.sort(ids);
            java.util.SplittableRandom r = new java.util.SplittableRandom(o.seed());
            for (int i = ids.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                String t = ids.get(i);
                ids.set(i, ids.get(j));
                ids.set(j, t);
            }
            int k = Math.max(1, Math.min(n - 1, (int) Math.round(n * o.trainShare())));
            java.util.Set<String> trainIds = new java.util.HashSet<>(ids.subList(0, k));
            return new Split(all.filter(u -> trainIds.contains(u.userId())), all.filter(u -> !trainIds.contains(u.userId())), 0);
        }
        long[] first = new long[n];
        int m = 0;
        for (UserSequence u : all.users()) {
            if (u.length() > 0) {
                first[m++] = u.timestamp(0);
            }
        }
        long[] sorted = java.util.Arrays.copyOf(first, m);
        java.util.Arrays.sort(sorted);
        int k = Math.max(1, Math.min(m - 1, (int) Math.round(m * o.trainShare())));
        long cut = sorted[k];
        List<UserSequence> train = new ArrayList<>();
        List<UserSequence> eval = new ArrayList<>();
        for (UserSequence u : all.users()) {
            if (u.length() == 0) {
                continue;
            }
            if (u.timestamp(0) >= cut) {
                eval.add(u);
            } else {
                int end = 0;
                while (end < u.length() && u.timestamp(end) < cut) {
                    end++;
                }
                train.add(end == u.length() ? u : u.slice(0, end));
            }
        }
        if (eval.isEmpty() || train.isEmpty()) {
            throw new UserFacingException("--split time: every user first appears at the same time; use --split random");
        }
        return new Split(new SequenceSet(all.actionNames(), all.itemNames(), all.categoryNames(), train),
                new SequenceSet(all.actionNames(), all.itemNames(), all.categoryNames(), eval), cut);
    }

    private static LabelSet restrict(LabelSet l, SequenceSet users) {
        List<dev.seqwatch.common.Label> kept = new ArrayList<>();
        for (dev.seqwatch.common.Label x : l.all()) {
            if (users.user(x.userId()) != null) {
                kept.add(x);
            }
        }
        return new LabelSet(kept);
    }

    /** Every registered detector except the trainable ensemble (the comparison builds its own ensembles). */
    public static List<String> defaultDetectors(DetectorRegistry registry) {
        return registry.names().stream().filter(n -> !n.equals("ensemble")).toList();
    }

    public Report run(SequenceSet all, LabelSet labels, Options o, ProgressListener p) {
        return run(all, labels, labels, o, p);
    }

    /** @param trainingLabels what the "labels" round may learn from; {@code labels} is the answer key */
    public Report run(SequenceSet all, LabelSet labels, LabelSet trainingLabels, Options o, ProgressListener p) {
        if (o.modes().contains(LABELS) && trainingLabels.fraudUsers().isEmpty()) {
            throw new UserFacingException("the training labels name no fraud user: the 'labels' round has nothing to learn from");
        }
        if (labels.fraudUsers().isEmpty()) {
            throw new UserFacingException("the labels name no fraud user: nothing to compare on");
        }
        if (o.detectors().isEmpty()) {
            throw new UserFacingException("no detector to compare");
        }
        for (String d : o.detectors()) {
            registry.create(d); // unknown names fail before any work
        }
        for (Map.Entry<String, Map<String, String>> e : o.params().entrySet()) {
            if (!o.detectors().contains(e.getKey())) {
                throw new UserFacingException("--param " + e.getKey() + ".*: " + e.getKey() + " is not among the compared detectors ("
                        + String.join(", ", o.detectors()) + ")");
            }
            registry.checkParams(e.getKey(), e.getValue()); // bad names and ranges fail before any work
        }
        Split sp = split(all, o);
        SequenceSet trainUsers = sp.train();
        SequenceSet evalUsers = sp.evaluate();
        boolean split = !o.split().equals(SPLIT_NONE);
        // with a split, the labels round learns only from labels of training users and is judged only on evaluated users
        LabelSet evalLabels = split ? restrict(labels, evalUsers) : labels;
        LabelSet trainLabels = split ? restrict(trainingLabels, trainUsers) : trainingLabels;
        if (evalLabels.fraudUsers().isEmpty()) {
            throw new UserFacingException("--split " + o.split() + ": none of the " + evalUsers.size()
                    + " evaluated users is labelled fraud; try --split random or a different --train-share");
        }
        if (o.modes().contains(LABELS) && trainLabels.fraudUsers().isEmpty()) {
            throw new UserFacingException("--split " + o.split() + ": none of the " + trainUsers.size()
                    + " training users is labelled fraud: the 'labels' round has nothing to learn from");
        }
        List<String> warnings = new ArrayList<>();
        int overlap = 0;
        for (UserSequence u : evalUsers.users()) {
            if (trainUsers.user(u.userId()) != null && evalLabels.isLabelled(u.userId())) {
                overlap++;
            }
        }
        if (overlap > 0) {
            warnings.add("every detector was trained on the users it is evaluated on (" + overlap + " labelled evaluated users; --split "
                    + o.split() + "): unsupervised figures are in-sample, use --split time or random for held-out figures");
        }
        if (o.modes().contains(LABELS)) {
            int seen = 0;
            for (dev.seqwatch.common.Label l : evalLabels.all()) {
                if (trainLabels.isLabelled(l.userId()) && trainUsers.user(l.userId()) != null) {
                    seen++;
                }
            }
            if (seen > 0) {
                warnings.add("labels round: " + seen + " of the " + evalLabels.size() + " evaluated users were labelled in the labels the "
                        + "detectors learned from, so a detector with a supervised part (e.g. the LSTM's head) saw their answers; "
                        + "only the stacked row is scored out of fold");
            }
        }
        List<Row> rows = new ArrayList<>();
        List<Gain> gains = new ArrayList<>();
        int rounds = o.modes().size() * o.detectors().size();
        int done = 0;
        for (String mode : o.modes()) {
            boolean useLabels = mode.equals(LABELS);
            SequenceSet train = useLabels ? trainUsers.without(trainLabels.fraudUsers()) : trainUsers;
            FitOptions fo = new FitOptions(o.epochs(), o.seed(), useLabels, useLabels ? trainLabels : LabelSet.empty(), Map.of());
            List<String> okNames = new ArrayList<>();
            List<double[]> okScores = new ArrayList<>();
            List<double[]> okTrainScores = new ArrayList<>();
            List<Row> single = new ArrayList<>();
            for (String name : o.detectors()) {
                double from = (double) done / rounds;
                double to = (double) (done + 1) / rounds;
                done++;
                p.progress(from, mode + ": " + name);
                Row row;
                try {
                    Detector d = registry.create(name);
                    FitOptions opts = new FitOptions(fo.epochs(), fo.seed(), fo.excludeFraud(), fo.labels(),
                            o.params().getOrDefault(name, Map.of()));
                    long t0 = System.nanoTime();
                    d.fit(d.excludesFraudItself() ? trainUsers : train, opts, new SubProgress(p, from, from + (to - from) * 0.7));
                    long fitMs = (System.nanoTime() - t0) / 1_000_000;
                    long t1 = System.nanoTime();
                    Scores s = d.score(evalUsers, new SubProgress(p, from + (to - from) * 0.7, to));
                    long scoreMs = (System.nanoTime() - t1) / 1_000_000;
                    double[] aligned = align(evalUsers, s);
                    double[] trainAligned = null;
                    if (split && useLabels) {
                        trainAligned = align(trainUsers, d.score(trainUsers, ProgressListener.NONE));
                    }
                    LabelledScores ls = LabelledScores.of(s, evalLabels);
                    row = new Row(name, mode, Evaluation.of(ls, Double.NaN), fitMs, scoreMs, ls.curve(), null);
                    okNames.add(name);
                    okScores.add(aligned);
                    okTrainScores.add(trainAligned);
                } catch (CancelledException e) {
                    throw e;
                } catch (RuntimeException | OutOfMemoryError e) {
                    row = new Row(name, mode, null, 0, 0, null, e.getMessage() == null ? e.toString() : e.getMessage());
                }
                rows.add(row);
                single.add(row);
                p.checkCancelled();
            }
            if (okScores.size() >= 2) {
                double[][] sc = okScores.toArray(new double[0][]);
                Row avg = ensembleRow(RANK_AVERAGE, mode, evalUsers, evalLabels, Ensembles.rankAverage(sc));
                rows.add(avg);
                gains.add(gain(mode, avg, single));
                if (useLabels) {
                    double[] st = split ? stackedHeldOut(trainUsers, trainLabels, okTrainScores.toArray(new double[0][]), sc)
                            : stacked(all, trainingLabels, sc, o);
                    Row str = ensembleRow(STACKED, mode, evalUsers, evalLabels, st);
                    rows.add(str);
                    gains.add(gain(mode, str, single));
                }
            }
        }
        p.progress(1, "comparison done");
        int nFraud = 0;
        for (Row r : rows) {
            if (r.evaluation() != null) {
                nFraud = r.evaluation().nFraud();
                break;
            }
        }
        return new Report(evalUsers.size(), labelledCount(evalUsers, evalLabels), nFraud, rows, gains, o.split(), trainUsers.size(),
                sp.cut(), List.copyOf(warnings));
    }

    /**
     * The stacked model with a split: logistic regression fitted on the labelled training users' scores and
     * applied to the evaluated users; ranks are taken over both sides together so they share one scale.
     */
    private static double[] stackedHeldOut(SequenceSet train, LabelSet labels, double[][] trainScores, double[][] evalScores) {
        int nt = train.size();
        int ne = evalScores[0].length;
        int k = evalScores.length;
        double[][] ranks = new double[k][];
        for (int d = 0; d < k; d++) {
            double[] both = new double[nt + ne];
            System.arraycopy(trainScores[d], 0, both, 0, nt);
            System.arraycopy(evalScores[d], 0, both, nt, ne);
            ranks[d] = Ensembles.normalisedRanks(both);
        }
        double[][] x = new double[nt + ne][];
        boolean[] use = new boolean[nt + ne];
        boolean[] fraud = new boolean[nt + ne];
        boolean anyNormal = labels.all().stream().anyMatch(l -> !l.fraud());
        for (int i = 0; i < nt + ne; i++) {
            double[] r = new double[k];
            for (int d = 0; d < k; d++) {
                r[d] = ranks[d][i];
            }
            x[i] = Ensembles.stackingFeatures(r);
            if (i < nt) {
                Boolean f = labels.isFraud(train.users().get(i).userId());
                use[i] = f != null || !anyNormal; // fraud-only labels: the other training users count as normal
                fraud[i] = f != null && f;
            }
        }
        Ensembles.LogisticRegression lr = Ensembles.LogisticRegression.fit(x, i -> use[i], fraud);
        double[] out = new double[ne];
        for (int i = 0; i < ne; i++) {
            out[i] = lr.predict(x[nt + i]);
        }
        return out;
    }

    private static int labelledCount(SequenceSet all, LabelSet labels) {
        int n = 0;
        for (UserSequence u : all.users()) {
            if (labels.isLabelled(u.userId())) {
                n++;
            }
        }
        return n;
    }

    private static double[] align(SequenceSet all, Scores s) {
        double[] out = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            UserScores u = s.user(all.users().get(i).userId());
            out[i] = u == null ? Double.NaN : u.score();
        }
        return out;
    }

    private static double[] stacked(SequenceSet all, LabelSet labels, double[][] sc, Options o) {
        int n = all.size();
        double[][] ranks = new double[sc.length][];
        for (int d = 0; d < sc.length; d++) {
            ranks[d] = Ensembles.normalisedRanks(sc[d]);
        }
        double[][] x = new double[n][];
        boolean[] labelled = new boolean[n];
        boolean[] fraud = new boolean[n];
        boolean anyNormal = labels.all().stream().anyMatch(l -> !l.fraud());
        for (int i = 0; i < n; i++) {
            double[] r = new double[sc.length];
            for (int d = 0; d < sc.length; d++) {
                r[d] = ranks[d][i];
            }
            x[i] = Ensembles.stackingFeatures(r);
            Boolean f = labels.isFraud(all.users().get(i).userId());
            labelled[i] = f != null || !anyNormal;
            fraud[i] = f != null && f;
        }
        return Ensembles.stackedOutOfFold(x, labelled, fraud, Math.max(2, o.folds()), o.seed());
    }

    private static Row ensembleRow(String name, String mode, SequenceSet all, LabelSet labels, double[] scores) {
        long t0 = System.nanoTime();
        List<UserScores> us = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            us.add(new UserScores(all.users().get(i).userId(), scores[i], null, null));
        }
        LabelledScores ls = LabelledScores.of(new Scores(name, List.of(), 0, us), labels);
        return new Row(name, mode, Evaluation.of(ls, Double.NaN), 0, (System.nanoTime() - t0) / 1_000_000, ls.curve(), null);
    }

    private static Gain gain(String mode, Row ensemble, List<Row> single) {
        Row best = null;
        for (Row r : single) {
            if (r.evaluation() != null && (best == null || r.evaluation().prAuc() > best.evaluation().prAuc())) {
                best = r;
            }
        }
        if (best == null) {
            return new Gain(mode, ensemble.detector(), null, Double.NaN, Double.NaN);
        }
        return new Gain(mode, ensemble.detector(), best.detector(),
                ensemble.evaluation().prAuc() - best.evaluation().prAuc(),
                ensemble.evaluation().rocAuc() - best.evaluation().rocAuc());
    }


    /** The report as JSON-ready maps (the shape {@code seqwatch compare --json} prints). */
    public static Map<String, Object> toMap(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_users", r.nUsers());
        m.put("n_labelled", r.nLabelled());
        m.put("n_fraud", r.nFraud());
        m.put("split", r.split());
        m.put("train_users", r.trainUsers());
        m.put("cut", r.cut() == 0 ? null : java.time.Instant.ofEpochMilli(r.cut()).toString());
        m.put("warnings", r.warnings());
        m.put("pr_auc_method", "average_precision");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row row : r.rows()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("detector", row.detector());
            e.put("mode", row.mode());
            if (row.error() != null) {
                e.put("error", row.error());
            } else {
                Evaluation ev = row.evaluation();
                e.put("roc_auc", num(ev.rocAuc()));
                e.put("pr_auc", num(ev.prAuc()));
                e.put("k", ev.k());
                e.put("precision_at_k", num(ev.precisionAtK()));
                e.put("best_f1", num(ev.bestF1()));
                e.put("best_f1_threshold", num(ev.bestF1Threshold()));
                e.put("fit_ms", row.fitMillis());
                e.put("score_ms", row.scoreMillis());
                Map<String, Object> types = new LinkedHashMap<>();
                ev.perFraudType().forEach((t, v) -> types.put(t, v[1] == 0 ? null : (double) v[0] / v[1]));
                e.put("recall_by_fraud_type_at_best_f1", types);
                Map<String, Object> aucs = new LinkedHashMap<>();
                ev.rocAucByFraudType().forEach((t, v) -> aucs.put(t, num(v)));
                e.put("roc_auc_by_fraud_type", aucs);
                Map<String, Object> prs = new LinkedHashMap<>();
                ev.prAucByFraudType().forEach((t, v) -> prs.put(t, num(v)));
                e.put("pr_auc_by_fraud_type", prs);
            }
            rows.add(e);
        }
        m.put("rows", rows);
        List<Map<String, Object>> gains = new ArrayList<>();
        for (Gain g : r.gains()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("mode", g.mode());
            e.put("ensemble", g.ensemble());
            e.put("best_single", g.bestSingle());
            e.put("pr_auc_gain", num(g.prAucGain()));
            e.put("roc_auc_gain", num(g.rocAucGain()));
            gains.add(e);
        }
        m.put("ensemble_gain", gains);
        return m;
    }

    private static Object num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}

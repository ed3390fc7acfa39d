package dev.seqwatch.detect.lstm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * DeepLog-style next-event detector: an LSTM reads each user's token stream ({@link TokenScheme}) and
 * predicts the next token; a step's score is {@code -log p(actual)} summed over the tokens that event
 * emitted, and the model's top-k expectations are kept for the explanation. Long histories are cut into
 * windows of {@code max_len} tokens with the LSTM state carried across windows (truncated
 * backpropagation through time in training), so scoring is exact over the whole history and scoring
 * new events of a user costs time proportional to the new events ({@link #stream}). Users are batched
 * by length (sorted), padding sits at the end and is masked out of the loss.
 *
 * <p>DeepLog's criterion beside surprisal: every step also gets the rank of its actual token among the
 * model's predictions (1 = the first choice; a step charged with several tokens takes the worst), and a
 * step is anomalous when it ranks outside the top {@code top_g}. The aggregates {@code topg_count} and
 * {@code topg_share} score a user by the number / share of such steps; {@link UserScores#firstOutsideTop}
 * gives the first one.
 *
 * <p>Parameters ({@link FitOptions#params()}): hidden (64), layers (2), embed (32), batch (64),
 * max_len (200), lr (0.002), gaps (true), session_gap_minutes (30), aggregate (top5_mean),
 * supervised (auto|off), top_k (3), top_g (9), complete_sessions (false), threshold_quantile (0.99: the stored
 * threshold for workspaces without labels flags users above this quantile of the training users' scores).
 *
 * <p>Validation ({@code validation}, a share of the training users, default 0 = off; {@code patience}, default 3):
 * that seeded slice of the users is held out of training, its loss is reported per epoch
 * ({@code validation_loss} metric), training stops when it has not improved for {@code patience} epochs, and
 * the weights of the best epoch are kept.
 *
 * <p>Two-sided user scores ({@code aggregate=mean_z} or {@code two_sided}): after training, the training users'
 * step scores give {@link LengthNorms} (per length bucket, median and robust scale of the mean surprisal, its
 * spread and the top-5 mean), stored with the model; a user is scored by how far it lies from its length's
 * peers in either direction, so a script far more predictable than people is anomalous too.
 */
public final class LstmDetector implements Detector {
    public static final String NAME = "lstm";
    static final int SCORE_BATCH = 256;
    /** Far above what training produces (|w| stays below 100 here), far below float overflow in a gate. */
    static final float MAX_ABS_WEIGHT = 1e4f;

    private TokenScheme scheme;
    private LstmNet net;
    private int maxLen = 200;
    private int topK = 3;
    private int topG = 9;
    private double thresholdQuantile = 0.99;
    private double unsupervisedThreshold = Double.NaN;
    private int thresholdUsers;
    private UserAggregate aggregate = UserAggregate.TOP5_MEAN;
    /** The training users' step-score statistics per length, for the two-sided aggregates; null in old model files. */
    private LengthNorms norms;
    private LogisticHead head;
    private ObjectNode trainingSummary = ModelFile.json().createObjectNode();
    private ObjectNode metrics = ModelFile.json().createObjectNode();

    @Override
    public String name() {
        return NAME;
    }

    /** Fraud users are left out of the LSTM's training here, but the supervised head learns from them. */
    @Override
    public boolean excludesFraudItself() {
        return true;
    }

    @Override
    public FitReport fit(SequenceSet train, FitOptions o, ProgressListener p) {
        long started = System.currentTimeMillis();
        String backend = LstmBackend.describe();
        p.progress(0, "training on " + backend);
        SequenceSet normal = o.excludeFraud() ? train.without(o.labels().fraudUsers()) : train;
        if (normal.size() == 0 || normal.totalEvents() == 0) {
            throw new UserFacingException("no events to train the LSTM on"
                    + (o.excludeFraud() ? " after leaving out fraud-labelled users" : ""));
        }
        int hidden = o.intParam("hidden", 64);
        int layers = o.intParam("layers", 2);
        int embed = o.intParam("embed", 32);
        int batch = o.intParam("batch", 64);
        maxLen = o.intParam("max_len", 200);
        topK = o.intParam("top_k", 3);
        topG = o.intParam("top_g", 9);
        thresholdQuantile = o.doubleParam("threshold_quantile", 0.99);
        if (!(thresholdQuantile > 0 && thresholdQuantile <= 1)) {
            throw new UserFacingException("--param threshold_quantile=" + thresholdQuantile + ": must be in (0, 1]");
        }
        aggregate = UserAggregate.parse(o.params().getOrDefault("aggregate", "top5_mean"));
        boolean gaps = Boolean.parseBoolean(o.params().getOrDefault("gaps", "true"));
        long sessionGap = (long) (o.doubleParam("session_gap_minutes", 30) * 60_000);
        int epochs = o.epochsOr(8);
        boolean categories = Boolean.parseBoolean(o.params().getOrDefault("categories", "false"));
        boolean amounts = Boolean.parseBoolean(o.params().getOrDefault("amounts", "false"));
        boolean complete = Boolean.parseBoolean(o.params().getOrDefault("complete_sessions", "false"));
        scheme = new TokenScheme(normal.actionNames(), gaps, sessionGap, categories,
                amounts ? TokenScheme.amountQuartiles(normal) : null, complete);
        if (topG < 1) {
            throw new UserFacingException("--param top_g=" + topG + ": must be at least 1");
        }
        net = LstmNet.create(scheme.vocab(), embed, hidden, layers, TokenScheme.UNSEEN);
        net.initialise(o.seed());
        net.setLearningRate(o.doubleParam("lr", 0.002));

        double validation = o.doubleParam("validation", 0.0);
        int patience = o.intParam("patience", 3);
        if (!(validation >= 0 && validation <= 0.5)) {
            throw new UserFacingException("--param validation=" + validation + ": must be between 0 (off) and 0.5");
        }
        if (patience < 1) {
            throw new UserFacingException("--param patience=" + patience + ": must be at least 1");
        }
        List<int[][]> streams = encodeAll(normal);
        List<int[][]> held = List.of();
        if (validation > 0) {
            List<int[][]>[] split = holdOut(streams, validation, o.seed());
            streams = split[0];
            held = split[1];
        }
        List<int[]> groups = groups(streams, batch);
        List<int[]> heldGroups = groups(held, SCORE_BATCH);
        SplittableRandom rnd = new SplittableRandom(o.seed());
        List<Double> losses = new ArrayList<>();
        List<Double> heldLosses = new ArrayList<>();
        double bestHeld = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        float[] bestParams = null;
        long steps = 0;
        for (int[][] s : streams) {
            steps += s[0].length;
        }
        for (int e = 0; e < epochs; e++) {
            int[] order = shuffled(groups.size(), rnd);
            double nll = 0;
            double count = 0;
            for (int gi = 0; gi < order.length; gi++) {
                p.checkCancelled();
                int[] g = groups.get(order[gi]);
                double[] r = trainGroup(streams, g);
                nll += r[0];
                count += r[1];
                p.progress((e + (gi + 1.0) / order.length) / (epochs + 1.0),
                        "epoch " + (e + 1) + "/" + epochs + ", batch " + (gi + 1) + "/" + order.length);
            }
            double loss = nll / Math.max(1, count);
            losses.add(loss);
            p.metric("loss", e + 1, loss);
            if (!held.isEmpty()) {
                double v = heldOutLoss(held, heldGroups, p);
                heldLosses.add(v);
                p.metric("validation_loss", e + 1, v);
                if (v < bestHeld) {
                    bestHeld = v;
                    bestEpoch = e + 1;
                    bestParams = net.parameters();
                } else if (e + 1 - bestEpoch >= patience) {
                    break;     // early stopping: no better validation loss for `patience` epochs
                }
            }
        }
        int epochsRun = losses.size();
        if (bestParams != null && bestEpoch < epochsRun) {
            net.setParameters(bestParams);     // keep the best epoch
        }
        // the training users' step scores: their length norms (two-sided aggregates) and the label-free threshold
        norms = null;
        p.progress(epochs / (epochs + 1.0), "scoring the " + normal.size() + " training users (length norms, threshold)");
        Scores own = scoreUnsupervised(normal, ProgressListener.NONE);
        norms = LengthNorms.fit(own.users().stream().map(UserScores::steps).toList());
        // supervised head on labelled users (all of them, including those left out of LSTM training)
        head = null;
        Map<String, Object> details = new LinkedHashMap<>();
        String supervised = o.params().getOrDefault("supervised", "auto");
        if (!"off".equals(supervised) && !o.labels().isEmpty()) {
            SequenceSet labelled = train.filter(u -> o.labels().isLabelled(u.userId()));
            p.progress(epochs / (epochs + 1.0), "training the supervised head on " + labelled.size() + " labelled users");
            head = fitHead(labelled, o.labels());
            details.put("supervised_head", head == null ? "not trained (needs fraud and normal labels)" : "logistic regression on "
                    + String.join(", ", UserAggregate.FEATURES) + " + unsupervised score");
        }
        // a threshold without labels: users scoring above the chosen quantile of the training users' scores
        unsupervisedThreshold = Double.NaN;
        thresholdUsers = 0;
        if (head == null) {
            double[] v = own.users().stream().mapToDouble(u -> aggregate.of(u.steps(), u.ranks(), topG, norms))
                    .filter(Double::isFinite).sorted().toArray();
            if (v.length > 0) {
                unsupervisedThreshold = Math.nextUp(quantile(v, thresholdQuantile));
                thresholdUsers = v.length;
                details.put("unsupervised_threshold", unsupervisedThreshold);
            }
        }
        long millis = System.currentTimeMillis() - started;
        trainingSummary = ModelFile.json().createObjectNode();
        trainingSummary.put("users", normal.size());
        trainingSummary.put("events", normal.totalEvents());
        trainingSummary.put("token_steps", steps);
        trainingSummary.put("excluded_fraud_users", train.size() - normal.size());
        trainingSummary.put("labelled_users", o.labels().size());
        trainingSummary.put("epochs", epochs);
        trainingSummary.put("epochs_run", epochsRun);
        if (!held.isEmpty()) {
            trainingSummary.put("validation_users", held.size());
            trainingSummary.put("best_epoch", bestEpoch);
            details.put("validation_users", held.size());
            details.put("best_epoch", bestEpoch);
            details.put("validation_loss_per_epoch", heldLosses);
            details.put("stopped_early", epochsRun < epochs);
        }
        trainingSummary.put("seed", o.seed());
        trainingSummary.put("millis", millis);
        trainingSummary.put("backend", LstmBackend.describe());
        metrics = ModelFile.json().createObjectNode();
        metrics.put("final_loss", losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1));
        ArrayNode lc = metrics.putArray("loss_per_epoch");
        losses.forEach(lc::add);
        if (!held.isEmpty()) {
            ArrayNode vl = metrics.putArray("validation_loss_per_epoch");
            heldLosses.forEach(vl::add);
            metrics.put("best_epoch", bestEpoch);
            metrics.put("best_validation_loss", bestHeld);
        }
        details.put("vocab", scheme.vocab());
        details.put("parameters", net.parameterCount());
        details.put("backend", LstmBackend.describe());
        details.put("excluded_fraud_users", train.size() - normal.size());
        p.progress(1.0, "trained");
        return new FitReport(NAME, normal.size(), normal.totalEvents(), millis, losses, details);
    }

    /**
     * Splits the non-empty streams into {training, held out}: a seeded random {@code share} of them (at least
     * one) is held out; empty streams stay with training (they contribute nothing either way).
     */
    @SuppressWarnings("unchecked")
    static List<int[][]>[] holdOut(List<int[][]> streams, double share, long seed) {
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i)[0].length > 0) {
                nonEmpty.add(i);
            }
        }
        int n = Math.max(1, (int) Math.round(share * nonEmpty.size()));
        if (nonEmpty.size() - n < 1) {
            throw new UserFacingException("--param validation=" + share + ": " + nonEmpty.size()
                    + " training users with events leave none to train on after holding " + n + " out");
        }
        int[] perm = shuffled(nonEmpty.size(), new SplittableRandom(seed ^ 0x5A11DA7EL));
        boolean[] out = new boolean[streams.size()];
        for (int k = 0; k < n; k++) {
            out[nonEmpty.get(perm[k])] = true;
        }
        List<int[][]> train = new ArrayList<>();
        List<int[][]> held = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            (out[i] ? held : train).add(streams.get(i));
        }
        return new List[]{train, held};
    }

    /** Mean next-token loss (nats per token) over the held-out streams, state carried across windows. */
    private double heldOutLoss(List<int[][]> streams, List<int[]> groups, ProgressListener p) {
        double nll = 0;
        long count = 0;
        int v = net.vocab;
        for (int[] g : groups) {
            p.checkCancelled();
            int b = g.length;
            int total = 0;
            for (int u : g) {
                total = Math.max(total, streams.get(u)[0].length);
            }
            LstmNet.State state = null;
            for (int a = 0; a < total; a += maxLen) {
                int t = Math.min(maxLen, total - a);
                int[] in = new int[t * b];
                int[] tg = new int[t * b];
                fill(streams, g, a, t, in, tg);
                LstmNet.Forward f = net.forward(in, LstmNet.lengthsFromTargets(tg, t, b), t, b, state, a + t < total);
                state = f.last();
                float[] z = f.logits();
                for (int k = 0; k < t * b; k++) {
                    if (tg[k] >= 0) {
                        nll += StepScorer.surprisal(z, k * v, v, tg[k]);
                        count++;
                    }
                }
            }
        }
        return nll / Math.max(1, count);
    }

    /** Nearest-rank quantile of ascending finite values (q = 1: the largest). */
    static double quantile(double[] sorted, double q) {
        int k = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    /**
     * Flag users scoring above the {@code threshold_quantile} (default 0.99) quantile of the training users'
     * unsupervised scores: stored with the model, used where no labels exist. NaN with a supervised head
     * (labels calibrate that one) or before training.
     */
    @Override
    public double unsupervisedThreshold() {
        return head == null ? unsupervisedThreshold : Double.NaN;
    }

    @Override
    public String unsupervisedThresholdMethod() {
        return Double.isFinite(unsupervisedThreshold()) ? "above the " + thresholdQuantile + " quantile of the "
                + thresholdUsers + " training users' " + aggregateName() + " scores (no labels)" : "";
    }

    private LogisticHead fitHead(SequenceSet labelled, LabelSet labels) {
        Scores s = scoreUnsupervised(labelled, ProgressListener.NONE);
        double[][] x = new double[s.users().size()][];
        boolean[] y = new boolean[x.length];
        int pos = 0;
        for (int i = 0; i < x.length; i++) {
            UserScores u = s.users().get(i);
            x[i] = headFeatures(u);
            y[i] = Boolean.TRUE.equals(labels.isFraud(u.userId()));
            pos += y[i] ? 1 : 0;
        }
        if (pos < 2 || x.length - pos < 2) {
            return null;
        }
        return LogisticHead.fit(x, y, 0.01, 500);
    }

    private double[] headFeatures(UserScores u) {
        double[] f = UserAggregate.features(u.steps());
        double[] out = Arrays.copyOf(f, f.length + 1);
        out[f.length] = aggregate.of(u.steps(), u.ranks(), topG, norms);
        return out;
    }

    /** Per user: {inputs, targets}; inputs start with the session-start context token. */
    private List<int[][]> encodeAll(SequenceSet set) {
        int[] map = scheme.actionMap(set);
        List<int[][]> out = new ArrayList<>(set.size());
        for (UserSequence u : set.users()) {
            int[] toks = scheme.encode(u, map, 0, 0).tokens();
            out.add(streamOf(TokenScheme.SESSION_START, toks));
        }
        return out;
    }

    private static int[][] streamOf(int context, int[] toks) {
        int[] in = new int[toks.length];
        if (toks.length > 0) {
            in[0] = context;
            System.arraycopy(toks, 0, in, 1, toks.length - 1);
        }
        return new int[][]{in, toks};
    }

    /** Non-empty streams sorted by length, cut into groups of {@code size}. */
    private static List<int[]> groups(List<int[][]> streams, int size) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i)[0].length > 0) {
                idx.add(i);
            }
        }
        idx.sort((a, b) -> Integer.compare(streams.get(a)[0].length, streams.get(b)[0].length));
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < idx.size(); s += size) {
            out.add(idx.subList(s, Math.min(idx.size(), s + size)).stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private double[] trainGroup(List<int[][]> streams, int[] g) {
        int b = g.length;
        int total = 0;
        for (int u : g) {
            total = Math.max(total, streams.get(u)[0].length);
        }
        LstmNet.State state = null;
        double nll = 0;
        double count = 0;
        for (int a = 0; a < total; a += maxLen) {
            int t = Math.min(maxLen, total - a);
            int[] in = new int[t * b];
            int[] tg = new int[t * b];
            fill(streams, g, a, t, in, tg);
            LstmNet.State[] last = new LstmNet.State[1];
            double[] r = net.trainBatch(in, tg, t, b, state, a + t < total ? last : null);
            state = last[0];
            nll += r[0];
            count += r[1];
        }
        return new double[]{nll, count};
    }

    private static void fill(List<int[][]> streams, int[] g, int a, int t, int[] in, int[] tg) {
        int b = g.length;
        Arrays.fill(tg, LstmNet.NO_TARGET);
        for (int j = 0; j < b; j++) {
            int[][] s = streams.get(g[j]);
            int end = Math.min(s[0].length, a + t);
            for (int p = a; p < end; p++) {
                in[(p - a) * b + j] = s[0][p];
                tg[(p - a) * b + j] = s[1][p];
            }
        }
    }

    @Override
    public Scores score(SequenceSet set, ProgressListener p) {
        Scores s = scoreUnsupervised(set, p);
        if (head == null) {
            return s;
        }
        List<UserScores> out = new ArrayList<>(s.users().size());
        for (UserScores u : s.users()) {
            out.add(new UserScores(u.userId(), head.logit(headFeatures(u)), u.steps(), u.expected(), u.ranks()));
        }
        return new Scores(NAME, s.tokenNames(), s.topK(), topG, out);
    }

    private Scores scoreUnsupervised(SequenceSet set, ProgressListener p) {
        requireTrained();
        p.progress(0, "scoring on " + LstmBackend.describe());
        int[] map = scheme.actionMap(set);
        List<TokenScheme.Encoded> enc = new ArrayList<>(set.size());
        List<int[][]> streams = new ArrayList<>(set.size());
        for (UserSequence u : set.users()) {
            TokenScheme.Encoded e = scheme.encode(u, map, 0, 0);
            enc.add(e);
            streams.add(streamOf(TokenScheme.SESSION_START, e.tokens()));
        }
        double[][] surprisal = new double[streams.size()][];
        int[][] top = new int[streams.size()][];
        int[][] ranks = new int[streams.size()][];
        List<int[]> groups = groups(streams, SCORE_BATCH);
        for (int gi = 0; gi < groups.size(); gi++) {
            p.checkCancelled();
            scoreGroup(streams, groups.get(gi), null, surprisal, top, ranks);
            p.progress((gi + 1.0) / groups.size(), "scored " + (gi + 1) + "/" + groups.size() + " batches");
        }
        List<UserScores> users = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            UserSequence u = set.users().get(i);
            users.add(userScores(u.userId(), enc.get(i), surprisal[i] == null ? new double[0] : surprisal[i],
                    top[i] == null ? new int[0] : top[i], ranks[i] == null ? new int[0] : ranks[i]));
        }
        return new Scores(NAME, scheme.names(), topK, topG, users);
    }

    private UserScores userScores(String userId, TokenScheme.Encoded e, double[] surprisal, int[] top, int[] tokenRanks) {
        int n = e.eventTok().length;
        double[] steps = new double[n];
        int[] expected = new int[n * topK];
        int[] ranks = stepRanks(e, tokenRanks);
        for (int i = 0; i < n; i++) {
            double s = 0;
            int last = i == n - 1 ? surprisal.length - 1 : e.eventTok()[i];
            for (int k = e.eventFirst()[i]; k <= last; k++) {
                s += surprisal[k];
            }
            steps[i] = s;
            System.arraycopy(top, e.eventTok()[i] * topK, expected, i * topK, topK);
        }
        // while the norms are being fitted (from these very scores) a two-sided user score is not known yet
        // (only fit's own pass over its training users gets here without norms; it reads the steps, and
        // Scores refuses non-finite user scores, so the placeholder is 0, never passed on)
        double score = aggregate.usesNorms() && norms == null ? 0.0 : aggregate.of(steps, ranks, topG, norms);
        return new UserScores(userId, score, steps, expected, ranks);
    }

    /**
     * Per event, the worst (largest) rank among the tokens it is charged for: the session end and start
     * it revealed, its own token, and for the last event of a closed history the final session end.
     */
    static int[] stepRanks(TokenScheme.Encoded e, int[] tokenRanks) {
        int n = e.eventTok().length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int last = i == n - 1 ? tokenRanks.length - 1 : e.eventTok()[i];
            int r = 0;
            for (int k = e.eventFirst()[i]; k <= last; k++) {
                r = Math.max(r, tokenRanks[k]);
            }
            out[i] = r;
        }
        return out;
    }

    /** Forward over a group's streams in windows with carried state; fills surprisal and top-k per token. */
    private LstmNet.State scoreGroup(List<int[][]> streams, int[] g, LstmNet.State init, double[][] surprisal, int[][] top,
                                     int[][] ranks) {
        int b = g.length;
        int total = 0;
        for (int u : g) {
            int len = streams.get(u)[0].length;
            total = Math.max(total, len);
            surprisal[u] = new double[len];
            top[u] = new int[len * topK];
            ranks[u] = new int[len];
        }
        LstmNet.State state = init;
        int v = net.vocab;
        for (int a = 0; a < total; a += maxLen) {
            int t = Math.min(maxLen, total - a);
            int[] in = new int[t * b];
            int[] tg = new int[t * b];
            fill(streams, g, a, t, in, tg);
            LstmNet.Forward f = net.forward(in, LstmNet.lengthsFromTargets(tg, t, b), t, b, state, true);
            state = f.last();
            float[] z = f.logits();
            for (int k = 0; k < t * b; k++) {
                int target = tg[k];
                if (target < 0) {
                    continue;
                }
                int u = g[k % b];
                int pos = a + k / b;
                int off = k * v;
                surprisal[u][pos] = target == TokenScheme.UNSEEN
                        ? StepScorer.maxSurprisal(z, off, v, TokenScheme.UNSEEN)
                        : StepScorer.surprisal(z, off, v, target);
                StepScorer.topK(z, off, v, topK, TokenScheme.UNSEEN, top[u], pos * topK);
                ranks[u][pos] = StepScorer.rank(z, off, v, target, TokenScheme.UNSEEN);
            }
        }
        return state;
    }

    /**
     * Incremental scoring of one user: {@link UserStream#append} scores only the new events, carrying the
     * LSTM state, and gives the same step scores as scoring the whole history at once.
     */
    public UserStream stream(String userId) {
        requireTrained();
        return new UserStream(userId);
    }

    public final class UserStream {
        private final String userId;
        private LstmNet.State state;
        private int context = TokenScheme.SESSION_START;
        private long lastTs;
        private int seen;

        private UserStream(String userId) {
            this.userId = userId;
        }

        /**
         * Scores events {@code from..end} of {@code history} (the user's events so far, time-ordered,
         * codes into {@code set}'s dictionaries); {@code from} must equal the number already appended.
         */
        public UserScores append(SequenceSet set, UserSequence history, int from) {
            if (from != seen) {
                throw new IllegalArgumentException("stream of " + userId + " has seen " + seen + " events, not " + from);
            }
            if (scheme.completeSessions && seen > 0 && history.length() > seen) {
                throw new IllegalArgumentException("stream of " + userId + " is complete (model trained with"
                        + " complete_sessions): its end has been scored, no events can follow");
            }
            TokenScheme.Encoded e = scheme.encode(history, scheme.actionMap(set), from, lastTs);
            int[][] s = streamOf(context, e.tokens());
            double[][] sur = new double[1][];
            int[][] top = new int[1][];
            int[][] rk = new int[1][];
            if (s[0].length > 0) {
                state = scoreGroup(java.util.Collections.singletonList(s), new int[]{0}, state, sur, top, rk);
                context = e.tokens()[e.tokens().length - 1];
                lastTs = history.timestamp(history.length() - 1);
            }
            seen = history.length();
            return userScores(userId, e, sur[0] == null ? new double[0] : sur[0], top[0] == null ? new int[0] : top[0],
                    rk[0] == null ? new int[0] : rk[0]);
        }
    }

    private void requireTrained() {
        if (net == null) {
            throw new IllegalStateException("the LSTM detector is not trained");
        }
    }

    /** Names of the tokens (for explanations), e.g. "cart (gap<1m)". */
    public List<String> tokenNames() {
        requireTrained();
        return scheme.names();
    }

    @Override
    public void save(Path file) throws IOException {
        requireTrained();
        ObjectNode m = ModelFile.newManifest(NAME);
        ObjectNode params = m.putObject("params");
        params.put("vocab", net.vocab);
        params.put("embed", net.embed);
        params.put("hidden", net.hidden);
        params.put("layers", net.layers);
        params.put("max_len", maxLen);
        params.put("top_k", topK);
        params.put("top_g", topG);
        params.put("threshold_quantile", thresholdQuantile);
        if (Double.isFinite(unsupervisedThreshold)) {
            params.put("unsupervised_threshold", unsupervisedThreshold);
            params.put("threshold_users", thresholdUsers);
        }
        params.put("aggregate", aggregate.name().toLowerCase(java.util.Locale.ROOT));
        params.put("gaps", scheme.gaps);
        params.put("session_gap_millis", scheme.sessionGapMillis);
        params.put("categories", scheme.categories);
        params.put("complete_sessions", scheme.completeSessions);
        if (scheme.amountEdges != null) {
            params.set("amount_edges", array(scheme.amountEdges));
        }
        ArrayNode acts = m.putArray("actions");
        scheme.actions.forEach(acts::add);
        ArrayNode vocab = m.putArray("vocabulary");
        scheme.names().forEach(vocab::add);
        if (head != null) {
            ObjectNode h = m.putObject("supervised_head");
            h.set("mean", array(head.mean));
            h.set("std", array(head.std));
            h.set("w", array(head.w));
        }
        if (norms != null) {
            m.set("length_norms", norms.toJson());
        }
        m.set("training", trainingSummary);
        m.set("metrics", metrics);
        float[] p = net.parameters();
        ByteBuffer buf = ByteBuffer.allocate(p.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(p);
        ModelFile.write(file, m, Map.of("params.f32", buf.array()));
    }

    private static ArrayNode array(double[] v) {
        ArrayNode a = ModelFile.json().createArrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    public static LstmDetector load(Path file) {
        return load(ModelFile.read(file));
    }

    public static LstmDetector load(ModelFile f) {
        ObjectNode m = f.manifest();
        if (!NAME.equals(f.detector())) {
            throw new UserFacingException("not an LSTM model (detector '" + f.detector() + "')");
        }
        try {
            JsonNode p = m.path("params");
            LstmDetector d = new LstmDetector();
            List<String> actions = new ArrayList<>();
            m.path("actions").forEach(a -> actions.add(a.asText()));
            JsonNode edges = p.path("amount_edges");
            if (!edges.isMissingNode() && (!edges.isArray() || edges.size() > 64)) {
                throw new UserFacingException("LSTM model file is corrupt: amount_edges is not a short array");
            }
            d.scheme = new TokenScheme(actions, p.path("gaps").asBoolean(true), p.path("session_gap_millis").asLong(1_800_000),
                    p.path("categories").asBoolean(false), edges.isArray() ? doubles(edges) : null,
                    p.path("complete_sessions").asBoolean(false));
            int vocab = p.path("vocab").asInt(-1);
            if (vocab != d.scheme.vocab()) {
                throw new UserFacingException("LSTM model file is inconsistent: vocabulary of " + d.scheme.vocab()
                        + " tokens but the network has " + vocab);
            }
            int embed = p.path("embed").asInt(-1);
            int hidden = p.path("hidden").asInt(-1);
            int layers = p.path("layers").asInt(-1);
            if (embed < 1 || embed > 4096 || hidden < 1 || hidden > 4096 || layers < 1 || layers > 16) {
                throw new UserFacingException("LSTM model file is corrupt: shape embed " + embed + ", hidden " + hidden
                        + ", layers " + layers + " is out of range");
            }
            // check the weights' size before allocating the network, so a tampered shape cannot exhaust memory
            long expected = LstmNet.parameterCount(vocab, embed, hidden, layers) * 4;
            if (f.entry("params.f32").length != expected) {
                throw new UserFacingException("LSTM model file is truncated or corrupt: " + f.entry("params.f32").length
                        + " bytes of parameters, expected " + expected);
            }
            d.net = LstmNet.create(vocab, embed, hidden, layers, TokenScheme.UNSEEN);
            d.maxLen = p.path("max_len").asInt(200);
            d.topK = p.path("top_k").asInt(3);
            d.topG = p.path("top_g").asInt(9);
            d.thresholdQuantile = p.path("threshold_quantile").asDouble(0.99);
            d.unsupervisedThreshold = p.path("unsupervised_threshold").asDouble(Double.NaN);
            d.thresholdUsers = p.path("threshold_users").asInt(0);
            if (d.topG < 1) {
                throw new UserFacingException("LSTM model file is corrupt: top_g " + d.topG + " is below 1");
            }
            d.aggregate = UserAggregate.parse(p.path("aggregate").asText("top5_mean"));
            JsonNode ln = m.path("length_norms");
            d.norms = ln.isObject() ? LengthNorms.fromJson(ln) : null;
            if (d.aggregate.usesNorms() && d.norms == null) {
                throw new UserFacingException("LSTM model file is corrupt: aggregate " + d.aggregateName()
                        + " but no length_norms");
            }
            byte[] raw = f.entry("params.f32");
            if (raw.length != d.net.parameterCount() * 4) {
                throw new UserFacingException("LSTM model file is truncated or corrupt: " + raw.length
                        + " bytes of parameters, expected " + d.net.parameterCount() * 4);
            }
            d.net.setParameters(ModelFile.weights(raw, MAX_ABS_WEIGHT, "LSTM model file is corrupt"));
            JsonNode h = m.path("supervised_head");
            if (h.isObject()) {
                d.head = LogisticHead.loaded(doubles(h.path("mean")), doubles(h.path("std")), doubles(h.path("w")));
            }
            d.trainingSummary = m.path("training").isObject() ? (ObjectNode) m.path("training") : ModelFile.json().createObjectNode();
            d.metrics = m.path("metrics").isObject() ? (ObjectNode) m.path("metrics") : ModelFile.json().createObjectNode();
            return d;
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("LSTM model file is corrupt: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(JsonNode a) {
        if (!a.isArray()) {
            throw new IllegalArgumentException("supervised head: expected an array of numbers");
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new IllegalArgumentException("supervised head: '" + a.get(i) + "' is not a number");
            }
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    /** The names of the user-score aggregates ({@code --param aggregate=...}). */
    public static List<String> aggregateNames() {
        return Arrays.stream(UserAggregate.values()).map(x -> x.name().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    /** {@code u}'s score under another aggregate of its step scores and ranks (this model's top g). */
    public double aggregate(String name, UserScores u) {
        return UserAggregate.parse(name).of(u.steps(), u.ranks(), topG, norms);
    }

    /** The aggregate this model scores users with. */
    public String aggregateName() {
        return aggregate.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** DeepLog's g: a step ranked outside the top g is anomalous. */
    public int topG() {
        return topG;
    }

    public ObjectNode trainingSummary() {
        return trainingSummary;
    }

    public ObjectNode metrics() {
        return metrics;
    }

    boolean hasSupervisedHead() {
        return head != null;
    }
}

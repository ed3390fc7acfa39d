package dev.seqwatch.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.SubProgress;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trains, scores, evaluates and activates model versions of one workspace: the single entry point
 * the command line and the workbench share (no JavaFX here). Every method blocks and runs on the
 * caller's thread (the GUI calls it from a background task); progress and cancellation go through
 * the {@link ProgressListener}. A cancelled call throws {@code CancelledException} and leaves the
 * workspace as it was: results are written in one transaction at the very end.
 */
public final class ModelService {
    private static final ObjectMapper JSON = ModelFile.json();

    private final Workspace ws;
    private final DetectorRegistry registry;
    private final EventDao events = new EventDao();
    private final LabelDao labels = new LabelDao();
    private final ModelDao models = new ModelDao();
    private final ScoreDao scoreDao = new ScoreDao();

    public ModelService(Workspace ws, DetectorRegistry registry) {
        this.ws = ws;
        this.registry = registry;
    }

    /**
     * What to train. {@code activate}: make the new version active; the first model of a workspace
     * becomes active anyway. {@code params} are detector-specific settings (strings).
     */
    public record TrainRequest(String detector, int epochs, long seed, boolean excludeFraud,
                               Map<String, String> params, boolean activate) {
        public TrainRequest {
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        public static TrainRequest of(String detector) {
            return new TrainRequest(detector, 0, 42L, false, Map.of(), false);
        }

        /**
         * The request that makes a row of a detector comparison the active model: a single detector
         * as it was trained in the comparison's round, or, for an ensemble row, the trainable
         * {@code ensemble} detector over the detectors that were compared (stacked when trained
         * with labels and fraud users present, else rank average).
         */
        public static TrainRequest forComparisonRow(String rowDetector, String mode, List<String> compared, long seed) {
            boolean labels = "labels".equals(mode);
            if (rowDetector.startsWith("ensemble:")) {
                boolean stacked = rowDetector.endsWith("stacked");
                // stacking needs the fraud users in the training set, so they are not excluded
                // the combination the row measured: stacked, or the rank average
                return new TrainRequest("ensemble", 0, seed, labels && !stacked,
                        Map.of("members", String.join(",", compared), "combination", stacked ? "stacked" : "rank-average"), true);
            }
            return new TrainRequest(rowDetector, 0, seed, labels, Map.of(), true);
        }
    }

    /**
     * A trained and stored version. {@code evaluation} is null when the workspace had no usable
     * labels (both classes needed, or fraud-only labels); {@code excludedFraudUsers} were left out
     * of training.
     */
    public record TrainResult(int modelId, boolean active, Detector detector, FitReport report,
                              Evaluation evaluation, int excludedFraudUsers, byte[] modelBytes) {
    }

    /** Scores of one version, as stored. */
    public record ScoreResult(int modelId, Scores scores, SequenceSet sequences, long millis) {
    }

    /**
     * Trains a new version on every user of the workspace (minus fraud-labelled users when asked),
     * evaluates it on the labelled users if there are labels, stores it with its parameters,
     * training summary and metrics, and writes the model file to {@code modelOut} (may be null).
     */
    public TrainResult train(TrainRequest req, Path modelOut, ProgressListener p) {
        Detector d = registry.create(req.detector());
        registry.checkParams(req.detector(), req.params());
        OutputFiles.check("the model file", modelOut, Workspace.guardedFiles(ws.file()));
        p.progress(0, "loading events");
        SequenceSet all = ws.read(c -> events.loadAll(c, new SubProgress(p, 0, 0.1)));
        if (all.size() == 0) {
            throw new UserFacingException(ws.file() + ": the workspace has no events; import a log first");
        }
        long[] labelHistoryTo = new long[1];
        List<Map<String, Object>> imports = new java.util.ArrayList<>();
        LabelSet current = ws.read(c -> {
            labelHistoryTo[0] = labels.lastId(c);
            for (ImportDao.ImportRecord r : new ImportDao().list(c)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("import_id", r.id());
                m.put("source", r.sourceName());
                m.put("sha256", r.sha256());
                m.put("events_stored", r.rowsStored());
                imports.add(m);
            }
            return labels.current(c);
        });
        SequenceSet train = all;
        int excluded = 0;
        if (req.excludeFraud()) {
            Set<String> fraud = current.fraudUsers();
            SequenceSet normal = all.without(fraud);
            excluded = all.size() - normal.size();
            train = d.excludesFraudItself() ? all : normal;
            if (normal.size() == 0) {
                throw new UserFacingException("every user is labelled fraud: nothing left to train on");
            }
        }
        p.checkCancelled();
        FitOptions options = new FitOptions(req.epochs(), req.seed(), req.excludeFraud(), current, req.params());
        FitReport report = d.fit(train, options, new SubProgress(p, 0.1, 0.8));
        p.checkCancelled();

        Evaluation eval = null;
        if (usable(current)) {
            p.progress(0.8, "evaluating on " + current.size() + " labelled users");
            Scores s = d.score(evaluationSet(all, current), new SubProgress(p, 0.8, 0.95));
            eval = Evaluation.of(s, current, Double.NaN);
        }
        p.checkCancelled();

        ObjectNode params = JSON.createObjectNode();
        params.put("detector", d.name());
        params.put("epochs", req.epochs());
        params.put("seed", req.seed());
        params.put("exclude_fraud", req.excludeFraud());
        params.set("params", JSON.valueToTree(new java.util.TreeMap<>(req.params())));
        Map<String, Object> trainedOn = new LinkedHashMap<>();
        trainedOn.put("workspace", ws.file().getFileName().toString());
        trainedOn.put("users", report.users());
        trainedOn.put("events", report.events());
        trainedOn.put("excluded_fraud_users", excluded);
        trainedOn.put("labelled_users", current.size());
        trainedOn.put("millis", report.millis());
        trainedOn.put("loss_per_epoch", report.lossPerEpoch());
        trainedOn.put("details", report.details());
        // what reproduces this version: the same imports, the label history up to this row, the same run
        // parameters and seed, the same threads (the LSTM sums per-thread gradients in a fixed order)
        trainedOn.put("imports", imports);
        trainedOn.put("label_history_to", labelHistoryTo[0]);
        trainedOn.put("cpu_threads", Integer.getInteger("seqwatch.lstm.threads", Runtime.getRuntime().availableProcessors()));
        trainedOn.put("application_version", applicationVersion());
        Map<String, Object> metrics = eval == null ? Map.of("note", "no labels to evaluate on") : eval.toMap();

        byte[] bytes = modelBytes(d, params, trainedOn, metrics, eval);
        p.progress(0.97, "storing model version");
        String paramsJson = json(params);
        String trainedJson = json(trainedOn);
        String metricsJson = json(metrics);
        // the model file is written before the version is stored and moved into place after: a full
        // disk or an unwritable folder fails the training with the workspace unchanged
        int[] idAndActive;
        try (OutputFiles.Staged file = modelOut == null ? null : OutputFiles.stage(modelOut, o -> o.write(bytes))) {
            idAndActive = ws.write(c -> {
                int id = models.add(c, d.name(), paramsJson, trainedJson, metricsJson, bytes);
                boolean activate = req.activate() || models.active(c).isEmpty();
                if (activate) {
                    models.activate(c, id);
                }
                return new int[]{id, activate ? 1 : 0};
            });
            if (file != null) {
                file.commit();
            }
        }
        p.progress(1, "model version " + idAndActive[0] + " stored");
        return new TrainResult(idAndActive[0], idAndActive[1] == 1, d, report, eval, excluded, bytes);
    }

    private static String applicationVersion() {
        String v = ModelService.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** Labels can evaluate when they contain fraud (normal users are then the rest or the labelled normals). */
    private static boolean usable(LabelSet l) {
        return !l.fraudUsers().isEmpty();
    }

    /** Only labelled users need scores when both classes are labelled; otherwise everybody. */
    private static SequenceSet evaluationSet(SequenceSet all, LabelSet l) {
        boolean anyNormal = l.all().stream().anyMatch(x -> !x.fraud());
        return anyNormal ? all.filter(u -> l.isLabelled(u.userId())) : all;
    }

    /** The detector's file with training summary, metrics and the calibrated threshold in its manifest. */
    private static byte[] modelBytes(Detector d, ObjectNode params, Map<String, Object> trainedOn,
                                     Map<String, Object> metrics, Evaluation eval) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("seqwatch-model-", ".zip");
            d.save(tmp);
            ModelFile mf = ModelFile.read(tmp);
            ObjectNode m = mf.manifest();
            m.set("run", params);
            m.set("trained_on", JSON.valueToTree(trainedOn));
            m.set("metrics", JSON.valueToTree(metrics));
            if (eval != null && !Double.isNaN(eval.bestF1Threshold())) {
                ObjectNode cal = m.putObject("calibration");
                cal.put("threshold", eval.bestF1Threshold());
                cal.put("method", "best F1 on " + eval.nUsers() + " labelled users of the training workspace");
            } else if (Double.isFinite(d.unsupervisedThreshold())) {
                // no labels: the detector's own threshold from its training users
                ObjectNode cal = m.putObject("calibration");
                cal.put("threshold", d.unsupervisedThreshold());
                cal.put("method", d.unsupervisedThresholdMethod());
                cal.put("unsupervised", true);
            }
            mf.writeTo(tmp);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Stores an external model file as a version (not active), or finds the version that already
     * holds exactly these bytes. Checks that the file is a model of a known detector.
     */
    public int addModelFile(Path file) {
        return store(readModelFile(file));
    }

    /** A model file read and checked but not stored: its detector, manifest and bytes. */
    public record ExternalModel(Path file, Detector detector, ModelFile parsed, byte[] bytes) {
        /** The calibrated threshold in the file's manifest, NaN when it has none. */
        public double calibratedThreshold() {
            return parsed.manifest().path("calibration").path("threshold").asDouble(Double.NaN);
        }
    }

    /** Reads and checks a model file (format and detector) without touching the workspace. */
    public ExternalModel readModelFile(Path file) {
        ModelFile mf = ModelFile.read(file);
        Detector d = registry.load(mf, file.toString()); // validates format and detector
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot read model file: " + e.getMessage(), e);
        }
        return new ExternalModel(file, d, mf, bytes);
    }

    /** The version that holds exactly this model file, 0 when none does (reads only). */
    public int versionOf(ExternalModel m) {
        return ws.read(c -> versionOf(c, m));
    }

    private int versionOf(java.sql.Connection c, ExternalModel m) throws java.sql.SQLException {
        for (ModelDao.ModelRecord r : models.list(c)) {
            if (r.detector().equals(m.detector().name()) && Arrays.equals(models.file(c, r.id()), m.bytes())) {
                return r.id();
            }
        }
        return 0;
    }

    private int store(ExternalModel m) {
        return ws.write(c -> {
            int existing = versionOf(c, m);
            if (existing > 0) {
                return existing;
            }
            ObjectNode man = m.parsed().manifest();
            return models.add(c, m.detector().name(), json(man.path("run")), json(man.path("trained_on")),
                    json(man.path("metrics")), m.bytes());
        });
    }

    /** Gets the scores of a model file before anything is stored, e.g. to write them to a file first. */
    @FunctionalInterface
    public interface BeforeStore {
        /** Stages what belongs to the scores (e.g. a CSV file); committed once they are stored, else discarded. Null: nothing. */
        OutputFiles.Staged stage(Scores scores);
    }

    /**
     * Scores every user with the model file {@code file} and stores the scores as the version holding
     * exactly this file (added, not active, if there is none). {@code beforeStore} sees the scores
     * before the workspace is written; if it fails, or storing fails, the workspace is as it was (a
     * version this call added is removed again) and what it staged is discarded; else it is committed
     * after the scores are stored.
     */
    public ScoreResult scoreFile(Path file, BeforeStore beforeStore, ProgressListener p) {
        return scoreFile(readModelFile(file), beforeStore, p);
    }

    /** {@link #scoreFile(Path, BeforeStore, ProgressListener)} of a model file already read (e.g. to warn about it first). */
    public ScoreResult scoreFile(ExternalModel m, BeforeStore beforeStore, ProgressListener p) {
        p.progress(0, "loading events");
        int[] through = new int[1];
        SequenceSet all = ws.read(c -> {
            through[0] = ScoreDao.newestImport(c);
            return events.loadAll(c, new SubProgress(p, 0, 0.1));
        });
        long t0 = System.currentTimeMillis();
        Scores s = m.detector().score(all, new SubProgress(p, 0.1, 0.6));
        long millis = System.currentTimeMillis() - t0;
        p.checkCancelled();
        int id;
        try (OutputFiles.Staged staged = beforeStore.stage(s)) {
            int existing = versionOf(m);
            id = existing > 0 ? existing : store(m);
            try {
                scoreDao.replace(ws, id, s, all, through[0], new SubProgress(p, 0.6, 1.0));
            } catch (RuntimeException e) {
                if (existing == 0) {
                    removeQuietly(id, e);
                }
                throw e;
            }
            if (staged != null) {
                staged.commit();
            }
        }
        pruneScores(id);
        p.progress(1, "scored " + s.users().size() + " users");
        return new ScoreResult(id, s, all, millis);
    }

    private void removeQuietly(int modelId, RuntimeException failure) {
        try {
            ws.write(c -> {
                models.remove(c, modelId);
                return null;
            });
        } catch (RuntimeException x) {
            failure.addSuppressed(x);
        }
    }

    /** Loads version {@code modelId} from the workspace (in memory: no temporary file). */
    public Detector load(int modelId) {
        byte[] bytes = ws.read(c -> models.file(c, modelId));
        return registry.load(ModelFile.read(bytes, versionName(modelId)), versionName(modelId));
    }

    /**
     * The users of {@code evaluated} whose label the model in {@code m} could learn from: it records (in its
     * manifest's {@code trained_on}) that it was trained on this workspace's label history up to a row, and
     * the user had a label (not retracted) at that row. Empty for a model that records no history or was
     * trained in another workspace (by file name). Evaluating on these users is in-sample for the labels.
     */
    public java.util.Set<String> labelledWhenTrained(ExternalModel m, LabelSet evaluated) {
        com.fasterxml.jackson.databind.JsonNode t = m.parsed().manifest().path("trained_on");
        if (!t.has("label_history_to") || !ws.file().getFileName().toString().equals(t.path("workspace").asText())) {
            return java.util.Set.of();
        }
        long to = t.path("label_history_to").asLong();
        Map<String, dev.seqwatch.common.Label> at = new java.util.HashMap<>();
        for (dev.seqwatch.common.Label l : ws.read(labels::all)) {
            if (l.id() <= to) {
                at.merge(l.userId(), l, (a, b) -> a.id() > b.id() ? a : b);
            }
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (dev.seqwatch.common.Label l : evaluated.all()) {
            dev.seqwatch.common.Label was = at.get(l.userId());
            if (was != null && !was.retraction()) {
                out.add(l.userId());
            }
        }
        return out;
    }

    /** The calibrated threshold stored in a version's model file, NaN when it has none. */
    public double calibratedThreshold(int modelId) {
        byte[] bytes = ws.read(c -> models.file(c, modelId));
        return ModelFile.read(bytes, versionName(modelId)).manifest().path("calibration").path("threshold").asDouble(Double.NaN);
    }

    /** How a version's calibrated threshold was chosen, in words ("" when it has none). */
    public String calibrationMethod(int modelId) {
        byte[] bytes = ws.read(c -> models.file(c, modelId));
        ObjectNode m = ModelFile.read(bytes, versionName(modelId)).manifest();
        return ModelProvenance.annotate(m.path("calibration").path("method").asText(""), m, ModelProvenance.importHashes(ws));
    }

    /** A warning when model file {@code m} was trained on another workspace (null when not): say so before using it. */
    public String foreignWarning(ExternalModel m) {
        return ModelProvenance.warning(m.file().toString(), m.parsed().manifest(), ModelProvenance.importHashes(ws));
    }

    private String versionName(int modelId) {
        return ws.file().getFileName() + " model version " + modelId;
    }

    /** Scores every user with version {@code modelId} and replaces its stored user and step scores. */
    public ScoreResult score(int modelId, ProgressListener p) {
        Detector d = load(modelId);
        p.progress(0, "loading events");
        int[] through = new int[1];
        SequenceSet all = ws.read(c -> {
            through[0] = ScoreDao.newestImport(c);
            return events.loadAll(c, new SubProgress(p, 0, 0.1));
        });
        long t0 = System.currentTimeMillis();
        Scores s = d.score(all, new SubProgress(p, 0.1, 0.6));
        long millis = System.currentTimeMillis() - t0;
        p.checkCancelled();
        scoreDao.replace(ws, modelId, s, all, through[0], new SubProgress(p, 0.6, 1.0));
        pruneScores(modelId);
        p.progress(1, "scored " + s.users().size() + " users");
        return new ScoreResult(modelId, s, all, millis);
    }

    /**
     * Evaluates version {@code modelId} against {@code labelSet} (null: the workspace's current
     * labels). {@code threshold}: NaN uses the model's calibrated threshold if it has one, else the
     * best-F1 threshold on these labels. Scores are computed fresh, not read from storage.
     */
    public Evaluation evaluate(int modelId, LabelSet labelSet, double threshold, ProgressListener p) {
        LabelSet l = evaluationLabels(labelSet);
        return evaluate(load(modelId), calibratedThreshold(modelId), l, threshold, p);
    }

    /**
     * {@link #evaluate(int, LabelSet, double, ProgressListener)} of a model file that need not be stored
     * in the workspace; writes nothing (its calibrated threshold comes from the file).
     */
    public Evaluation evaluate(ExternalModel m, LabelSet labelSet, double threshold, ProgressListener p) {
        LabelSet l = evaluationLabels(labelSet);
        return evaluate(m.detector(), m.calibratedThreshold(), l, threshold, p);
    }

    private LabelSet evaluationLabels(LabelSet labelSet) {
        LabelSet l = labelSet != null ? labelSet : ws.read(labels::current);
        if (!usable(l)) {
            throw new UserFacingException(labelSet != null ? "the labels file names no fraud user: nothing to evaluate"
                    : "the workspace has no fraud labels: import labels (seqwatch labels) or pass --labels FILE");
        }
        return l;
    }

    private Evaluation evaluate(Detector d, double calibrated, LabelSet l, double threshold, ProgressListener p) {
        p.progress(0, "loading events");
        SequenceSet all = ws.read(c -> events.loadAll(c, new SubProgress(p, 0, 0.2)));
        Scores s = d.score(evaluationSet(all, l), new SubProgress(p, 0.2, 1.0));
        if (!Double.isNaN(threshold)) {
            return Evaluation.of(LabelledScores.of(s, l), threshold, "given");
        }
        return Evaluation.of(LabelledScores.of(s, l), calibrated, "calibrated");
    }

    /**
     * How many versions keep their stored user and step scores (the active one, the one just scored,
     * then the newest others): activating one of them is instant; an older one is re-scored.
     * {@code -Dseqwatch.keepScoredVersions}, default {@value #DEFAULT_KEEP_SCORED}.
     */
    public static final int DEFAULT_KEEP_SCORED = 3;

    public static int keepScoredVersions() {
        return Math.max(1, Integer.getInteger("seqwatch.keepScoredVersions", DEFAULT_KEEP_SCORED));
    }

    private void pruneScores(int justScored) {
        ws.write(c -> scoreDao.pruneScoredVersions(c, keepScoredVersions(), justScored));
    }

    /** True when version {@code modelId}'s stored scores cover every event now in the workspace. */
    public boolean hasCurrentScores(int modelId) {
        return ws.read(c -> scoreDao.hasCurrentScores(c, modelId));
    }

    /** What {@link #rollTo} did. */
    public record Activation(int modelId, boolean rescored, long millis) {
    }

    /**
     * Makes version {@code modelId} the active one (e.g. rolls back to an earlier version): at once
     * when its stored scores cover every event now in the workspace, else after scoring every user with
     * it. A failure or a cancel while scoring leaves the active version as it was.
     */
    public Activation rollTo(int modelId, ProgressListener p) {
        long t0 = System.nanoTime();
        if (ws.read(c -> models.list(c).stream().noneMatch(r -> r.id() == modelId))) {
            throw new UserFacingException("no model version " + modelId + " in " + ws.file().getFileName()
                    + " (seqwatch models --db " + ws.file().getFileName() + " lists them)");
        }
        boolean rescore = !hasCurrentScores(modelId);
        if (rescore) {
            score(modelId, p);
        }
        activate(modelId);
        p.progress(1, rescore ? "scored and activated version " + modelId : "activated version " + modelId + " from its stored scores");
        return new Activation(modelId, rescore, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Makes version {@code modelId} the active one. */
    public void activate(int modelId) {
        ws.write(c -> {
            models.activate(c, modelId);
            return null;
        });
    }

    public List<ModelDao.ModelRecord> versions() {
        return ws.read(models::list);
    }

    public Optional<ModelDao.ModelRecord> active() {
        return ws.read(models::active);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file; the OS cleans up
            }
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import dev.seqwatch.sequence.UserSequence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LstmDetectorTest {
    static final String[] CYCLE = {"view", "cart", "buy"};
    static final long T0 = 1_700_000_000_000L;
    static LstmDetector trained;
    static FitReport report;

    /** Users repeating view -> cart -> buy every 5 s; a 2 h pause every 9 events starts a new session. */
    static void addCycleUser(SequenceSetBuilder b, String user, int events, int phase) {
        long t = T0;
        for (int i = 0; i < events; i++) {
            t += (i > 0 && i % 9 == 0) ? 7_200_000L : 5_000L;
            b.add(-1, user, t, CYCLE[(i + phase) % 3], null, null, Double.NaN);
        }
    }

    static SequenceSet cycleUsers(int users, int events) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int u = 0; u < users; u++) {
            addCycleUser(b, "u" + u, events + (u % 5), 0);
        }
        return b.build();
    }

    static FitOptions small(int epochs, long seed, Map<String, String> extra) {
        java.util.HashMap<String, String> p = new java.util.HashMap<>(Map.of("hidden", "16", "embed", "8", "layers", "2",
                "batch", "16", "lr", "0.01", "max_len", "12"));
        p.putAll(extra);
        return new FitOptions(epochs, seed, false, LabelSet.empty(), p);
    }

    @BeforeAll
    static void train() {
        trained = new LstmDetector();
        report = trained.fit(cycleUsers(24, 27), small(40, 7, Map.of()), ProgressListener.NONE);
    }

    @Test
    void learnsDeterministicPattern() {
        assertThat(report.lossPerEpoch().get(report.lossPerEpoch().size() - 1)).isLessThan(0.3); // chance level is ln(18) = 2.9
        assertThat(report.lossPerEpoch().get(0)).isGreaterThan(report.lossPerEpoch().get(report.lossPerEpoch().size() - 1));
        Scores s = trained.score(cycleUsers(3, 27), ProgressListener.NONE);
        UserScores u = s.user("u1");
        // after view comes cart, 5 s later: the model's first expectation at step 4 ("cart") is "cart (gap<10s)"
        assertThat(s.expectedText(u, 4)).startsWith("cart (gap<10s)");
        assertThat(s.tokenNames()).contains("buy (gap<10s)", "<session start>", "<session end>");
        // ordinary steps are cheap
        assertThat(u.steps()[4]).isLessThan(0.5);
    }

    @Test
    void injectedAnomalousStepScoresHigherThanNormalSteps() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        long t = T0;
        String[] seq = {"view", "cart", "buy", "view", "cart", "buy", "view", "buy", "buy", "view", "cart"};
        for (String a : seq) {
            t += 5_000L;
            b.add(-1, "odd", t, a, null, null, Double.NaN);
        }
        UserScores u = trained.score(b.build(), ProgressListener.NONE).user("odd");
        double anomaly = u.steps()[7]; // "buy" right after "view"
        for (int i = 1; i < 7; i++) {
            assertThat(anomaly).isGreaterThan(u.steps()[i] + 2.0);
        }
    }

    @Test
    void unseenActionIsMaximallySurprisingNotACrash() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        long t = T0;
        String[] seq = {"view", "cart", "buy", "teleport", "view", "cart"};
        for (String a : seq) {
            t += 5_000L;
            b.add(-1, "new", t, a, null, null, Double.NaN);
        }
        Scores s = trained.score(b.build(), ProgressListener.NONE);
        UserScores u = s.user("new");
        assertThat(Arrays.stream(u.steps()).allMatch(Double::isFinite)).isTrue();
        for (int i = 0; i < u.steps().length; i++) {
            if (i != 3) {
                assertThat(u.steps()[3]).isGreaterThan(u.steps()[i]);
            }
        }
        assertThat(u.steps()[3]).isGreaterThan(3.0);
    }

    @Test
    void saveAndLoadGiveIdenticalScores(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.swm");
        trained.save(f);
        SequenceSet s = cycleUsers(5, 30);
        Scores a = trained.score(s, ProgressListener.NONE);
        Scores b = DetectorRegistry.standard().load(f).score(s, ProgressListener.NONE);
        for (UserScores u : a.users()) {
            assertThat(b.user(u.userId()).steps()).containsExactly(u.steps());
            assertThat(b.user(u.userId()).expected()).containsExactly(u.expected());
            assertThat(b.user(u.userId()).score()).isEqualTo(u.score());
        }
        assertThat(LstmDetector.load(f).tokenNames()).isEqualTo(trained.tokenNames());
        // garbage and truncated files give a clear error
        Path garbage = dir.resolve("garbage.swm");
        Files.write(garbage, "not a model at all".getBytes());
        assertThatThrownBy(() -> LstmDetector.load(garbage)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not a Seqwatch model");
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.swm");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> LstmDetector.load(cut)).isInstanceOf(UserFacingException.class);
    }

    @Test
    void filesThatAreNotLstmModelsGiveClearErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.swm");
        trained.save(f);
        // a valid ZIP that is not a Seqwatch model
        Path zip = dir.resolve("other.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write("hello".getBytes());
            z.closeEntry();
        }
        assertThatThrownBy(() -> LstmDetector.load(zip)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not a Seqwatch model");
        // a Seqwatch model of another detector
        Path markov = dir.resolve("markov.swm");
        var mk = DetectorRegistry.standard().create("markov");
        mk.fit(cycleUsers(4, 10), new FitOptions(0, 1, false, LabelSet.empty(), Map.of()), ProgressListener.NONE);
        mk.save(markov);
        assertThatThrownBy(() -> LstmDetector.load(markov)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not an LSTM model");
        // a well-formed ZIP whose parameter entry lost its tail
        var mf = dev.seqwatch.detect.ModelFile.read(f);
        byte[] w = mf.entry("params.f32");
        Path shortParams = dir.resolve("short.swm");
        dev.seqwatch.detect.ModelFile.write(shortParams, mf.manifest(), Map.of("params.f32", Arrays.copyOf(w, w.length - 8)));
        assertThatThrownBy(() -> LstmDetector.load(shortParams)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("truncated or corrupt");
        // a manifest with a broken network shape
        var bad = mf.manifest().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.path("params")).put("hidden", 0);
        Path badShape = dir.resolve("shape.swm");
        dev.seqwatch.detect.ModelFile.write(badShape, bad, Map.of("params.f32", w));
        assertThatThrownBy(() -> LstmDetector.load(badShape)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("corrupt");
        // the file cut at any point is refused with a UserFacingException, never loaded or crashed
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.swm");
        for (int k = 1; k < 8; k++) {
            Files.write(cut, Arrays.copyOf(all, all.length * k / 8));
            assertThatThrownBy(() -> LstmDetector.load(cut)).as("cut at %d/8", k).isInstanceOf(UserFacingException.class);
        }
    }

    @Test
    void unseenActionsAnywhereScoreFiniteAndNeverExpected() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        long t = T0;
        for (String a : new String[]{"login", "view", "cart", "login", "login"}) { // unseen first, twice in a row, last
            t += 5_000L;
            b.add(-1, "mixed", t, a, null, null, Double.NaN);
        }
        for (int i = 0; i < 4; i++) {
            t += 3_600_000L; // every event a new session too
            b.add(-1, "alien", t, "refund", null, null, Double.NaN);
        }
        Scores s = trained.score(b.build(), ProgressListener.NONE);
        for (UserScores u : s.users()) {
            assertThat(Arrays.stream(u.steps()).allMatch(Double::isFinite)).isTrue();
            assertThat(u.expected()).doesNotContain(TokenScheme.UNSEEN);
            assertThat(Double.isFinite(u.score())).isTrue();
        }
        UserScores mixed = s.user("mixed");
        assertThat(mixed.steps()[0]).isGreaterThan(mixed.steps()[2]); // unseen "login" vs the expected "cart"
        assertThat(s.user("alien").steps()).hasSize(4);
    }

    @Test
    void sameSeedSameModelAndScores() {
        SequenceSet train = cycleUsers(8, 15);
        LstmDetector a = new LstmDetector();
        LstmDetector b = new LstmDetector();
        FitReport ra = a.fit(train, small(3, 11, Map.of()), ProgressListener.NONE);
        FitReport rb = b.fit(train, small(3, 11, Map.of()), ProgressListener.NONE);
        assertThat(ra.lossPerEpoch()).isEqualTo(rb.lossPerEpoch());
        Scores sa = a.score(train, ProgressListener.NONE);
        Scores sb = b.score(train, ProgressListener.NONE);
        for (UserScores u : sa.users()) {
            assertThat(sb.user(u.userId()).steps()).containsExactly(u.steps());
        }
        LstmDetector c = new LstmDetector();
        FitReport rc = c.fit(train, small(3, 12, Map.of()), ProgressListener.NONE);
        assertThat(rc.lossPerEpoch()).isNotEqualTo(ra.lossPerEpoch());
    }

    @Test
    void paddingDoesNotChangeAUsersScores() {
        SequenceSetBuilder alone = new SequenceSetBuilder();
        addCycleUser(alone, "short", 5, 1);
        SequenceSetBuilder mixed = new SequenceSetBuilder();
        addCycleUser(mixed, "short", 5, 1);
        addCycleUser(mixed, "long", 40, 0);
        addCycleUser(mixed, "longer", 63, 2);
        double[] a = trained.score(alone.build(), ProgressListener.NONE).user("short").steps();
        double[] m = trained.score(mixed.build(), ProgressListener.NONE).user("short").steps();
        assertThat(m).hasSize(a.length);
        for (int i = 0; i < a.length; i++) {
            assertThat(m[i]).isCloseTo(a[i], within(1e-4));
        }
    }

    @Test
    void categoryChangeAndAmountBucketsBecomePartOfTheTokenAndSurviveSaveLoad(@TempDir Path dir) throws Exception {
        // buy always follows cart in the same category with a small amount; one user buys in a new category at 500
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int u = 0; u < 16; u++) {
            long t = T0;
            for (int i = 0; i < 24; i++) {
                t += 5_000L;
                String a = CYCLE[i % 3];
                b.add(-1, "c" + u, t, a, "item" + i, "cat" + (i / 3), "buy".equals(a) ? 10 + (i % 4) : Double.NaN);
            }
        }
        SequenceSet train = b.build();
        LstmDetector d = new LstmDetector();
        d.fit(train, small(30, 5, Map.of("categories", "true", "amounts", "true")), ProgressListener.NONE);
        // 3 actions x 5 gap buckets x 2 category states x (no amount + 4 amount buckets) + 3 special tokens
        assertThat(d.tokenNames()).hasSize(3 + 3 * 5 * 2 * 5)
                .contains("buy (gap<10s, same category, amount q1)", "view (session start, new category, no amount)");
        SequenceSetBuilder odd = new SequenceSetBuilder();
        long t = T0;
        String[][] ev = {{"view", "catA", ""}, {"cart", "catA", ""}, {"buy", "catA", "11"},
                {"view", "catB", ""}, {"cart", "catB", ""}, {"buy", "catZ", "500"}};
        for (String[] e : ev) {
            t += 5_000L;
            odd.add(-1, "odd", t, e[0], null, e[1], e[2].isEmpty() ? Double.NaN : Double.parseDouble(e[2]));
        }
        SequenceSet s = odd.build();
        Scores sc = d.score(s, ProgressListener.NONE);
        UserScores u = sc.user("odd");
        assertThat(u.steps()[5]).isGreaterThan(u.steps()[2] + 1.0); // the odd buy is far more surprising
        assertThat(sc.expectedText(u, 5)).contains("buy (gap<10s, same category");
        Path f = dir.resolve("feat.swm");
        d.save(f);
        Scores again = LstmDetector.load(f).score(s, ProgressListener.NONE);
        assertThat(again.user("odd").steps()).containsExactly(u.steps());
        assertThat(LstmDetector.load(f).tokenNames()).isEqualTo(d.tokenNames());
    }

    @Test
    void incrementalScoringEqualsFullScoring() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        addCycleUser(b, "h", 50, 0); // several windows of max_len 12 and session breaks
        SequenceSet set = b.build();
        UserSequence full = set.user("h");
        double[] all = trained.score(set, ProgressListener.NONE).user("h").steps();
        LstmDetector.UserStream st = trained.stream("h");
        List<Double> inc = new ArrayList<>();
        int[] cuts = {0, 1, 17, 18, 50};
        for (int k = 1; k < cuts.length; k++) {
            UserScores part = st.append(set, full.slice(0, cuts[k]), cuts[k - 1]);
            for (double v : part.steps()) {
                inc.add(v);
            }
        }
        assertThat(inc).hasSize(all.length);
        for (int i = 0; i < all.length; i++) {
            assertThat(inc.get(i)).isCloseTo(all[i], within(1e-4));
        }
    }

    @Test
    void excludeFraudLeavesFraudUsersOutAndHeadUsesLabels() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        List<Label> labels = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            addCycleUser(b, "n" + u, 14, 0);
            labels.add(new Label(u + 1, "n" + u, false, null, "", "t", Instant.EPOCH, 0));
        }
        for (int u = 0; u < 4; u++) { // bots: buy buy buy every second
            long t = T0;
            for (int i = 0; i < 14; i++) {
                t += 1_000L;
                b.add(-1, "f" + u, t, "buy", null, null, Double.NaN);
            }
            labels.add(new Label(100 + u, "f" + u, true, "scripted_bot", "", "t", Instant.EPOCH, 0));
        }
        SequenceSet set = b.build();
        FitOptions o = new FitOptions(5, 3, true, new LabelSet(labels), small(5, 3, Map.of()).params());
        LstmDetector d = new LstmDetector();
        FitReport r = d.fit(set, o, ProgressListener.NONE);
        assertThat(r.users()).isEqualTo(12);
        assertThat(r.details()).containsEntry("excluded_fraud_users", 4);
        assertThat(d.hasSupervisedHead()).isTrue();
        Scores s = d.score(set, ProgressListener.NONE);
        assertThat(s.ranked().subList(0, 4)).extracting(UserScores::userId).allMatch(id -> id.startsWith("f"));
    }
}

package dev.seqwatch.detect.transformer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Transformer detector on a tiny shape (dim 16, one layer, context 16): histories of 40 events are
 * longer than the context, so training and scoring go through overlapping windows. One model is trained
 * once for the whole class (SameDiff steps are slow to start).
 */
class TransformerDetectorTest {
    private static final long MIN = 60_000L;
    private static final String[] CYCLE = {"a", "b", "c", "d", "e", "f"};
    private static final Map<String, String> TINY = Map.of("dim", "16", "layers", "1", "heads", "2", "ff", "32",
            "context", "16", "batch", "64", "lr", "0.02", "gaps", "false");
    private static TransformerDetector model;
    private static FitReport report;

    /**
     * {@code cycles} users who repeat a b c d e f (one event a minute, one session), each from another
     * phase, and {@code random} users whose actions are drawn uniformly from the same six.
     */
    private static SequenceSet users(int cycles, int random, int length, long seed) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        SplittableRandom r = new SplittableRandom(seed);
        long id = 1;
        for (int u = 0; u < cycles + random; u++) {
            for (int i = 0; i < length; i++) {
                String a = u < cycles ? CYCLE[(i + u) % CYCLE.length] : CYCLE[r.nextInt(CYCLE.length)];
                b.add(id++, (u < cycles ? "c" : "r") + u, i * MIN, a, null, null, Double.NaN);
            }
        }
        return b.build();
    }

    @BeforeAll
    static void train() {
        model = new TransformerDetector();
        report = model.fit(users(8, 4, 40, 1), new FitOptions(15, 7, false, LabelSet.empty(), TINY), ProgressListener.NONE);
    }

    private static double meanStep(UserScores u, int from) {
        double s = 0;
        for (int i = from; i < u.steps().length; i++) {
            s += u.steps()[i];
        }
        return s / (u.steps().length - from);
    }

    @Test
    void learnsTheCycleAcrossOverlappingWindowsAndFindsRandomUsersMoreSurprising() {
        List<Double> loss = report.lossPerEpoch();
        assertThat(loss).hasSize(15).allMatch(Double::isFinite);
        assertThat(loss.get(loss.size() - 1)).isLessThan(0.7 * loss.get(0));
        Scores s = model.score(users(3, 3, 40, 99), ProgressListener.NONE);
        for (UserScores u : s.users()) {
            assertThat(u.steps()).hasSize(40);
            assertThat(Double.isFinite(u.score())).isTrue();
            for (double x : u.steps()) {
                assertThat(x).isFinite().isGreaterThanOrEqualTo(0);
            }
            assertThat(u.ranks()).hasSize(40);
            assertThat(Arrays.stream(u.ranks()).min().getAsInt()).isGreaterThanOrEqualTo(1);
        }
        // steps 20..39 are scored in the later, overlapping windows (context 16)
        double cycle = 0;
        double random = 0;
        for (int u = 0; u < 3; u++) {
            cycle += meanStep(s.user("c" + u), 20) / 3;
            random += meanStep(s.user("r" + (3 + u)), 20) / 3;
        }
        assertThat(cycle).isLessThan(0.5 * random);
        assertThat(random).isGreaterThan(0.5 * Math.log(6));
        for (int u = 0; u < 3; u++) {
            assertThat(s.user("r" + (3 + u)).score()).isGreaterThan(s.user("c" + u).score());
        }
        // user c1's event i is CYCLE[(i + 1) % 6]: event 33 is "e", so at event 34 the model expects "f" first
        assertThat(CYCLE[(33 + 1) % 6]).isEqualTo("e");
        assertThat(s.expectedText(s.user("c1"), 34)).startsWith("f");
    }

    @Test
    void aBrokenCycleIsMostSurprisingAtTheBreakAndAttentionCoversEarlierEventsOnly() {
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int k = 0; k < 30; k++) {
            b.add(k + 1, "odd", k * MIN, k == 20 ? "b" : CYCLE[k % 6], null, null, Double.NaN);
        }
        SequenceSet odd = b.build();
        UserScores u = model.score(odd, ProgressListener.NONE).user("odd");
        double regular = meanStep(u, 6);
        assertThat(u.steps()[20]).isGreaterThan(3 * regular).isGreaterThan(1.0);
        List<double[]> att = model.attention(odd, odd.users().get(0), 20);
        double total = 0;
        for (double[] a : att) {
            assertThat(a[0]).isLessThan(20).isGreaterThanOrEqualTo(-1);
            assertThat(a[1]).isBetween(0.0, 1.0);
            total += a[1];
        }
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void saveAndLoadGiveIdenticalScores(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.swm");
        model.save(f);
        SequenceSet probe = users(2, 2, 30, 5);
        Scores a = model.score(probe, ProgressListener.NONE);
        for (var back : List.of(TransformerDetector.load(f), DetectorRegistry.standard().load(f))) {
            Scores b = back.score(probe, ProgressListener.NONE);
            for (UserScores u : a.users()) {
                assertThat(b.user(u.userId()).steps()).containsExactly(u.steps());
                assertThat(b.user(u.userId()).expected()).containsExactly(u.expected());
                assertThat(b.user(u.userId()).ranks()).containsExactly(u.ranks());
                assertThat(b.user(u.userId()).score()).isEqualTo(u.score());
            }
        }
        ModelFile mf = ModelFile.read(f);
        assertThat(mf.manifest().path("params").path("dim").asInt()).isEqualTo(16);
        assertThat(mf.manifest().path("params").path("context").asInt()).isEqualTo(16);
        assertThat(mf.manifest().path("params").path("stride").asInt()).isEqualTo(8);
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnother(@TempDir Path dir) throws Exception {
        SequenceSet train = users(3, 1, 20, 3);
        byte[][] w = new byte[3][];
        long[] seeds = {11, 11, 12};
        for (int i = 0; i < 3; i++) {
            TransformerDetector d = new TransformerDetector();
            d.fit(train, new FitOptions(2, seeds[i], false, LabelSet.empty(), TINY), ProgressListener.NONE);
            Path f = dir.resolve("s" + i + ".swm");
            d.save(f);
            w[i] = ModelFile.read(f).entry("params.f32");
        }
        assertThat(w[1]).isEqualTo(w[0]);
        assertThat(Arrays.equals(w[2], w[0])).isFalse();
    }

    @Test
    void truncatedOrTamperedFilesAreRefusedBeforeAllocation(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.swm");
        model.save(f);
        // the weights cut short: refused on the byte count
        ModelFile cut = ModelFile.read(f);
        byte[] raw = cut.entry("params.f32");
        Path g = dir.resolve("cut.swm");
        ModelFile.write(g, cut.manifest(), Map.of("params.f32", Arrays.copyOf(raw, raw.length - 4)));
        assertThatThrownBy(() -> TransformerDetector.load(g)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("bytes of parameters, expected");
        // the file itself cut in half
        byte[] whole = Files.readAllBytes(f);
        Path half = Files.write(dir.resolve("half.swm"), Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> DetectorRegistry.standard().load(half)).isInstanceOf(UserFacingException.class);
        // a header within every per-field limit whose weights would need gigabytes: the file is small, so
        // the byte count refuses it before anything of that size is allocated
        ModelFile mf = ModelFile.read(f);
        ObjectNode p = (ObjectNode) mf.manifest().path("params");
        p.put("dim", 1024);
        p.put("ff", 8192);
        p.put("layers", 16);
        p.put("context", 256);
        p.put("stride", 128);
        p.put("heads", 2);
        Path big = dir.resolve("big.swm");
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("bytes of parameters, expected");
        // a context whose attention alone would exceed the memory budget
        p.put("context", 4096);
        p.put("heads", 64);
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("memory limit");
        // out of range: refused by the parameter spec when loaded through the registry, by name
        p.put("dim", 1 << 30);
        mf.writeTo(big);
        assertThatThrownBy(() -> DetectorRegistry.standard().load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("dim=");
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("out of range");
        p.put("dim", 16);
        p.put("heads", 3);
        p.put("ff", 32);
        p.put("layers", 1);
        p.put("context", 16);
        p.put("stride", 8);
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("heads 3 does not divide dim 16");
        p.put("heads", 2);
        p.put("vocab", 999);
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("vocabulary");
        // a weight that is not a number
        p.put("vocab", cut.manifest().path("params").path("vocab").asInt());
        byte[] nan = raw.clone();
        java.nio.ByteBuffer.wrap(nan).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(8, Float.NaN);
        ModelFile.write(g, mf.manifest(), Map.of("params.f32", nan));
        assertThatThrownBy(() -> TransformerDetector.load(g)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("not a finite number");
    }

    @Test
    void badParametersAreRefusedWithTheirNames() {
        DetectorRegistry r = DetectorRegistry.standard();
        assertThatThrownBy(() -> r.checkParams("transformer", Map.of("dims", "8"))).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("unknown parameter 'dims'").hasMessageContaining("heads");
        assertThatThrownBy(() -> r.checkParams("transformer", Map.of("context", "100000")))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("context");
        r.checkParams("transformer", TINY);
        Map<String, String> odd = new HashMap<>(TINY);
        odd.put("heads", "3");
        assertThatThrownBy(() -> new TransformerDetector().fit(users(2, 0, 10, 1),
                new FitOptions(1, 1, false, LabelSet.empty(), odd), ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("heads 3 does not divide dim 16");
        Map<String, String> huge = new HashMap<>(TINY);
        huge.put("context", "4096");
        huge.put("heads", "16");
        huge.put("batch", "4096");
        assertThatThrownBy(() -> new TransformerDetector().fit(users(2, 0, 10, 1),
                new FitOptions(1, 1, false, LabelSet.empty(), huge), ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("GB");
    }

    @Test
    void cancellingStopsTrainingInsideTheFirstEpochAndStopsScoring() {
        int[] metrics = new int[1];
        int[] calls = new int[1];
        ProgressListener cancelSoon = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                calls[0]++;
            }

            @Override
            public void metric(String name, double x, double value) {
                metrics[0]++;
            }

            @Override
            public boolean isCancelled() {
                return calls[0] >= 2;
            }
        };
        Map<String, String> small = new HashMap<>(TINY);
        small.put("batch", "4"); // several batches per epoch
        assertThatThrownBy(() -> new TransformerDetector().fit(users(8, 0, 40, 1),
                new FitOptions(5, 7, false, LabelSet.empty(), small), cancelSoon)).isInstanceOf(CancelledException.class);
        assertThat(metrics[0]).as("no epoch completed").isZero();
        calls[0] = 0;
        assertThatThrownBy(() -> model.score(users(200, 0, 40, 1), cancelSoon)).isInstanceOf(CancelledException.class);
    }
}

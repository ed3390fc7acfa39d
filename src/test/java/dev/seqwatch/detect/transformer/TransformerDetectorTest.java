package dev.seqwatch.detect.transformer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformerDetectorTest {
    private static final long MIN = 60_000L;
    private static final String[] CYCLE = {"a", "b", "c", "d", "e", "f"};
    private static final Map<String, String> TINY = Map.of("dim", "16", "layers", "1", "heads", "2",
            "context", "16", "batch", "16", "lr", "0.01", "gaps", "false");

    /** Users who repeat a b c d e f ... one event a minute (one session), each starting at a different phase. */
    private static SequenceSet cycles(int users, int length) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        long id = 1;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < length; i++) {
                b.add(id++, "u" + u, i * MIN, CYCLE[(i + u) % CYCLE.length], null, null, Double.NaN);
            }
        }
        return b.build();
    }

    private static TransformerDetector trained(int epochs, ProgressListener p) {
        TransformerDetector d = new TransformerDetector();
        d.fit(cycles(12, 40), new FitOptions(epochs, 7, false, LabelSet.empty(), TINY), p);
        return d;
    }

    @Test
    void learnsADeterministicCycleAcrossOverlappingWindows() {
        TransformerDetector d = new TransformerDetector();
        FitReport r = d.fit(cycles(12, 40), new FitOptions(12, 7, false, LabelSet.empty(), TINY), ProgressListener.NONE);
        assertThat(r.lossPerEpoch().get(r.lossPerEpoch().size() - 1)).isLessThan(r.lossPerEpoch().get(0) / 2);
        // 40 events > context 16: scored in overlapping windows; every step after the first has a score
        Scores s = d.score(cycles(3, 40), ProgressListener.NONE);
        UserScores u = s.user("u1");
        assertThat(u.steps()).hasSize(40);
        double logV = Math.log(s.tokenNames().size());
        double sum = 0;
        for (int i = 6; i < 40; i++) {
            assertThat(u.steps()[i]).isFinite();
            sum += u.steps()[i];
        }
        assertThat(sum / 34).isLessThan(0.25 * logV);
        // after ... e the model expects f
        int i = 10; // u1 event 10 is CYCLE[(10+1)%6] = "f"
        assertThat(s.expectedText(u, i)).startsWith("f");
        // a broken cycle is far more surprising at the break than the regular steps
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int k = 0; k < 30; k++) {
            b.add(k + 1, "odd", k * MIN, k == 20 ? "b" : CYCLE[k % 6], null, null, Double.NaN);
        }
        UserScores odd = d.score(b.build(), ProgressListener.NONE).user("odd");
        assertThat(odd.steps()[20]).isGreaterThan(logV / 2).isGreaterThan(5 * odd.steps()[19]);
        // attention for a step covers earlier events only and sums to 1
        List<double[]> att = d.attention(b.build(), b.build().users().get(0), 20);
        double total = 0;
        for (double[] a : att) {
            assertThat(a[0]).isLessThan(20);
            total += a[1];
        }
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void saveAndLoadGiveIdenticalScores(@TempDir Path dir) throws Exception {
        TransformerDetector d = trained(2, ProgressListener.NONE);
        Path f = dir.resolve("t.swm");
        d.save(f);
        TransformerDetector back = TransformerDetector.load(f);
        SequenceSet probe = cycles(4, 30);
        Scores a = d.score(probe, ProgressListener.NONE);
        Scores b = back.score(probe, ProgressListener.NONE);
        for (UserScores u : a.users()) {
            assertThat(b.user(u.userId()).steps()).containsExactly(u.steps());
            assertThat(b.user(u.userId()).expected()).containsExactly(u.expected());
            assertThat(b.user(u.userId()).score()).isEqualTo(u.score());
        }
        ModelFile mf = ModelFile.read(f);
        assertThat(mf.manifest().path("params").path("dim").asInt()).isEqualTo(16);
        assertThat(mf.manifest().path("params").path("context").asInt()).isEqualTo(16);
    }

    @Test
    void aHeaderWithHugeSizesIsRefusedBeforeAllocation(@TempDir Path dir) throws Exception {
        TransformerDetector d = trained(1, ProgressListener.NONE);
        Path f = dir.resolve("t.swm");
        d.save(f);
        ModelFile mf = ModelFile.read(f);
        // a shape within the per-field limits whose weights would need gigabytes: refused on the byte count
        ObjectNode p = (ObjectNode) mf.manifest().path("params");
        p.put("dim", 1024);
        p.put("ff", 8192);
        p.put("layers", 16);
        p.put("context", 4096);
        p.put("heads", 2);
        Path big = dir.resolve("big.swm");
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("bytes of parameters, expected");
        // out-of-range fields are refused by name
        p.put("dim", 1 << 30);
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("out of range");
        p.put("dim", 16);
        p.put("heads", 3);
        p.put("ff", 64);
        p.put("layers", 1);
        p.put("context", 16);
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("multiple of heads");
        p.put("heads", 2);
        p.put("vocab", 999);
        mf.writeTo(big);
        assertThatThrownBy(() -> TransformerDetector.load(big)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("vocabulary");
    }

    @Test
    void cancellingStopsTrainingInsideAnEpoch() {
        int[] epochsSeen = new int[1];
        ProgressListener cancelAfterFirst = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
            }

            @Override
            public void metric(String name, double x, double value) {
                epochsSeen[0]++;
            }

            @Override
            public boolean isCancelled() {
                return epochsSeen[0] >= 1;
            }
        };
        TransformerDetector d = new TransformerDetector();
        Map<String, String> params = new HashMap<>(TINY);
        assertThatThrownBy(() -> d.fit(cycles(12, 40), new FitOptions(5, 7, false, LabelSet.empty(), params), cancelAfterFirst))
                .isInstanceOf(CancelledException.class);
        assertThat(epochsSeen[0]).isEqualTo(1);
    }
}

package dev.seqwatch.detect;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.evaluate.ThresholdCurve;
import dev.seqwatch.sequence.SequenceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnsembleDetectorTest {

    @Test
    void stackedWithLabelsRankAverageWithoutAndIdenticalAfterLoad(@TempDir Path dir) throws Exception {
        SequenceSet s = AllDetectorsTest.tiny(4);
        List<Label> ls = new ArrayList<>();
        for (var u : s.users()) {
            boolean fraud = u.userId().startsWith("f");
            ls.add(new Label(0, u.userId(), fraud, fraud ? "x" : null, null, "t", Instant.EPOCH, 0));
        }
        LabelSet labels = new LabelSet(ls);
        DetectorRegistry r = DetectorRegistry.standard();
        Detector stacked = r.create("ensemble");
        FitReport rep = stacked.fit(s, new FitOptions(0, 1, false, labels, Map.of("members", "markov,zscore")), ProgressListener.NONE);
        assertThat(rep.details()).containsEntry("combination", "stacked");
        Detector plain = r.create("ensemble");
        assertThat(plain.fit(s, new FitOptions(0, 1, false, LabelSet.empty(), Map.of()), ProgressListener.NONE).details())
                .containsEntry("combination", "rank-average");

        Path f = dir.resolve("e.swm");
        stacked.save(f);
        Detector back = r.load(f);
        Scores a = stacked.score(s, ProgressListener.NONE);
        Scores b = back.score(s, ProgressListener.NONE);
        double[] sc = new double[s.size()];
        boolean[] y = new boolean[s.size()];
        for (int i = 0; i < s.size(); i++) {
            String id = s.users().get(i).userId();
            assertThat(b.user(id).score()).isEqualTo(a.user(id).score());
            assertThat(a.user(id).steps()).as("step scores from the Markov member").isNotNull();
            sc[i] = a.user(id).score();
            y[i] = id.startsWith("f");
        }
        // in-sample, the stacked model separates the tiny session's two fraud patterns from normal users
        assertThat(ThresholdCurve.of(sc, y).rocAuc()).isGreaterThan(0.95);
    }
}

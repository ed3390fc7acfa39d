package dev.seqwatch.evaluate;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.markov.MarkovDetector;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DetectorComparisonTest {

    /** A detector that always fails, to check that one failure does not stop the comparison. */
    static final class Broken implements Detector {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public FitReport fit(SequenceSet train, FitOptions options, ProgressListener p) {
            throw new IllegalStateException("out of luck");
        }

        @Override
        public Scores score(SequenceSet sequences, ProgressListener p) {
            throw new IllegalStateException("unreachable");
        }

        @Override
        public void save(Path file) {
        }
    }

    private static SequenceSet sequences(TinySessions.Session s) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        long id = 1;
        for (TinySessions.Event e : s.events()) {
            b.add(id++, e.user(), e.ts(), e.action(), e.item(), e.category(), e.amount() == null ? Double.NaN : e.amount());
        }
        return b.build();
    }

    private static LabelSet labels(TinySessions.Session s, int everyNth) {
        List<Label> out = new ArrayList<>();
        int i = 0;
        for (String[] l : s.labels()) {
            if (i++ % everyNth == 0) {
                out.add(new Label(0, l[0], l[1].equals("fraud"), l[2].isEmpty() ? null : l[2], null, "t", Instant.EPOCH, 0));
            }
        }
        return new LabelSet(out);
    }

    @Test
    void failuresAreReportedAndEnsemblesUseTheWorkingDetectors() {
        TinySessions.Session s = TinySessions.generate(150, 20, 6);
        DetectorRegistry r = DetectorRegistry.standard()
                .register(new DetectorRegistry.Entry("broken", "fails", Broken::new, f -> new Broken()));
        LabelSet truth = labels(s, 1);
        LabelSet some = labels(s, 2); // half the users labelled: what the labels round may learn from
        DetectorComparison.Report rep = new DetectorComparison(r).run(sequences(s), truth, some,
                new DetectorComparison.Options(List.of("markov", "broken", "zscore"),
                        List.of(DetectorComparison.UNSUPERVISED, DetectorComparison.LABELS), 0, 1,
                        java.util.Map.of(), 3), ProgressListener.NONE);
        assertThat(rep.nFraud()).isEqualTo(20);
        List<String> names = rep.rows().stream().map(x -> x.mode() + "/" + x.detector()).toList();
        assertThat(names).containsExactly("unsupervised/markov", "unsupervised/broken", "unsupervised/zscore",
                "unsupervised/ensemble:rank-average", "labels/markov", "labels/broken", "labels/zscore",
                "labels/ensemble:rank-average", "labels/ensemble:stacked");
        assertThat(rep.rows().get(1).error()).contains("out of luck");
        assertThat(rep.rows().get(0).curve().positives()).isEqualTo(20);
        assertThat(rep.rows().get(0).evaluation().perFraudType()).containsOnlyKeys("click_farming", "scripted_bot");
        assertThat(rep.rows().get(0).evaluation().perFraudType().get("click_farming")[1]).isEqualTo(10);
        DetectorComparison.Row stacked = rep.rows().get(8);
        assertThat(stacked.evaluation().rocAuc()).isGreaterThan(rep.rows().get(4).evaluation().rocAuc());
        assertThat(rep.gains()).extracting(DetectorComparison.Gain::ensemble)
                .containsExactly("ensemble:rank-average", "ensemble:rank-average", "ensemble:stacked");
        assertThat(rep.gains().get(0).bestSingle()).isIn("markov", "zscore");
        assertThat(MarkovDetector.NAME).isEqualTo("markov");
    }
}

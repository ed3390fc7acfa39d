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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        FitReport rep = stacked.fit(s, new FitOptions(0, 1, false, labels, Map.of("members", "markov,zscore", "combination", "stacked")),
                ProgressListener.NONE);
        assertThat(rep.details()).containsEntry("combination", "stacked");
        assertThat(r.create("ensemble").fit(s, new FitOptions(0, 1, false, labels, Map.of("members", "markov,zscore")), ProgressListener.NONE)
                .details()).as("the default with labels of both classes").containsEntry("combination", "pu");
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

    @Test
    void puHeadLearnsFromTwoFraudLabelsScoresUnseenUsersAndSurvivesLoad(@TempDir Path dir) throws Exception {
        SequenceSet s = AllDetectorsTest.tiny(5);
        // two labelled fraud users (one of each tiny pattern) and 20 labelled normal users; the rest unlabelled
        List<Label> ls = new ArrayList<>();
        int normals = 0;
        for (var u : s.users()) {
            String id = u.userId();
            if (id.equals("f0") || id.equals("f1")) {
                ls.add(new Label(0, id, true, "x", null, "t", Instant.EPOCH, 0));
            } else if (id.startsWith("n") && normals++ < 20) {
                ls.add(new Label(0, id, false, null, null, "t", Instant.EPOCH, 0));
            }
        }
        LabelSet labels = new LabelSet(ls);
        DetectorRegistry r = DetectorRegistry.standard();
        Map<String, String> members = Map.of("members", "markov,zscore,iforest");
        Detector pu = r.create("ensemble");
        FitReport rep = pu.fit(s, new FitOptions(0, 1, false, labels, members), ProgressListener.NONE);
        assertThat(rep.details()).containsEntry("combination", "pu").containsEntry("labelled_fraud_in_training", 2);
        Detector avg = r.create("ensemble");
        avg.fit(s, new FitOptions(0, 1, false, LabelSet.empty(), members), ProgressListener.NONE);

        Path f = dir.resolve("pu.swm");
        pu.save(f);
        Detector back = r.load(f);
        Scores a = pu.score(s, ProgressListener.NONE);
        Scores b = back.score(s, ProgressListener.NONE);
        Scores c = avg.score(s, ProgressListener.NONE);
        List<double[]> held = new ArrayList<>();
        for (var u : s.users()) {
            String id = u.userId();
            assertThat(b.user(id).score()).isEqualTo(a.user(id).score());
            if (!labels.isLabelled(id)) {
                held.add(new double[]{a.user(id).score(), c.user(id).score(), id.startsWith("f") ? 1 : 0});
            }
        }
        double[] sp = held.stream().mapToDouble(h -> h[0]).toArray();
        double[] sa = held.stream().mapToDouble(h -> h[1]).toArray();
        boolean[] y = new boolean[held.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = held.get(i)[2] == 1;
        }
        // on the users it never saw labelled: at least as good as the unsupervised rank average, and near perfect
        double apPu = ThresholdCurve.of(sp, y).averagePrecision();
        assertThat(apPu).isGreaterThanOrEqualTo(ThresholdCurve.of(sa, y).averagePrecision()).isGreaterThan(0.9);
    }

    @Test
    void combinationRefusedWhenUnknownAndDamagedWeightsRefusedOnLoad(@TempDir Path dir) throws Exception {
        SequenceSet s = AllDetectorsTest.tiny(6);
        DetectorRegistry r = DetectorRegistry.standard();
        assertThatThrownBy(() -> r.checkParams("ensemble", Map.of("combination", "magic")))
                .hasMessageContaining("combination");
        assertThatThrownBy(() -> r.checkParams("ensemble", Map.of("l2", "0")))
                .hasMessageContaining("l2");
        List<Label> ls = new ArrayList<>();
        for (var u : s.users()) {
            boolean fraud = u.userId().startsWith("f");
            ls.add(new Label(0, u.userId(), fraud, fraud ? "x" : null, null, "t", Instant.EPOCH, 0));
        }
        Detector pu = r.create("ensemble");
        pu.fit(s, new FitOptions(0, 1, false, new LabelSet(ls), Map.of("members", "markov,zscore")), ProgressListener.NONE);
        Path f = dir.resolve("pu.swm");
        pu.save(f);
        ModelFile m = ModelFile.read(f);
        // the stored combination says stacked, but the weights are the pu head's: refused, not misread
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.manifest().get("params")).put("combination", "stacked");
        Path g = dir.resolve("tampered.swm");
        m.writeTo(g);
        assertThatThrownBy(() -> r.load(g)).hasMessageContaining("weights do not match");
    }
}

package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation slice: its loss per epoch through the progress listener, the best epoch kept, early stopping. */
class LstmValidationTest {

    /** Records the metrics a fit reports. */
    static final class Metrics implements ProgressListener {
        final List<double[]> loss = new ArrayList<>();
        final List<double[]> validation = new ArrayList<>();

        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void metric(String name, double x, double value) {
            (name.equals("validation_loss") ? validation : loss).add(new double[]{x, value});
        }
    }

    /** Few users with random behaviour: a 2x16 LSTM at a high learning rate memorises them and overfits. */
    static SequenceSet people(int users, long seed) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        Random r = new Random(seed);
        for (int u = 0; u < users; u++) {
            LstmTwoSidedTest.addPerson(b, "p" + u, r);
        }
        return b.build();
    }

    @Test
    void theBestEpochIsKeptAndReportedAndPatienceStopsEarly() {
        SequenceSet train = people(40, 5);
        SequenceSet test = people(10, 77);
        Map<String, String> v = Map.of("validation", "0.25", "patience", "30", "lr", "0.03", "max_len", "30");
        Metrics m = new Metrics();
        LstmDetector full = new LstmDetector();
        FitReport r = full.fit(train, LstmDetectorTest.small(25, 3, v), m);
        // one validation loss per epoch, reported after that epoch's training loss
        assertThat(m.loss).hasSize(25);
        assertThat(m.validation).hasSize(25);
        for (int e = 0; e < 25; e++) {
            assertThat(m.validation.get(e)[0]).isEqualTo(e + 1.0);
        }
        int best = 1;
        for (int e = 0; e < 25; e++) {
            if (m.validation.get(e)[1] < m.validation.get(best - 1)[1]) {
                best = e + 1;
            }
        }
        assertThat(r.details().get("best_epoch")).isEqualTo(best);
        assertThat(r.details().get("validation_users")).isEqualTo(10);
        assertThat(full.metrics().get("best_epoch").asInt()).isEqualTo(best);
        // precondition of what follows: the network does overfit these users, the validation loss turns up
        assertThat(best).isLessThan(25);

        // the kept weights are those of epoch `best`: training only `best` epochs (same seed, same split) gives them
        LstmDetector upToBest = new LstmDetector();
        upToBest.fit(train, LstmDetectorTest.small(best, 3, v), ProgressListener.NONE);
        Scores a = full.score(test, ProgressListener.NONE);
        Scores b = upToBest.score(test, ProgressListener.NONE);
        for (UserScores u : a.users()) {
            assertThat(b.user(u.userId()).steps()).as(u.userId()).containsExactly(u.steps());
        }

        // patience 2: stops two epochs after the best one, with the same best epoch and weights
        Metrics m2 = new Metrics();
        LstmDetector early = new LstmDetector();
        FitReport r2 = early.fit(train, LstmDetectorTest.small(25, 3,
                Map.of("validation", "0.25", "patience", "2", "lr", "0.03", "max_len", "30")), m2);
        int firstNoGain = 0;
        int bestSoFar = 1;
        for (int e = 1; e < 25 && firstNoGain == 0; e++) {
            if (m.validation.get(e)[1] < m.validation.get(bestSoFar - 1)[1]) {
                bestSoFar = e + 1;
            } else if (e + 1 - bestSoFar >= 2) {
                firstNoGain = e + 1;
            }
        }
        assertThat(m2.validation).hasSize(firstNoGain);
        assertThat(r2.details().get("stopped_early")).isEqualTo(true);
        assertThat(r2.details().get("best_epoch")).isEqualTo(bestSoFar);
    }

    @Test
    void withoutValidationNothingChangesAndBadSharesAreRefused() {
        SequenceSet train = people(6, 5);
        Metrics m = new Metrics();
        FitReport r = new LstmDetector().fit(train, LstmDetectorTest.small(3, 3, Map.of()), m);
        assertThat(m.validation).isEmpty();
        assertThat(m.loss).hasSize(3);
        assertThat(r.details()).doesNotContainKey("best_epoch");
        // one user with events cannot be split
        assertThatThrownBy(() -> new LstmDetector().fit(people(1, 5), LstmDetectorTest.small(1, 3, Map.of("validation", "0.5")),
                ProgressListener.NONE)).isInstanceOf(UserFacingException.class).hasMessageContaining("leave none to train on");
        DetectorRegistry reg = DetectorRegistry.standard();
        assertThatThrownBy(() -> reg.checkParams("lstm", Map.of("validation", "0.9"))).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("validation");
        assertThatThrownBy(() -> reg.checkParams("lstm", Map.of("patience", "0"))).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("patience");
        reg.checkParams("lstm", Map.of("validation", "0.1", "patience", "4"));
    }
}

package dev.seqwatch.detect;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every registered detector: scores for every user, identical scores after save/load, unseen actions are fine. */
class AllDetectorsTest {

    static List<String> detectors() {
        return DetectorRegistry.standard().names().stream().filter(n -> !n.equals("lstm")).toList();
    }

    static SequenceSet tiny(long seed) {
        TinySessions.Session s = TinySessions.generate(80, 10, seed);
        SequenceSetBuilder b = new SequenceSetBuilder();
        long id = 1;
        for (TinySessions.Event e : s.events()) {
            b.add(id++, e.user(), e.ts(), e.action(), e.item(), e.category(), e.amount() == null ? Double.NaN : e.amount());
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void saveLoadGivesIdenticalScoresAndUnseenActionsDoNotCrash(String name, @TempDir Path dir) throws Exception {
        DetectorRegistry r = DetectorRegistry.standard();
        Detector d = r.create(name);
        SequenceSet train = tiny(1);
        d.fit(train, new FitOptions(2, 3, false, dev.seqwatch.common.LabelSet.empty(), Map.of()), ProgressListener.NONE);
        Path f = dir.resolve(name + ".swm");
        d.save(f);
        Detector back = r.load(f);
        assertThat(back.name()).isEqualTo(name);
        SequenceSet probe = tiny(2);
        Scores a = d.score(probe, ProgressListener.NONE);
        Scores b = back.score(probe, ProgressListener.NONE);
        assertThat(a.users()).hasSize(probe.size());
        for (UserScores u : a.users()) {
            UserScores v = b.user(u.userId());
            assertThat(v.score()).as("%s user %s", name, u.userId()).isEqualTo(u.score());
            assertThat(Double.isFinite(u.score())).isTrue();
            if (u.steps() != null) {
                assertThat(v.steps()).containsExactly(u.steps());
            }
        }
        // a vocabulary the model never saw
        SequenceSet odd = new SequenceSetBuilder()
                .add(1, "x", 0, "teleport", null, null, Double.NaN)
                .add(2, "x", 1000, "view", "i1", "c1", 3.0)
                .add(3, "x", 2000, "teleport", null, null, Double.NaN).build();
        assertThat(Double.isFinite(back.score(odd, ProgressListener.NONE).user("x").score())).isTrue();
    }
}

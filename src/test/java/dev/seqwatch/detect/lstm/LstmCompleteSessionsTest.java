package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** complete_sessions: the final session of every history is closed and its end token scored. */
class LstmCompleteSessionsTest {

    private static SequenceSet users(int n, int events, String extraUser, int extraEvents) {
        SequenceSetBuilder b = new SequenceSetBuilder();
        for (int u = 0; u < n; u++) {
            LstmDetectorTest.addCycleUser(b, "u" + u, events, 0);
        }
        if (extraUser != null) {
            LstmDetectorTest.addCycleUser(b, extraUser, extraEvents, 0);
        }
        return b.build();
    }

    @Test
    void encodeClosesTheFinalSessionOnlyWhenComplete() {
        SequenceSet s = users(1, 4, null, 0);
        TokenScheme open = new TokenScheme(s.actionNames(), false, 1_800_000L, false, null, false);
        TokenScheme closed = new TokenScheme(s.actionNames(), false, 1_800_000L, false, null, true);
        int[] a = open.encode(s.users().get(0), open.actionMap(s), 0, 0).tokens();
        int[] c = closed.encode(s.users().get(0), closed.actionMap(s), 0, 0).tokens();
        assertThat(a).hasSize(4);
        assertThat(a[a.length - 1]).isNotEqualTo(TokenScheme.SESSION_END);
        assertThat(c).hasSize(5).startsWith(a);
        assertThat(c[4]).isEqualTo(TokenScheme.SESSION_END);
    }

    @Test
    void abruptEndIsScoredStoredAndStreamedExactly(@TempDir Path dir) throws Exception {
        // every training history is 9 events: view cart buy x3, ending on buy
        SequenceSet train = users(16, 9, null, 0);
        LstmDetector closed = new LstmDetector();
        closed.fit(train, LstmDetectorTest.small(40, 3, Map.of("complete_sessions", "true")), ProgressListener.NONE);
        LstmDetector open = new LstmDetector();
        open.fit(train, LstmDetectorTest.small(40, 3, Map.of()), ProgressListener.NONE);
        // "cut" stops after 'view' (7 events): only a closed-session model can see that
        SequenceSet test = users(1, 9, "cut", 7);
        Scores sc = closed.score(test, ProgressListener.NONE);
        Scores so = open.score(test, ProgressListener.NONE);
        double[] cutClosed = sc.user("cut").steps();
        double[] cutOpen = so.user("cut").steps();
        assertThat(cutClosed[6]).isGreaterThan(cutOpen[6] + 1.0);
        assertThat(cutClosed[6]).isGreaterThan(sc.user("u0").steps()[8]);

        Path f = dir.resolve("m.swm");
        closed.save(f);
        LstmDetector back = LstmDetector.load(f);
        assertThat(back.score(test, ProgressListener.NONE).user("cut").steps()).containsExactly(cutClosed);

        UserScores streamed = back.stream("cut").append(test, test.users().stream()
                .filter(u -> u.userId().equals("cut")).findFirst().orElseThrow(), 0);
        assertThat(streamed.steps()).containsExactly(cutClosed);

        LstmDetector.UserStream st = back.stream("u0");
        SequenceSet longer = users(1, 9, null, 0);
        SequenceSet prefix = users(1, 6, null, 0);
        st.append(prefix, prefix.users().get(0), 0);
        assertThatThrownBy(() -> st.append(longer, longer.users().get(0), 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("complete");
        assertThat(List.of(closed.tokenNames().get(TokenScheme.SESSION_END))).containsExactly("<session end>");
    }
}

package dev.seqwatch.workflow;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionDiffTest {

    @Test
    void flippedVerdictsRankMovesAndFiguresOnLabelsNeitherVersionSaw(@TempDir Path dir) throws Exception {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(4, 2, 1), false);
            SequenceSet seqs = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            List<String> u = new ArrayList<>(seqs.users().stream().map(dev.seqwatch.sequence.UserSequence::userId).toList());
            assertThat(u).hasSize(6);
            label(ws, u.get(5), false); // written before both trainings: both versions may have seen it
            Thread.sleep(5);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int v1 = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE).modelId();
            int v2 = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE).modelId();
            assertThat(svc.calibratedThreshold(v1)).as("unsupervised: no calibration, so top N flags").isNaN();

            // hand-built scores: v1 ranks u0 u1 u2 u3 u4 u5, v2 ranks u2 u1 u4 u3 u5 u0
            store(ws, v1, seqs, u, new double[] {6, 5, 4, 3, 2, 1});
            store(ws, v2, seqs, u, new double[] {1, 5, 6, 3, 4, 2});
            Thread.sleep(5);
            label(ws, u.get(2), true);
            label(ws, u.get(0), false);
            label(ws, u.get(3), false);

            VersionDiff.Result r = new VersionDiff(ws, svc).compute(v1, v2, 2, 10);
            assertThat(r.users()).isEqualTo(6);
            assertThat(r.from().rule()).isEqualTo("top 2");
            assertThat(r.from().threshold()).isEqualTo(5.0);
            assertThat(r.newlyFlagged()).extracting(VersionDiff.Change::userId).containsExactly(u.get(2));
            assertThat(r.noLongerFlagged()).extracting(VersionDiff.Change::userId).containsExactly(u.get(0));
            assertThat(r.newlyFlaggedCount()).isEqualTo(1);
            VersionDiff.Change top = r.biggestMoves().get(0);
            assertThat(top.userId()).isEqualTo(u.get(0));
            assertThat(top.fromRank()).isEqualTo(1);
            assertThat(top.toRank()).isEqualTo(6);
            assertThat(top.rankMove()).isEqualTo(-5);
            assertThat(top.label()).isFalse();

            // unseen: u2 (fraud), u0, u3 (normal); u5 was labelled before the versions were trained
            assertThat(r.unseenLabelled()).isEqualTo(3);
            assertThat(r.from().unseen().nUsers()).isEqualTo(3);
            assertThat(r.from().unseen().precision()).isZero(); // flags u0 (normal) and u1 (unlabelled)
            assertThat(r.from().unseen().recall()).isZero();
            assertThat(r.to().unseen().precision()).isEqualTo(1.0); // flags u2 (fraud) and u1
            assertThat(r.to().unseen().recall()).isEqualTo(1.0);
            assertThat(r.to().unseen().rocAuc()).isEqualTo(1.0);
            assertThat(r.from().unseen().rocAuc()).isEqualTo(0.5); // u2 (4) between u0 (6) and u3 (3)

            assertThat(new VersionDiff(ws, svc).compute(v1, v2, 2, 0).newlyFlagged()).isEmpty();
            assertThatThrownBy(() -> new VersionDiff(ws, svc).compute(v1, 99, 2, 10)).isInstanceOf(UserFacingException.class)
                    .hasMessage("no model version 99 in " + ws.file() + " (versions: [" + v1 + ", " + v2 + "])");
        }
    }

    @Test
    void aVersionWithoutStoredScoresIsNamed(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(4, 2, 1), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int v1 = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE).modelId();
            int v2 = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE).modelId();
            svc.score(v1, ProgressListener.NONE);
            assertThatThrownBy(() -> new VersionDiff(ws, svc).compute(v1, v2, 2, 10)).isInstanceOf(UserFacingException.class)
                    .hasMessage("model version " + v2 + " has no stored scores: activate it in the Models view (it is scored "
                            + "then) or score it with seqwatch score, then compare again");
        }
    }

    private static void store(Workspace ws, int model, SequenceSet seqs, List<String> u, double[] s) {
        List<UserScores> us = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            us.add(new UserScores(u.get(i), s[i], null, null));
        }
        new ScoreDao().replace(ws, model, new Scores("hand", List.of(), 0, us), seqs, ProgressListener.NONE);
    }

    private static void label(Workspace ws, String user, boolean fraud) {
        ws.write(c -> new LabelDao().append(c, List.of(new LabelDao.NewLabel(user, fraud, fraud ? "bot" : null, null, "t"))));
    }
}

package dev.seqwatch.workflow;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rolling back to an earlier version uses its stored scores when they cover every import, else re-scores it. */
class RollbackTest {

    private static ModelService.TrainRequest markov(String alpha) {
        return new ModelService.TrainRequest("markov", 1, 1, false, Map.of("alpha", alpha), false);
    }

    private static List<ScoreDao.UserScoreRow> scores(Workspace ws, int model) {
        return ws.read(c -> new ScoreDao().userScores(c, model));
    }

    @AfterEach
    void clearKeep() {
        System.clearProperty("seqwatch.keepScoredVersions");
    }

    @Test
    void activatingAVersionWithCurrentScoresDoesNotRescoreItAndANewImportMakesThemStale(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(30, 6, 4), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int v1 = svc.train(markov("0.1"), null, ProgressListener.NONE).modelId();
            int v2 = svc.train(markov("5"), null, ProgressListener.NONE).modelId();
            assertThat(svc.hasCurrentScores(v1)).isFalse();

            ModelService.Activation a1 = svc.rollTo(v1, ProgressListener.NONE);
            assertThat(a1.rescored()).isTrue();
            List<ScoreDao.UserScoreRow> stored1 = scores(ws, v1);
            assertThat(svc.rollTo(v2, ProgressListener.NONE).rescored()).isTrue();
            assertThat(svc.active().orElseThrow().id()).isEqualTo(v2);

            // roll back: v1's scores are still stored and cover the only import
            ModelService.Activation back = svc.rollTo(v1, ProgressListener.NONE);
            assertThat(back.rescored()).isFalse();
            assertThat(svc.active().orElseThrow().id()).isEqualTo(v1);
            assertThat(scores(ws, v1)).isEqualTo(stored1);

            // a new import (more events of the same users): neither version's scores cover it any more
            List<ScoreDao.UserScoreRow> before2 = scores(ws, v2);
            TinySessions.store(ws, TinySessions.generate(5, 1, 9), false);
            assertThat(svc.hasCurrentScores(v1)).isFalse();
            assertThat(svc.hasCurrentScores(v2)).isFalse();
            assertThat(svc.rollTo(v2, ProgressListener.NONE).rescored()).isTrue();
            assertThat(svc.hasCurrentScores(v2)).isTrue();
            assertThat(scores(ws, v2)).isNotEqualTo(before2);
        }
    }

    @Test
    void onlyTheLastFewScoredVersionsKeepTheirScores(@TempDir Path dir) {
        System.setProperty("seqwatch.keepScoredVersions", "2");
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(30, 6, 4), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int v1 = svc.train(markov("0.1"), null, ProgressListener.NONE).modelId();
            int v2 = svc.train(markov("1"), null, ProgressListener.NONE).modelId();
            int v3 = svc.train(markov("5"), null, ProgressListener.NONE).modelId();
            svc.rollTo(v1, ProgressListener.NONE);
            svc.score(v2, ProgressListener.NONE);
            assertThat(svc.hasCurrentScores(v1)).isTrue();
            assertThat(svc.hasCurrentScores(v2)).isTrue();

            svc.score(v3, ProgressListener.NONE); // keeps the active v1 and the just-scored v3
            assertThat(svc.hasCurrentScores(v1)).isTrue();
            assertThat(svc.hasCurrentScores(v3)).isTrue();
            assertThat(svc.hasCurrentScores(v2)).isFalse();
            assertThat(scores(ws, v2)).isEmpty();
            assertThat(svc.rollTo(v2, ProgressListener.NONE).rescored()).isTrue();
        }
    }

    @Test
    void anUnknownVersionIsRefusedAndNothingChanges(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(10, 2, 4), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int v1 = svc.train(markov("1"), null, ProgressListener.NONE).modelId();
            svc.rollTo(v1, ProgressListener.NONE);
            assertThatThrownBy(() -> svc.rollTo(99, ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("no model version 99");
            assertThat(svc.active().orElseThrow().id()).isEqualTo(v1);
        }
    }
}

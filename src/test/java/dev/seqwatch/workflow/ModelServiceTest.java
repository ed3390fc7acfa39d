package dev.seqwatch.workflow;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelFile;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelServiceTest {

    @Test
    void trainScoreEvaluateActivate(@TempDir Path dir) throws Exception {
        TinySessions.Session s = TinySessions.generate(60, 10, 1);
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, s, true);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            Path out = dir.resolve("m1.swm");
            var r1 = svc.train(new ModelService.TrainRequest("markov", 0, 1, true, Map.of(), false), out, ProgressListener.NONE);
            assertThat(r1.active()).as("the first model becomes active").isTrue();
            assertThat(r1.excludedFraudUsers()).isEqualTo(10);
            assertThat(r1.report().users()).isEqualTo(60);
            assertThat(r1.evaluation()).isNotNull();
            // Markov catches the scripted bots (buy after buy never happens normally) and, by design,
            // not the view-only click farmers (view after view is the most normal transition there is)
            assertThat(r1.evaluation().perFraudType().get("scripted_bot")).containsExactly(5, 5);
            assertThat(r1.evaluation().perFraudType().get("click_farming")).containsExactly(0, 5);
            assertThat(r1.evaluation().precision()).isEqualTo(1.0);
            assertThat(Files.readAllBytes(out)).isEqualTo(r1.modelBytes());

            var r2 = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE);
            assertThat(r2.active()).as("later models stay inactive unless asked").isFalse();
            List<ModelDao.ModelRecord> versions = svc.versions();
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).metricsJson()).contains("roc_auc");
            assertThat(versions.get(0).trainedOnJson()).contains("\"excluded_fraud_users\":10");
            assertThat(svc.active().orElseThrow().id()).isEqualTo(r1.modelId());
            svc.activate(r2.modelId());
            assertThat(svc.active().orElseThrow().id()).isEqualTo(r2.modelId());

            var scored = svc.score(r1.modelId(), ProgressListener.NONE);
            List<ScoreDao.UserScoreRow> rows = ws.read(c -> new ScoreDao().userScores(c, r1.modelId()));
            assertThat(rows).hasSize(70);
            assertThat(rows.get(0).rank()).isEqualTo(1);
            assertThat(rows.get(0).userId()).startsWith("f");
            String anyUser = rows.get(5).userId();
            var steps = ws.read(c -> new ScoreDao().stepScores(c, r1.modelId(), anyUser));
            assertThat(steps).hasSize(scored.sequences().user(anyUser).length());
            assertThat(steps.get(0).expected()).isNotBlank();

            Evaluation e = svc.evaluate(r1.modelId(), null, Double.NaN, ProgressListener.NONE);
            assertThat(e.nUsers()).isEqualTo(70);
            assertThat(e.nFraud()).isEqualTo(10);
            assertThat(e.thresholdSource()).isEqualTo("calibrated");
            assertThat(e.rocAuc()).isEqualTo(r1.evaluation().rocAuc());
            Evaluation fromFile = svc.evaluate(r1.modelId(), LabelFile.read(TinySessions.writeLabels(dir.resolve("l.csv"), s)),
                    0.5, ProgressListener.NONE);
            assertThat(fromFile.rocAuc()).isEqualTo(e.rocAuc());
            assertThat(fromFile.threshold()).isEqualTo(0.5);
            assertThat(fromFile.perFraudType()).containsKeys("scripted_bot", "click_farming");

            // the same file added again maps to the same version
            assertThat(svc.addModelFile(out)).isEqualTo(r1.modelId());
        }
    }

    @Test
    void aComparisonRowBecomesTheActiveModel(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(60, 10, 4), true);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE);
            var req = ModelService.TrainRequest.forComparisonRow("ensemble:stacked", "labels", List.of("markov", "zscore"), 3);
            var r = svc.train(req, null, ProgressListener.NONE);
            assertThat(r.active()).isTrue();
            assertThat(svc.active().orElseThrow().id()).isEqualTo(r.modelId());
            assertThat(r.report().details()).containsEntry("combination", "stacked");
            assertThat(r.evaluation().rocAuc()).isGreaterThan(0.9);
            var single = ModelService.TrainRequest.forComparisonRow("iforest", "labels", List.of("iforest"), 3);
            assertThat(single.excludeFraud()).isTrue();
            assertThat(single.detector()).isEqualTo("iforest");
        }
    }

    @Test
    void cancelledTrainingStoresNothing(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(20, 2, 2), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            ProgressListener cancelAfterLoad = new ProgressListener() {
                volatile boolean loaded;

                @Override
                public void progress(double fraction, String message) {
                    loaded |= fraction >= 0.1;
                }

                @Override
                public boolean isCancelled() {
                    return loaded;
                }
            };
            Path out = dir.resolve("m.swm");
            assertThatThrownBy(() -> svc.train(ModelService.TrainRequest.of("markov"), out, cancelAfterLoad))
                    .isInstanceOf(CancelledException.class);
            assertThat(svc.versions()).isEmpty();
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void evaluationWithoutLabelsIsAClearError(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(20, 2, 3), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            var r = svc.train(ModelService.TrainRequest.of("markov"), null, ProgressListener.NONE);
            assertThat(r.evaluation()).isNull();
            assertThatThrownBy(() -> svc.evaluate(r.modelId(), null, Double.NaN, ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("no fraud labels");
        }
    }
}

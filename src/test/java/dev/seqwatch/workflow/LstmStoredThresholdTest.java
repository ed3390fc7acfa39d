package dev.seqwatch.workflow;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.detect.lstm.LstmDetector;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: without labels the LSTM stores a threshold from its training users' scores; it is reloaded and used. */
class LstmStoredThresholdTest {

    @Test
    void unsupervisedThresholdIsTheTrainingQuantileStoredAndReloaded(@TempDir Path dir) throws Exception {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(40, 4, 5), false); // no labels
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            Path out = dir.resolve("m.swm");
            var r = svc.train(new ModelService.TrainRequest("lstm", 2, 1, false,
                    Map.of("hidden", "8", "embed", "4", "layers", "1", "threshold_quantile", "0.75"), false), out, ProgressListener.NONE);
            assertThat(r.evaluation()).isNull();
            double t = svc.calibratedThreshold(r.modelId());
            assertThat(t).isFinite();
            assertThat(svc.calibrationMethod(r.modelId())).contains("0.75 quantile").contains("training users").contains("no labels");
            // the same value travels in the model file and survives a reload
            LstmDetector back = LstmDetector.load(out);
            assertThat(back.unsupervisedThreshold()).isEqualTo(t);
            // it is the 0.75 quantile of the training users' own scores: at most a quarter of them score at or above it,
            // and the user at the quantile's rank scores just below it
            SequenceSet all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
            Scores s = back.score(all, ProgressListener.NONE);
            double[] v = s.users().stream().mapToDouble(UserScores::score).sorted().toArray();
            long above = java.util.Arrays.stream(v).filter(x -> x >= t).count();
            assertThat(above).isLessThanOrEqualTo(v.length / 4);
            int k = (int) Math.ceil(0.75 * v.length) - 1;
            assertThat(v[k]).isLessThan(t);
            assertThat(Math.nextUp(v[k])).isEqualTo(t);
        }
    }
}

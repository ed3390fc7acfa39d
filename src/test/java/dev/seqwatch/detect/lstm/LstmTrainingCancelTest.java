package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import dev.seqwatch.workflow.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LSTM training through ModelService: cancelling mid-epoch, and --exclude-fraud with labels. */
class LstmTrainingCancelTest {
    @Test
    void cancelMidTrainingLeavesNoVersionAndTheOldFileUntouched(@TempDir Path dir) throws Exception {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(30, 2, 5), false);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            Path out = dir.resolve("lstm.swm");
            byte[] old = "an earlier model the user keeps".getBytes();
            Files.write(out, old);
            int[] lossesSeen = new int[1];
            ProgressListener cancelAfterFirstEpoch = new ProgressListener() {
                @Override
                public void progress(double fraction, String message) {
                }

                @Override
                public void metric(String name, double x, double value) {
                    lossesSeen[0]++;
                }

                @Override
                public boolean isCancelled() {
                    return lossesSeen[0] >= 1;
                }
            };
            var req = new ModelService.TrainRequest("lstm", 4, 1, false,
                    Map.of("hidden", "8", "embed", "4", "layers", "1", "batch", "8"), false);
            assertThatThrownBy(() -> svc.train(req, out, cancelAfterFirstEpoch)).isInstanceOf(CancelledException.class);
            assertThat(lossesSeen[0]).isEqualTo(1); // stopped inside the second epoch, not after training
            assertThat(svc.versions()).isEmpty();
            assertThat(Files.readAllBytes(out)).isEqualTo(old);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".model-"));
            }
        }
    }

    @Test
    void excludeFraudStillTrainsTheSupervisedHeadOnTheLabelledFraudUsers(@TempDir Path dir) {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(20, 4, 6), true);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            var req = new ModelService.TrainRequest("lstm", 2, 1, true,
                    Map.of("hidden", "8", "embed", "4", "layers", "1", "batch", "8"), false);
            var r = svc.train(req, null, ProgressListener.NONE);
            assertThat(r.excludedFraudUsers()).isEqualTo(4);
            assertThat(r.report().users()).isEqualTo(20); // the LSTM saw only the normal users
            assertThat(((LstmDetector) r.detector()).hasSupervisedHead()).isTrue();
        }
    }
}

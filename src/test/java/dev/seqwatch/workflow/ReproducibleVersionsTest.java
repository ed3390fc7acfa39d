package dev.seqwatch.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A version records what it was trained on, and training again with the same record gives the same scores. */
class ReproducibleVersionsTest {

    @Test
    void theSameRecordTrainsTheSameModel(@TempDir Path dir) throws Exception {
        try (Workspace ws = TinySessions.openFresh(dir.resolve("ws"))) {
            TinySessions.store(ws, TinySessions.generate(30, 6, 4), true);
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            ModelService.TrainRequest req = new ModelService.TrainRequest("lstm", 2, 11, true,
                    Map.of("hidden", "8", "embed", "4", "layers", "1"), false);
            int a = svc.train(req, null, ProgressListener.NONE).modelId();
            int b = svc.train(req, null, ProgressListener.NONE).modelId();
            List<ModelDao.ModelRecord> versions = svc.versions();
            JsonNode ra = new ObjectMapper().readTree(versions.get(0).trainedOnJson());
            JsonNode rb = new ObjectMapper().readTree(versions.get(1).trainedOnJson());
            for (String key : List.of("imports", "label_history_to", "cpu_threads", "application_version", "users", "events")) {
                assertThat(ra.has(key)).as(key).isTrue();
                assertThat(rb.get(key)).as(key).isEqualTo(ra.get(key));
            }
            assertThat(ra.path("imports").get(0).path("sha256").asText()).hasSize(64);
            assertThat(ra.path("label_history_to").asLong()).isEqualTo(36); // every tiny-session user is labelled
            assertThat(versions.get(1).paramsJson()).isEqualTo(versions.get(0).paramsJson());

            List<UserScores> sa = svc.score(a, ProgressListener.NONE).scores().users();
            List<UserScores> sb = svc.score(b, ProgressListener.NONE).scores().users();
            assertThat(sa).hasSize(36);
            for (int i = 0; i < sa.size(); i++) {
                assertThat(sb.get(i).userId()).isEqualTo(sa.get(i).userId());
                assertThat(sb.get(i).score()).as(sa.get(i).userId()).isEqualTo(sa.get(i).score());
                assertThat(sb.get(i).steps()).isEqualTo(sa.get(i).steps());
            }

            // a different seed is a different model (the comparison above can fail)
            int c = svc.train(new ModelService.TrainRequest("lstm", 2, 12, true, req.params(), false), null,
                    ProgressListener.NONE).modelId();
            List<UserScores> sc = svc.score(c, ProgressListener.NONE).scores().users();
            assertThat(sc.get(0).score()).isNotEqualTo(sa.get(0).score());
        }
    }
}

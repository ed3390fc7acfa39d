package dev.seqwatch.workflow;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleSessionTest {
    @TempDir
    Path dir;

    private Path writeSample() throws Exception {
        Path src = dir.resolve("demo");
        Files.createDirectories(src);
        List<String> ev = new ArrayList<>(List.of("user_id,timestamp,action,item_id,category_id,amount"));
        String[] flow = {"view", "view", "cart", "buy"};
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 8; i++) {
                String a = u == 7 ? "buy" : flow[i % 4];
                ev.add(String.format("u%02d,2026-03-01T00:%02d:%02dZ,%s,i%d,c%d,%s", u, i, u, a, i, u % 3,
                        a.equals("buy") ? "9.5" : ""));
            }
        }
        Files.write(src.resolve("events.csv"), ev);
        Files.write(src.resolve("labels.csv"), List.of("user_id,label,fraud_type,note", "u07,fraud,scripted_bot,", "u01,normal,,"));
        return src;
    }

    @Test
    void firstOpenImportsTrainsAndScoresThenReopenOnlyOpens() throws Exception {
        Path src = writeSample();
        System.setProperty("seqwatch.samples", src.toString());
        try {
            assertThat(SampleSession.locate()).isEqualTo(src.toAbsolutePath().normalize());
            List<String> messages = new ArrayList<>();
            ProgressListener p = new ProgressListener() {
                @Override
                public void progress(double f, String m) {
                    messages.add(m);
                }

                @Override
                public boolean isCancelled() {
                    return false;
                }
            };
            try (Workspace ws = SampleSession.open(dir.resolve("samples"), DetectorRegistry.standard(), p)) {
                long events = ws.read(c -> new EventDao().countEvents(c));
                assertThat(events).isEqualTo(240);
                assertThat(ws.read(c -> new LabelDao().current(c)).fraudUsers()).containsExactly("u07");
                assertThat(ws.read(c -> new LabelDao().history(c, "u07")).get(0).analyst()).isEqualTo(SampleSession.ANALYST);
                var model = ws.read(c -> new ModelDao().active(c)).orElseThrow();
                assertThat(model.detector()).isEqualTo(SampleSession.FIRST_DETECTOR);
                List<ScoreDao.UserScoreRow> scores = ws.read(c -> new ScoreDao().userScores(c, model.id()));
                assertThat(scores).hasSize(30);
            }
            assertThat(messages).contains("sample session ready");
            try (Workspace ws = SampleSession.open(dir.resolve("samples"), DetectorRegistry.standard(), ProgressListener.NONE)) {
                long events = ws.read(c -> new EventDao().countEvents(c));
                assertThat(events).isEqualTo(240); // not imported twice
                List<ModelDao.ModelRecord> models = ws.read(c -> new ModelDao().list(c));
                assertThat(models).hasSize(1);
            }
        } finally {
            System.clearProperty("seqwatch.samples");
        }
    }

    @Test
    void cancelledFirstOpenLeavesNoModelAndABadSampleFileSaysWhere() throws Exception {
        Path src = writeSample();
        ProgressListener cancelled = new ProgressListener() {
            @Override
            public void progress(double f, String m) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        try (Workspace ws = Workspace.open(dir.resolve("w"))) {
            // the load commits only at the end; a cancelled model step keeps the events but no model
            assertThatThrownBy(() -> SampleSession.prepare(ws, src, DetectorRegistry.standard(), cancelled))
                    .isInstanceOf(CancelledException.class);
            List<ModelDao.ModelRecord> models = ws.read(c -> new ModelDao().list(c));
            assertThat(models).isEmpty();
        }
        // the sample goes through the real importer: columns are auto-detected, bad rows quarantined
        Files.write(src.resolve("events.csv"), List.of("uid,ts,event", "a,not-a-time,view", "b,,view"));
        try (Workspace ws = Workspace.open(dir.resolve("w2"))) {
            assertThatThrownBy(() -> SampleSession.prepare(ws, src, DetectorRegistry.standard(), ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("events.csv")
                    .hasMessageContaining("no valid rows");
            long events = ws.read(c -> new EventDao().countEvents(c));
            assertThat(events).isZero();
        }
    }
}

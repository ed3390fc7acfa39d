package dev.seqwatch.ui.vm;

import dev.seqwatch.ingest.Field;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.common.CurrentThreadTaskExecutor;
import dev.seqwatch.ui.importer.ImportViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The import dialog's view-model on a real workspace, synchronously. */
class ImportViewModelTest {
    @TempDir
    Path dir;

    private Path log() throws Exception {
        List<String> lines = new ArrayList<>(List.of("visitorid,event_time,behavior_type,itemid,price"));
        for (int i = 0; i < 40; i++) {
            lines.add("u" + (i % 4) + ",2026-03-01T10:" + String.format("%02d", i) + ":00Z,view,i" + i + "," + (i % 5) + ".5");
        }
        lines.add("u9,yesterday,view,i1,1.0");      // line 42: bad timestamp
        lines.add(",2026-03-01T11:00:00Z,view,i1,1.0"); // line 43: no user
        Path f = dir.resolve("shop.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void previewDetectsColumnsAndTypesThenImportListsRejectedRows() throws Exception {
        CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor();
        int[] reloads = {0};
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            ImportViewModel vm = new ImportViewModel(ws, tasks, () -> reloads[0]++);
            vm.choose(log());
            assertThat(vm.columns()).extracting(ImportViewModel.PreviewColumn::name)
                    .containsExactly("visitorid", "event_time", "behavior_type", "itemid", "price");
            assertThat(vm.columns()).extracting(ImportViewModel.PreviewColumn::type)
                    .containsExactly("text", "text", "text", "text", "decimal");
            assertThat(vm.rows()).hasSize(ImportViewModel.PREVIEW_ROWS < 42 ? ImportViewModel.PREVIEW_ROWS : 42);
            assertThat(vm.mappingProperty(Field.USER).get()).isEqualTo(0);
            assertThat(vm.mappingProperty(Field.TIME).get()).isEqualTo(1);
            assertThat(vm.mappingProperty(Field.ACTION).get()).isEqualTo(2);
            assertThat(vm.mappingProperty(Field.CATEGORY).get()).isEqualTo(-1);
            assertThat(vm.mappingProperty(Field.AMOUNT).get()).isEqualTo(4);
            assertThat(vm.problemProperty().get()).isEmpty();

            // unmapping a required field is explained and blocks the import
            vm.mappingProperty(Field.ACTION).set(-1);
            assertThat(vm.validate()).isFalse();
            assertThat(vm.problemProperty().get()).contains("action").contains("required");
            vm.startImport();
            assertThat((long) ws.read(c -> new EventDao().countEvents(c))).isZero();
            vm.mappingProperty(Field.ACTION).set(2);
            assertThat(vm.validate()).isTrue();
            // an optional column found by its name cannot be switched off silently
            vm.mappingProperty(Field.AMOUNT).set(-1);
            assertThat(vm.validate()).isFalse();
            assertThat(vm.problemProperty().get()).contains("'price'");
            vm.mappingProperty(Field.AMOUNT).set(4);
            assertThat(vm.validate()).isTrue();

            vm.startImport();
            assertThat(tasks.unhandledErrors()).isEmpty();
            assertThat(vm.resultProperty().get().stored()).isEqualTo(40L);
            assertThat(vm.resultProperty().get().rejected()).isEqualTo(2);
            assertThat(vm.rejections()).extracting(r -> r.lineNo()).containsExactly(42L, 43L);
            assertThat(vm.rejections().get(0).reason()).isNotBlank();
            assertThat(vm.rejections().get(0).raw()).contains("yesterday");
            assertThat(vm.messageProperty().get()).startsWith("Imported 40 events from 42 rows").contains("2 rows were rejected");
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(reloads[0]).isEqualTo(1);
            assertThat((long) ws.read(c -> new EventDao().countEvents(c))).isEqualTo(40L);

            // the same file again is refused with the importer's own message
            vm.startImport();
            assertThat(vm.messageProperty().get()).contains("already imported");
        }
    }

    @Test
    void cancelledImportStoresNothing() throws Exception {
        CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor();
        try (Workspace ws = Workspace.open(dir.resolve("ws2"))) {
            ImportViewModel vm = new ImportViewModel(ws, tasks, () -> { });
            vm.choose(log());
            tasks.requestCancel(true);
            vm.startImport();
            assertThat(vm.messageProperty().get()).isEqualTo("Import cancelled; nothing was stored.");
            assertThat((long) ws.read(c -> new EventDao().countEvents(c))).isZero();
            assertThat(vm.busyProperty().get()).isFalse();
        }
    }

    @Test
    void fileWithoutHeaderNeedsPositionsAndSaysSo() throws Exception {
        Path f = dir.resolve("raw.csv");
        Files.write(f, List.of("u1,1772359200,view", "u1,1772359260,buy"));
        try (Workspace ws = Workspace.open(dir.resolve("ws3"))) {
            ImportViewModel vm = new ImportViewModel(ws, new CurrentThreadTaskExecutor(), () -> { });
            vm.headerProperty().set(false);
            vm.choose(f);
            assertThat(vm.columns()).extracting(ImportViewModel.PreviewColumn::name).containsExactly("column 0", "column 1", "column 2");
            assertThat(vm.columns().get(1).type()).isEqualTo("integer");
            assertThat(vm.problemProperty().get()).contains("user");
            vm.mappingProperty(Field.USER).set(0);
            vm.mappingProperty(Field.TIME).set(1);
            vm.mappingProperty(Field.ACTION).set(2);
            assertThat(vm.validate()).isTrue();
            vm.timeFormatProperty().set("epoch-s");
            vm.startImport();
            assertThat(vm.resultProperty().get().stored()).isEqualTo(2);
        }
    }
}

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

    @Test
    void theHeaderIsDetectedPerFileSoAHeaderlessFileAfterAHeadedOneMapsRight() throws Exception {
        Path headed = log();
        // Taobao's user behaviour log: no header, user,item,category,behaviour,epoch seconds
        Path taobao = dir.resolve("UserBehavior.csv");
        Files.write(taobao, List.of("1,2268318,2520377,pv,1511544070", "1,2333346,2520771,pv,1511561733",
                "1,2576651,149192,pv,1511572885", "100,3830808,4181361,buy,1511593493"));
        CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor();
        try (Workspace ws = Workspace.open(dir.resolve("ws4"))) {
            ImportViewModel vm = new ImportViewModel(ws, tasks, () -> { });
            vm.choose(headed);
            assertThat(vm.headerProperty().get()).isTrue();
            assertThat(vm.headerNoteProperty().get()).startsWith("detected: ");
            assertThat(vm.columns().get(0).name()).isEqualTo("visitorid");
            assertThat(vm.sampleProperty(Field.USER).get()).isEqualTo("e.g. u0, u1, u2");
            assertThat(vm.sampleProperty(Field.TIME).get())
                    .startsWith("2026-03-01T10:00:00Z \u2192 2026-03-01 10:00:00 UTC;  2026-03-01T10:01:00Z \u2192 2026-03-01 10:01:00 UTC");
            assertThat(vm.sampleProperty(Field.CATEGORY).get()).isEmpty(); // not in the file

            vm.choose(taobao);
            assertThat(vm.headerProperty().get()).as(vm.headerNoteProperty().get()).isFalse();
            assertThat(vm.headerNoteProperty().get()).isEqualTo("detected: the first row is data ('1' like the rows below)");
            assertThat(vm.rows()).hasSize(4); // the first row is data, not column names
            assertThat(vm.columns()).extracting(ImportViewModel.PreviewColumn::name)
                    .containsExactly("column 0", "column 1", "column 2", "column 3", "column 4");
            vm.mappingProperty(Field.USER).set(0);
            vm.mappingProperty(Field.ITEM).set(1);
            vm.mappingProperty(Field.CATEGORY).set(2);
            vm.mappingProperty(Field.ACTION).set(3);
            vm.mappingProperty(Field.TIME).set(4);
            assertThat(vm.sampleProperty(Field.ACTION).get()).isEqualTo("e.g. pv, buy");
            assertThat(vm.sampleProperty(Field.TIME).get()).startsWith("1511544070 \u2192 2017-11-24 17:21:10 UTC");
            // a wrong time format says so in the mapping, before the import
            vm.timeFormatProperty().set("epoch-ms");
            assertThat(vm.sampleProperty(Field.TIME).get()).startsWith("1511544070 \u2192 not read as epoch milliseconds: ");
            vm.timeFormatProperty().set("auto");
            assertThat(vm.validate()).isTrue();
            vm.startImport();
            assertThat(tasks.unhandledErrors()).isEmpty();
            assertThat(vm.resultProperty().get().stored()).isEqualTo(4L);
            assertThat(vm.resultProperty().get().rejected()).isZero();

            // back to the headed file: detected again, not carried over from the Taobao one
            vm.choose(headed);
            assertThat(vm.headerProperty().get()).isTrue();
            vm.startImport();
            assertThat(vm.resultProperty().get().stored()).isEqualTo(40L);
            assertThat((long) ws.read(c -> new EventDao().countEvents(c))).isEqualTo(44L);

            // the same content again: refused with the dialog's own words, then imported with the checkbox
            vm.choose(taobao);
            assertThat(vm.validate()).as("without a header the columns are chosen by position").isFalse();
            for (Field f : List.of(Field.USER, Field.ITEM, Field.CATEGORY, Field.ACTION, Field.TIME)) {
                vm.mappingProperty(f).set(List.of(Field.USER, Field.ITEM, Field.CATEGORY, Field.ACTION, Field.TIME).indexOf(f));
            }
            vm.startImport();
            assertThat(vm.messageProperty().get()).contains("already imported")
                    .contains("tick \"" + ImportViewModel.FORCE_TEXT + "\"").doesNotContain("--force");
            vm.forceProperty().set(true);
            vm.startImport();
            assertThat(vm.resultProperty().get()).isNotNull();
            // forced through the same-file check; the importer still drops events it already holds
            assertThat(vm.messageProperty().get()).startsWith("Imported 0 events from 4 rows").contains("4 duplicates");
            vm.choose(headed);
            assertThat(vm.forceProperty().get()).as("force is per file").isFalse();

            // the analyst's own choice re-reads the preview and says so
            vm.headerProperty().set(false);
            assertThat(vm.headerNoteProperty().get()).isEqualTo("set by you: the first row is data");
            assertThat(vm.rows().get(0).get(0)).isEqualTo("visitorid");

            // reopening the dialog shows nothing of the last file
            vm.reset();
            assertThat(vm.fileProperty().get()).isNull();
            assertThat(vm.messageProperty().get()).isEmpty();
            assertThat(vm.problemProperty().get()).isEmpty();
            assertThat(vm.headerNoteProperty().get()).isEmpty();
            assertThat(vm.columns()).isEmpty();
            assertThat(vm.rows()).isEmpty();
            assertThat(vm.resultProperty().get()).isNull();
            assertThat(vm.sampleProperty(Field.USER).get()).isEmpty();
        }
    }

    @Test
    void headerGuessOnTypicalFirstRows() {
        assertThat(dev.seqwatch.ui.importer.HeaderGuess.of(List.of(List.of("user_id", "ts", "action"),
                List.of("u1", "1700000000", "view"), List.of("u2", "1700000100", "buy"))).header()).isTrue();
        // ISO times below a name
        assertThat(dev.seqwatch.ui.importer.HeaderGuess.of(List.of(List.of("who", "when", "what"),
                List.of("a", "2026-03-01T10:00:00Z", "view"), List.of("b", "2026-03-01T10:05:00Z", "buy"))).header()).isTrue();
        // text only: known column names are a header, a value that recurs below is data
        assertThat(dev.seqwatch.ui.importer.HeaderGuess.of(List.of(List.of("user", "timestamp", "event"),
                List.of("a", "x", "view"))).header()).isTrue();
        assertThat(dev.seqwatch.ui.importer.HeaderGuess.of(List.of(List.of("a", "yesterday", "view"),
                List.of("b", "today", "view"))).header()).isFalse();
        // a first row of numbers where the rows below hold numbers is data
        assertThat(dev.seqwatch.ui.importer.HeaderGuess.of(List.of(List.of("7", "1700000000"),
                List.of("8", "1700000100"))).header()).isFalse();
    }
}

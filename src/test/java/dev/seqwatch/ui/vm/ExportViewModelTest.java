package dev.seqwatch.ui.vm;

import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.TestWorkspaces;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.CurrentThreadTaskExecutor;
import dev.seqwatch.ui.export.ExportViewModel;
import dev.seqwatch.workflow.InvestigationService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The File menu's exports use what the analyst sees: the slider thresholds and the selected user. */
class ExportViewModelTest {
    @TempDir
    Path dir;

    @Test
    void exportsUseTheSliderThresholdsTheSelectedUserAndReportProgress() throws Exception {
        try (Workspace ws = TestWorkspaces.scored(dir, 40)) {
            CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor();
            WorkspaceModel model = new WorkspaceModel(new InvestigationService(ws, "alice"), tasks);
            model.reload(null);
            ExportViewModel vm = new ExportViewModel(model);
            assertThat(vm.hasScores()).isTrue();
            List<String> done = new ArrayList<>();

            // the slider's threshold decides who is flagged: the 5th score flags exactly the top 5
            model.userThresholdProperty().set(model.rows().get(4).score());
            vm.exportFlagged(dir.resolve("f.csv"), done::add);
            assertThat(Files.readAllLines(dir.resolve("f.csv"))).hasSize(6);
            assertThat(done.get(0)).startsWith("5 flagged users");
            assertThat(tasks.progressMessages()).isNotEmpty();

            assertThatThrownBy(() -> vm.caseReport(dir.resolve("c.html"), done::add))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("select a user");
            model.selectedUserProperty().set("u10");
            vm.caseReport(dir.resolve("c.html"), done::add);
            assertThat(Files.readString(dir.resolve("c.html"))).contains("Case report").contains("u10");

            vm.backup(dir.resolve("b.zip"), done::add);
            Path[] restored = new Path[1];
            vm.restore(dir.resolve("b.zip"), dir.resolve("copy"), false, p -> restored[0] = p);
            assertThat(restored[0]).isEqualTo(dir.resolve("copy.mv.db").toAbsolutePath());
            assertThat(tasks.unhandledErrors()).isEmpty();

            // restoring over the open workspace fails with a readable error, through the executor
            vm.restore(dir.resolve("b.zip"), ws.file(), true, p -> { });
            assertThat(tasks.unhandledErrors()).singleElement().extracting(Throwable::getMessage).asString().contains("is open");
        }
    }
}

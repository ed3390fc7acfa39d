package dev.seqwatch.ui.fx;

import dev.seqwatch.ui.app.QueueRow;
import dev.seqwatch.ui.app.WorkbenchApp;
import dev.seqwatch.ui.app.WorkspaceViews;
import dev.seqwatch.ui.importer.ImportViewModel;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new, empty workspace in the real window (Monocle): the import dialog with a headed file, then the
 * queue before any model exists (imported users by event count, not "No users yet").
 */
class ImportFlowFxTest {
    @TempDir
    static Path dir;
    static WorkbenchApp app;
    final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("seqwatch.home", dir.resolve("home").toString());
        System.setProperty("headless.geometry", "1600x1000-32");
        FxToolkit.registerPrimaryStage();
        app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class);
        FxRobot robot = new FxRobot();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#startPage").tryQuery().isPresent());
        robot.interact(() -> app.window().openWorkspace(dir.resolve("fresh")));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.window().views() != null
                && robot.lookup("#summary").tryQuery().isPresent());
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> c, java.util.function.Supplier<String> state) {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; state: " + state.get());
        }
    }

    /** u1 has 3 events, u2 2, u3 1. */
    static Path headed() throws Exception {
        return Files.writeString(dir.resolve("headed.csv"), """
                user_id,timestamp,action,item_id
                u2,1700000000,view,i1
                u1,1700000010,view,i2
                u1,1700000020,cart,i2
                u3,1700000030,view,i3
                u1,1700000040,buy,i2
                u2,1700000050,view,i4
                """);
    }

    @Test
    void afterAnImportTheQueueListsTheImportedUsersBeforeAnyModel() throws Exception {
        WorkspaceViews views = app.window().views();
        javafx.scene.control.Labeled summary = robot.lookup("#summary").queryLabeled();
        waitUntil(() -> summary.getText().equals("No users yet: import events"), summary::getText);

        robot.interact(() -> views.importDialog().show());
        ImportViewModel vm = views.importDialog().viewModel();
        Path file = headed();
        robot.interact(() -> vm.choose(file)); // the native file chooser cannot be driven here
        waitUntil(() -> vm.columns().size() == 4 && !robot.lookup("#importStart").queryButton().isDisabled(),
                () -> vm.columns() + " / " + vm.problemProperty().get());
        robot.clickOn("#importStart");
        javafx.scene.control.Labeled message = robot.lookup("#importMessage").queryLabeled();
        waitUntil(() -> message.getText().startsWith("Imported 6 events"), message::getText);
        robot.interact(() -> views.importDialog().stage().hide());

        TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
        waitUntil(() -> table.getItems().size() == 3, () -> table.getItems().toString());
        assertThat(table.getItems()).extracting(QueueRow::userId).containsExactly("u1", "u2", "u3");
        assertThat(table.getItems()).extracting(QueueRow::events).containsExactly(3, 2, 1);
        waitUntil(() -> summary.getText().startsWith("3 users imported (6 events), not scored yet"), summary::getText);
        assertThat(table.getColumns().get(2).getText()).isEqualTo("Events");
        // the user opens like any other: its timeline shows its events
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").match((javafx.scene.control.TableRow<QueueRow> r) ->
                r.getItem() != null && "u1".equals(r.getItem().userId())).queryAs(javafx.scene.Node.class));
        waitUntil(() -> "u1".equals(views.model().selectedUserProperty().get()), () -> views.model().selectedUserProperty().get());
        waitUntil(() -> robot.lookup(".timeline-view .view-title").queryLabeled().getText().contains("User u1 "),
                () -> robot.lookup(".timeline-view .view-title").queryLabeled().getText());
    }
}

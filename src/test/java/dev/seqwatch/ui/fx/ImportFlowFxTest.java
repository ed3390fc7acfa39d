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
 * queue before any model exists (imported users by event count, not "No users yet"); then a header-less
 * file after the headed one (header detected per file, sample values and parsed times in the mapping,
 * the force checkbox, a fresh dialog on reopen).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
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
    @org.junit.jupiter.api.Order(1)
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

    @Test
    @org.junit.jupiter.api.Order(2)
    void aHeaderlessFileAfterTheHeadedOneIsDetectedAndMappedRight() throws Exception {
        WorkspaceViews views = app.window().views();
        ImportViewModel vm = views.importDialog().viewModel();
        // reopening shows nothing of the last import
        robot.interact(() -> views.importDialog().show());
        javafx.scene.control.Labeled message = robot.lookup("#importMessage").queryLabeled();
        javafx.scene.control.CheckBox header = robot.lookup("#importHeader").queryAs(javafx.scene.control.CheckBox.class);
        javafx.scene.control.CheckBox force = robot.lookup("#importForce").queryAs(javafx.scene.control.CheckBox.class);
        waitUntil(() -> message.getText().isEmpty(), message::getText);
        assertThat(robot.lookup("#importFile").queryLabeled().getText()).isEqualTo("No file chosen");
        assertThat(force.isSelected()).isFalse();

        Path raw = Files.writeString(dir.resolve("UserBehavior.csv"), """
                7,2268318,2520377,pv,1511544070
                7,2333346,2520771,pv,1511561733
                8,2576651,149192,buy,1511572885
                """);
        robot.interact(() -> vm.choose(raw));
        waitUntil(() -> vm.columns().size() == 5, () -> vm.columns().toString());
        waitUntil(() -> !header.isSelected(), () -> "header ticked for a header-less file");
        assertThat(robot.lookup("#importHeaderNote").queryLabeled().getText()).startsWith("detected: the first row is data");
        TableView<?> preview = robot.lookup("#importPreview").queryTableView();
        assertThat(preview.getItems()).hasSize(3);
        // by position: choose each column in the mapping as the analyst would
        String[] fields = {"user", "item", "category", "action", "time"};
        for (int i = 0; i < fields.length; i++) {
            int col = i;
            javafx.scene.control.ComboBox<Integer> box = robot.lookup("#map-" + fields[i]).queryComboBox();
            robot.interact(() -> box.setValue(col));
        }
        javafx.scene.control.Labeled time = robot.lookup("#sample-time").queryLabeled();
        waitUntil(() -> time.getText().startsWith("1511544070 \u2192 2017-11-24 17:21:10 UTC"), time::getText);
        assertThat(robot.lookup("#sample-action").queryLabeled().getText()).isEqualTo("e.g. pv, buy");
        waitUntil(() -> !robot.lookup("#importStart").queryButton().isDisabled(), () -> vm.problemProperty().get());
        robot.clickOn("#importStart");
        waitUntil(() -> message.getText().startsWith("Imported 3 events from 3 rows"), message::getText);

        // the headed file again after the header-less one: detected as headed, its names mapped
        robot.interact(() -> vm.choose(dir.resolve("headed.csv")));
        waitUntil(header::isSelected, () -> "header not detected");
        waitUntil(() -> vm.columns().size() == 4 && "user_id".equals(vm.columns().get(0).name()), () -> vm.columns().toString());
        assertThat(robot.lookup("#map-user").queryComboBox().getValue()).isEqualTo(0);
        assertThat(robot.lookup("#sample-user").queryLabeled().getText()).isEqualTo("e.g. u2, u1, u3");
        waitUntil(() -> message.getText().isEmpty(), message::getText);
        robot.clickOn("#importStart");
        waitUntil(() -> message.getText().contains("already imported"), message::getText);
        assertThat(message.getText()).contains(ImportViewModel.FORCE_TEXT).doesNotContain("--force");
        robot.clickOn(force);
        robot.clickOn("#importStart");
        waitUntil(() -> message.getText().startsWith("Imported 0 events from 6 rows"), message::getText);
        robot.interact(() -> views.importDialog().stage().hide());
        TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
        waitUntil(() -> table.getItems().size() == 5, () -> table.getItems().toString());
    }
}

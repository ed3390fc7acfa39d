package dev.seqwatch.ui.fx;

import dev.seqwatch.common.Label;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.generate.GeneratorConfig;
import dev.seqwatch.generate.SessionGenerator;
import dev.seqwatch.workflow.SampleSession;
import dev.seqwatch.ui.app.QueueRow;
import dev.seqwatch.ui.app.WorkbenchApp;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the real workbench window headless (Monocle): the start page's "Open the sample session"
 * (a small generated sample: the real import, training and scoring path), then select, threshold,
 * keyboard labelling with its audit row, heatmap click, and a retrain that is cancelled.
 */
class WorkbenchFxTest {
    static final int SAMPLE_USERS = 150;
    @TempDir
    static Path dir;
    static WorkbenchApp app;
    static int users;
    final FxRobot robot = new FxRobot();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("seqwatch.home", dir.resolve("home").toString());
        // Monocle's headless screen is 1280x800 by default; the window (1400x900) would overflow it
        System.setProperty("headless.geometry", "1600x1000-32");
        // the sample session, small: same files as sample-sessions/demo (events, labels, truth)
        Path sample = dir.resolve("sample");
        new SessionGenerator(new GeneratorConfig(SAMPLE_USERS, 0.1, 42, Instant.parse("2026-03-01T00:00:00Z"), 7))
                .generate(sample, ProgressListener.NONE);
        System.setProperty("seqwatch.samples", sample.toString());
        FxToolkit.registerPrimaryStage();
        app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class);
        FxRobot robot = new FxRobot();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#startPage").tryQuery().isPresent());
        robot.clickOn("#sampleButton");
        // first open imports, trains and scores; the queue shows the scored users
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> app.window().views() != null
                && !app.window().views().model().rows().isEmpty()
                && app.window().views().model().activeModelProperty().get() != null);
        users = app.window().views().model().rows().size();
        assertThat(users).isGreaterThan(SAMPLE_USERS * 9 / 10);
        assertThat(app.window().views().model().activeModelProperty().get().detector()).isEqualTo(SampleSession.FIRST_DETECTOR);
        assertThat(app.window().views().model().labelSetProperty().get().fraudUsers()).isNotEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        System.clearProperty("seqwatch.samples");
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> c, java.util.function.Supplier<String> state) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; state: " + state.get());
        }
    }

    @Test
    void selectUserMoveThresholdAndLabelWithTheKeyboard() throws Exception {
        TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").nth(1).queryAs(javafx.scene.Node.class));
        String user = table.getSelectionModel().getSelectedItem().userId();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () ->
                robot.lookup(".timeline-view .view-title").queryLabeled().getText().contains("User " + user + " "));

        // thresholds: the slider's Home key moves it to the lowest score, so every user is flagged
        javafx.scene.control.Labeled users = robot.lookup("#usersText").queryLabeled();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> users.getText().contains("of " + WorkbenchFxTest.users + " users flagged"));
        String before = users.getText();
        Slider slider = robot.lookup("#userSlider").queryAs(Slider.class);
        robot.interact(slider::requestFocus);
        robot.type(KeyCode.HOME);
        waitUntil(() -> users.getText().startsWith(WorkbenchFxTest.users + " of " + WorkbenchFxTest.users + " users flagged"),
                () -> users.getText() + " / slider " + slider.getValue() + " min " + slider.getMin() + " focused " + slider.isFocused());
        assertThat(before).isNotEqualTo(users.getText());
        assertThat(robot.lookup("#metricsText").queryLabeled().getText()).contains("precision");

        // label with the keyboard: back to the queue, F = fraud, then 3 = account takeover
        // the row cell showing that user (virtual-flow cells are reused, so not by position)
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").match((javafx.scene.control.TableRow<QueueRow> r) ->
                r.getItem() != null && user.equals(r.getItem().userId())).queryAs(javafx.scene.Node.class));
        robot.type(KeyCode.DIGIT3);
        waitUntil(() -> {
            QueueRow r = app.window().views().model().row(user);
            return r.label() != null && "account_takeover".equals(r.label().fraudType());
        }, () -> user + " label " + app.window().views().model().row(user).label() + " selected "
                + app.window().views().model().selectedUserProperty().get() + " focus " + robot.targetWindow().getScene().getFocusOwner());
        Workspace ws = app.window().views().model().service().workspace();
        List<Label> history = ws.read(c -> new LabelDao().history(c, user));
        Label last = history.get(history.size() - 1);
        assertThat(last.fraud()).isTrue();
        assertThat(last.fraudType()).isEqualTo("account_takeover");
        assertThat(last.analyst()).isEqualTo(System.getProperty("user.name"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () ->
                robot.lookup("#currentLabel").queryLabeled().getText().equals("fraud (account_takeover)"));

        // undo with U restores the previous state (here: the user was unlabelled, so it is refused and explained)
        robot.type(KeyCode.N);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !app.window().views().model().row(user).label().fraud());
        robot.type(KeyCode.U);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> app.window().views().model().row(user).label().fraud());
        List<Label> after = ws.read(c -> new LabelDao().history(c, user));
        assertThat(after).hasSize(history.size() + 2);
        assertThat(after.get(after.size() - 1).fraudType()).isEqualTo("account_takeover");
    }

    @Test
    void oneArrowKeyMovesTheUserThresholdByOneSmallStep() {
        var model = app.window().views().model();
        Slider slider = robot.lookup("#userSlider").queryAs(Slider.class);
        javafx.scene.control.Labeled users = robot.lookup("#usersText").queryLabeled();
        waitUntil(() -> users.getText().contains("of " + WorkbenchFxTest.users + " users flagged"), users::getText);
        // the sample's ensemble was trained on its labels, so it records a calibrated threshold; Reset returns to it
        robot.clickOn("#resetUserButton");
        double calibrated = model.userThresholdProperty().get();
        assertThat(robot.lookup("#thresholdDefaultText").queryLabeled().getText()).contains("calibrated when the model was trained");
        double step = slider.getBlockIncrement();
        assertThat(step).isCloseTo((slider.getMax() - slider.getMin()) / 100, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(calibrated - step).isGreaterThan(slider.getMin());
        robot.interact(slider::requestFocus);
        robot.type(KeyCode.LEFT);
        waitUntil(() -> Math.abs(model.userThresholdProperty().get() - (calibrated - step)) < 1e-9,
                () -> "threshold " + model.userThresholdProperty().get() + " expected " + (calibrated - step));
        javafx.scene.control.TextField field = robot.lookup("#userThresholdField").queryAs(javafx.scene.control.TextField.class);
        waitUntil(() -> field.getText().equals(String.format(java.util.Locale.ROOT, "%.4f", calibrated - step)), field::getText);
        waitUntil(() -> !users.getText().startsWith(WorkbenchFxTest.users + " of "), users::getText); // not everyone

        // "flag the top N" from its field
        javafx.scene.control.TextField topN = robot.lookup("#topNField").queryAs(javafx.scene.control.TextField.class);
        robot.clickOn(topN);
        robot.write("7");
        robot.type(KeyCode.ENTER);
        double seventh = model.rows().get(6).score();
        waitUntil(() -> model.userThresholdProperty().get() == seventh, () -> "threshold " + model.userThresholdProperty().get());
        robot.interact(() -> topN.setText(""));
        robot.clickOn("#resetUserButton");
        waitUntil(() -> model.userThresholdProperty().get() == calibrated, () -> "threshold " + model.userThresholdProperty().get());
    }

    @Test
    void startAndCancelARetrain() {
        robot.clickOn("#modelsTab .tab-label");
        int versionsBefore = app.window().views().model().activeModelId();
        javafx.scene.control.ComboBox<String> det = robot.lookup("#detectorChoice").queryComboBox();
        // a DL4J detector: loading the native backend alone takes longer than the click on Cancel
        robot.interact(() -> det.setValue("autoencoder"));
        robot.clickOn("#trainButton");
        javafx.scene.control.Labeled msg = robot.lookup("#modelsMessage").queryLabeled();
        waitUntil(() -> msg.getText().startsWith("Training autoencoder"), msg::getText);
        robot.clickOn("#cancelTrainButton");
        waitUntil(() -> msg.getText().equals("Training cancelled; no version was stored."), msg::getText);
        waitUntil(() -> !robot.lookup("#trainButton").queryButton().isDisabled(), () -> "train button still disabled");
        TableView<?> versions = robot.lookup("#versionsTable").queryTableView();
        assertThat(versions.getItems()).hasSize(1);
        assertThat(app.window().views().model().activeModelId()).isEqualTo(versionsBefore);
    }

    @Test
    void heatmapCellOpensThatUserAtThatStep() {
        robot.clickOn("#heatmapTab .tab-label");
        javafx.scene.image.ImageView image = robot.lookup("#heatmapImage .image-view").queryAs(javafx.scene.image.ImageView.class);
        waitUntil(() -> image.getImage() != null, () -> "no heatmap image");
        var views = app.window().views();
        // the cell of rank 1, third step: rows and columns are evenly spread over the image
        double cellW = image.getFitWidth() / image.getImage().getWidth();
        double cellH = image.getFitHeight() / image.getImage().getHeight();
        javafx.geometry.Point2D p = image.localToScreen(cellW * 2.5, cellH * 0.5);
        robot.clickOn(p);
        String rank1 = views.model().rows().get(0).userId();
        waitUntil(() -> rank1.equals(views.model().selectedUserProperty().get())
                && views.model().selectedStepProperty().get() == 2, () -> views.model().selectedUserProperty().get()
                + " step " + views.model().selectedStepProperty().get());
        waitUntil(() -> robot.lookup("#stepText").queryLabeled().getText().startsWith("Step 3: "),
                () -> robot.lookup("#stepText").queryLabeled().getText());
    }

    @Test
    void slashThenIdFindsTheUserAndEnterOpensIt() {
        var views = app.window().views();
        String target = views.model().rows().get(Math.min(5, views.model().rows().size() - 1)).userId();
        String first = views.model().rows().get(0).userId();
        robot.interact(() -> robot.lookup("#queueTable").queryTableView().scrollTo(0));
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").match((javafx.scene.control.TableRow<QueueRow> r) ->
                r.getScene() != null && r.getItem() != null && first.equals(r.getItem().userId())).queryAs(javafx.scene.Node.class));
        javafx.scene.control.TextField search = robot.lookup("#search").queryAs(javafx.scene.control.TextField.class);
        robot.type(KeyCode.SLASH);
        waitUntil(search::isFocused, () -> "search not focused");
        robot.write(target);
        waitUntil(() -> target.equals(search.getText()), search::getText);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> target.equals(views.model().selectedUserProperty().get()),
                () -> views.model().selectedUserProperty().get() + " / search '" + search.getText() + "'");
        robot.interact(() -> search.setText(""));
    }

    @Test
    void labellingRank4KeepsThePlaceAndJOpensRank5() {
        var views = app.window().views();
        TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").nth(3).queryAs(javafx.scene.Node.class));
        String rank4 = table.getItems().get(3).userId();
        String rank5 = table.getItems().get(4).userId();
        waitUntil(() -> rank4.equals(views.model().selectedUserProperty().get()), () -> views.model().selectedUserProperty().get());
        robot.type(KeyCode.DIGIT6);
        waitUntil(() -> views.model().row(rank4).label() != null && views.model().row(rank4).label().fraud(),
                () -> String.valueOf(views.model().row(rank4).label()));
        assertThat(table.getSelectionModel().getSelectedIndex()).isEqualTo(3);
        robot.type(KeyCode.J);
        waitUntil(() -> rank5.equals(views.model().selectedUserProperty().get()),
                () -> views.model().selectedUserProperty().get() + " selected index " + table.getSelectionModel().getSelectedIndex());
        robot.interact(() -> table.scrollTo(0)); // the other tests click rows by their position
    }

    @Test
    void uOnAFirstLabelRetractsItAndTheButtonsFollowTheUserShown() {
        var views = app.window().views();
        TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
        robot.interact(() -> table.scrollTo(0));
        // an unlabelled user among the first visible rows
        int index = -1;
        for (int i = 0; i < 8 && index < 0; i++) {
            if (table.getItems().get(i).label() == null) {
                index = i;
            }
        }
        assertThat(index).as("an unlabelled user in the first rows").isNotNegative();
        String user = table.getItems().get(index).userId();
        // the row cell showing that user (virtual-flow cells are reused, so not by position)
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").match((javafx.scene.control.TableRow<QueueRow> r) ->
                r.getItem() != null && user.equals(r.getItem().userId())).queryAs(javafx.scene.Node.class));
        waitUntil(() -> user.equals(views.model().selectedUserProperty().get()), () -> views.model().selectedUserProperty().get());
        javafx.scene.control.Button undo = robot.lookup("#undoButton").queryButton();
        javafx.scene.control.Button retract = robot.lookup("#retractButton").queryButton();
        waitUntil(() -> undo.isDisabled() && retract.isDisabled(), () -> "undo " + undo.isDisabled() + " retract " + retract.isDisabled());

        robot.type(KeyCode.N);
        waitUntil(() -> views.model().row(user).label() != null, () -> "not labelled");
        waitUntil(() -> !undo.isDisabled() && !retract.isDisabled(), () -> "undo " + undo.isDisabled() + " retract " + retract.isDisabled());
        robot.type(KeyCode.U);
        waitUntil(() -> views.model().row(user).label() == null, () -> String.valueOf(views.model().row(user).label()));
        waitUntil(() -> robot.lookup("#currentLabel").queryLabeled().getText().equals("unlabelled"),
                () -> robot.lookup("#currentLabel").queryLabeled().getText());
        waitUntil(() -> undo.isDisabled() && retract.isDisabled(), () -> "undo " + undo.isDisabled() + " retract " + retract.isDisabled());
        Workspace ws = views.model().service().workspace();
        List<Label> h = ws.read(c -> new LabelDao().history(c, user));
        assertThat(h).extracting(Label::kind).containsExactly("normal", "retracted");
        assertThat(ws.read(c -> new LabelDao().current(c)).isLabelled(user)).isFalse();
        assertThat(views.model().labelSetProperty().get().isLabelled(user)).isFalse();
        // U again: nothing left for this user, nothing written
        robot.type(KeyCode.U);
        List<Label> again = ws.read(c -> new LabelDao().history(c, user));
        assertThat(again).hasSize(2);

        // the Retract button takes back a label too; the user shown next has nothing to undo
        robot.type(KeyCode.F);
        waitUntil(() -> !retract.isDisabled(), () -> "retract disabled");
        robot.clickOn(retract);
        waitUntil(() -> views.model().row(user).label() == null, () -> String.valueOf(views.model().row(user).label()));
        List<Label> four = ws.read(c -> new LabelDao().history(c, user));
        assertThat(four).extracting(Label::kind).containsExactly("normal", "retracted", "fraud", "retracted");
        waitUntil(() -> !undo.isDisabled(), () -> "undo disabled after retract");
        robot.type(KeyCode.J);
        String next = table.getItems().get(index + 1).userId();
        waitUntil(() -> next.equals(views.model().selectedUserProperty().get()), () -> views.model().selectedUserProperty().get());
        waitUntil(undo::isDisabled, () -> "undo enabled for " + next);
        robot.interact(() -> table.scrollTo(0));
    }

    @Test
    void theWheelOverThePrChartDoesNotZoomItCtrlWheelDoesAndResetReturns() {
        javafx.scene.layout.StackPane host = robot.lookup("#thresholdPrHost").queryAs(javafx.scene.layout.StackPane.class);
        dev.seqwatch.ui.chart.ChartView pr = (dev.seqwatch.ui.chart.ChartView) host.getChildren().get(0);
        waitUntil(pr::isVisible, () -> "PR chart hidden");
        var plot = pr.chart().getXYPlot();
        org.jfree.data.Range x = plot.getDomainAxis().getRange();
        org.jfree.data.Range y = plot.getRangeAxis().getRange();
        assertThat(pr.isZoomed()).isFalse();
        robot.moveTo(pr);
        robot.scroll(3, javafx.geometry.VerticalDirection.UP); // before the fix: each turn zoomed the chart
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(plot.getDomainAxis().getRange()).isEqualTo(x);
        assertThat(plot.getRangeAxis().getRange()).isEqualTo(y);
        assertThat(pr.resetButton().isVisible()).isFalse();

        // Ctrl+wheel is the explicit zoom; the Reset zoom button appears and brings the full curve back
        robot.moveTo(pr);
        robot.press(KeyCode.CONTROL);
        try {
            robot.scroll(2, javafx.geometry.VerticalDirection.UP);
        } finally {
            robot.release(KeyCode.CONTROL);
        }
        waitUntil(pr::isZoomed, () -> "not zoomed: " + plot.getDomainAxis().getRange());
        waitUntil(() -> pr.resetButton().isVisible(), () -> "no reset button");
        robot.clickOn(pr.resetButton());
        waitUntil(() -> !pr.isZoomed(), () -> "still zoomed: " + plot.getDomainAxis().getRange());
        assertThat(plot.getDomainAxis().getRange()).isEqualTo(x);
        assertThat(plot.getRangeAxis().getRange()).isEqualTo(y);
        waitUntil(() -> !pr.resetButton().isVisible(), () -> "reset button still shown");
    }

    @Test
    void shortcutsNeverFireInsideTextFields() {
        var views = app.window().views();
        TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
        robot.interact(() -> table.scrollTo(0));
        QueueRow row = table.getItems().get(2);
        String user = row.userId();
        robot.clickOn(robot.lookup("#queueTable .table-row-cell").match((javafx.scene.control.TableRow<QueueRow> r) ->
                r.getItem() != null && user.equals(r.getItem().userId())).queryAs(javafx.scene.Node.class));
        waitUntil(() -> user.equals(views.model().selectedUserProperty().get()), () -> views.model().selectedUserProperty().get());
        dev.seqwatch.common.Label before = views.model().currentLabel(user);
        Workspace ws = views.model().service().workspace();
        int rows = ws.read(c -> new LabelDao().history(c, user)).size();

        // E opens the note: its own "e" is not typed, and N, F, J, 5, U, / are text there
        javafx.scene.control.TextField note = robot.lookup(".labelling-view .text-field").queryAs(javafx.scene.control.TextField.class);
        robot.type(KeyCode.E);
        waitUntil(note::isFocused, () -> "note not focused");
        robot.write("new device nfj5u/");
        waitUntil(() -> note.getText().equals("new device nfj5u/"), note::getText);
        assertThat(views.model().selectedUserProperty().get()).isEqualTo(user);
        assertThat(views.model().currentLabel(user)).isEqualTo(before);
        // Esc returns to the queue, where the keys act again; the note goes with the next label
        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> table.isFocused(), () -> "queue not focused");
        robot.type(KeyCode.DIGIT4);
        waitUntil(() -> views.model().currentLabel(user) != null && "scripted_bot".equals(views.model().currentLabel(user).fraudType()),
                () -> String.valueOf(views.model().currentLabel(user)));
        List<Label> h = ws.read(c -> new LabelDao().history(c, user));
        assertThat(h).hasSize(rows + 1);
        assertThat(h.get(h.size() - 1).note()).isEqualTo("new device nfj5u/");

        // the thresholds' number fields take digits and letters as text too
        javafx.scene.control.TextField topN = robot.lookup("#topNField").queryAs(javafx.scene.control.TextField.class);
        robot.clickOn(topN);
        robot.write("n5");
        waitUntil(() -> topN.getText().equals("n5"), topN::getText);
        assertThat(views.model().currentLabel(user).fraudType()).isEqualTo("scripted_bot");
        List<Label> after = ws.read(c -> new LabelDao().history(c, user));
        assertThat(after).hasSize(rows + 1);
        robot.interact(() -> topN.setText(""));
        robot.type(KeyCode.ESCAPE);
        robot.interact(() -> table.scrollTo(0));
    }

    /** Nothing of {@code n} is cut: a label or button shows all its text, and it lies inside the window. */
    private static void assertWhole(javafx.scene.Node n, javafx.scene.Scene scene, String what) {
        javafx.geometry.Bounds b = n.localToScene(n.getLayoutBounds());
        assertThat(b.getMaxX()).as(what + " right edge inside the window").isLessThanOrEqualTo(scene.getWidth() + 0.5);
        if (n instanceof javafx.scene.control.Labeled l && !l.isWrapText()) {
            assertThat(l.getWidth()).as(what + " '" + l.getText() + "' not truncated").isGreaterThanOrEqualTo(l.prefWidth(-1) - 0.5);
        }
    }

    @Test
    void at1024x700NothingIsCutOff() {
        javafx.stage.Stage stage = (javafx.stage.Stage) robot.lookup("#queueTable").query().getScene().getWindow();
        double w = stage.getWidth();
        double h = stage.getHeight();
        try {
            robot.interact(() -> {
                stage.setWidth(1024);
                stage.setHeight(700);
            });
            robot.clickOn("#timelineTab .tab-label");
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.Scene scene = stage.getScene();
            // the labelling buttons, the timeline's buttons, the header's names
            for (javafx.scene.Node b : robot.lookup(".labelling-view .button").queryAll()) {
                assertWhole(b, scene, "labelling button");
            }
            for (javafx.scene.Node b : robot.lookup(".timeline-view .view-header .button").queryAll()) {
                assertWhole(b, scene, "timeline button");
            }
            for (javafx.scene.Node b : robot.lookup(".timeline-view .view-header .toggle-button").queryAll()) {
                assertWhole(b, scene, "timeline toggle");
            }
            assertWhole(robot.lookup(".workspace-name").query(), scene, "workspace name");
            assertWhole(robot.lookup("#timelineChart").query(), scene, "timeline chart");
            // the queue's rank, user and score cells show their whole text
            TableView<QueueRow> table = robot.lookup("#queueTable").queryTableView();
            int checked = 0;
            for (javafx.scene.Node n : robot.lookup("#queueTable .table-cell").queryAll()) {
                javafx.scene.control.TableCell<?, ?> c = (javafx.scene.control.TableCell<?, ?>) n;
                if (c.getText() == null || c.getText().isEmpty() || c.getTableColumn() == table.getColumns().get(3)) {
                    continue;
                }
                assertThat(c.getWidth()).as("queue cell '" + c.getText() + "' not truncated").isGreaterThanOrEqualTo(c.prefWidth(-1) - 0.5);
                checked++;
            }
            assertThat(checked).isGreaterThan(20);
        } finally {
            robot.interact(() -> {
                stage.setWidth(w);
                stage.setHeight(h);
            });
        }
    }
}

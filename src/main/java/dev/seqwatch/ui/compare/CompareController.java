package dev.seqwatch.ui.compare;

import dev.seqwatch.evaluate.DetectorComparison;
import dev.seqwatch.ui.common.Theme;
import dev.seqwatch.ui.models.VersionRow;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.StackPane;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Compare detectors: choices, run / cancel, the table and ROC / PR curves side by side. */
public final class CompareController {
    private final CompareViewModel vm;
    private final Theme theme;
    private final CurveChart roc = new CurveChart("false positive rate", "true positive rate (recall)", false);
    private final CurveChart pr = new CurveChart("recall", "precision", true);

    @FXML private FlowPane choices;
    @FXML private Button runButton;
    @FXML private Button cancelButton;
    @FXML private Button activateButton;
    @FXML private ProgressBar progress;
    @FXML private Label message;
    @FXML private TableView<DetectorComparison.Row> table;
    @FXML private StackPane rocHost;
    @FXML private StackPane prHost;

    public CompareController(CompareViewModel vm, Theme theme) {
        this.vm = vm;
        this.theme = theme;
    }

    @FXML
    private void initialize() {
        theme.follow(roc::setTheme);
        theme.follow(pr::setTheme);
        rocHost.getChildren().add(roc);
        prHost.getChildren().add(pr);
        for (String d : vm.available()) {
            CheckBox cb = new CheckBox(d);
            cb.setSelected(vm.chosen().contains(d));
            cb.selectedProperty().addListener((o, a, b) -> {
                if (b) {
                    vm.chosen().add(d);
                } else {
                    vm.chosen().remove(d);
                }
            });
            choices.getChildren().add(cb);
        }
        runButton.disableProperty().bind(vm.busyProperty());
        cancelButton.disableProperty().bind(vm.busyProperty().not());
        progress.visibleProperty().bind(vm.busyProperty());
        progress.progressProperty().bind(vm.progressProperty());
        message.textProperty().bind(vm.messageProperty());
        table.setItems(vm.rows());
        setColumns();
        table.setPlaceholder(new Label("Choose detectors and press Run (needs fraud labels in this workspace)"));
        vm.rows().addListener((ListChangeListener<DetectorComparison.Row>) c -> {
            setColumns();
            redraw();
        });
        activateButton.disableProperty().bind(vm.busyProperty().or(table.getSelectionModel().selectedItemProperty().isNull()));
    }

    /** The fixed columns, then the recall of each fraud type the rows know (at each row's best-F1 threshold). */
    private void setColumns() {
        List<TableColumn<DetectorComparison.Row, String>> cols = new java.util.ArrayList<>(List.of(
                col("detector", DetectorComparison.Row::detector),
                col("labels", r -> r.mode().equals("labels") ? "learned" : "not used"),
                col("ROC-AUC", r -> r.evaluation() == null ? "" : VersionRow.fmt(r.evaluation().rocAuc())),
                col("PR-AUC", r -> r.evaluation() == null ? "" : VersionRow.fmt(r.evaluation().prAuc())),
                col("best F1", r -> r.evaluation() == null ? "" : VersionRow.fmt(r.evaluation().bestF1())),
                col("P@k", r -> r.evaluation() == null ? "" : VersionRow.fmt(r.evaluation().precisionAtK())),
                col("time", r -> String.format(Locale.ROOT, "%.1f s", (r.fitMillis() + r.scoreMillis()) / 1000.0)),
                col("error", r -> r.error() == null ? "" : r.error())));
        List<String> types = vm.fraudTypes();
        for (String type : types) {
            TableColumn<DetectorComparison.Row, String> c = col(shortName(type), r -> CompareViewModel.recallOf(r, type));
            c.setPrefWidth(78);
            cols.add(c);
        }
        // with the per-type recall columns the table is wider than the pane: scroll instead of squeezing
        // every header to "rec..." (seen in the screenshot); the policy must be set before the columns
        table.setColumnResizePolicy(types.isEmpty() ? TableView.CONSTRAINED_RESIZE_POLICY : TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.getColumns().setAll(cols);
    }

    /** Short header for the recall of a fraud type, so the columns stay tellable apart. */
    static String shortName(String type) {
        return "recall " + switch (type) {
            case "account_takeover" -> "ATO";
            case "click_farming" -> "click farm";
            case "order_brushing" -> "brushing";
            case "scripted_bot" -> "bots";
            case "coupon_abuse" -> "coupon";
            default -> type.replace('_', ' ');
        };
    }

    @FXML
    private void activate() {
        vm.activate(table.getSelectionModel().getSelectedItem());
    }

    private void redraw() {
        roc.clear();
        pr.clear();
        for (DetectorComparison.Row r : vm.rows()) {
            if (r.curve() != null) {
                String name = r.detector().replace("ensemble:", "ens. ") + (r.mode().equals("labels") ? " +labels" : "");
                roc.add(name, r.curve().rocCurve());
                pr.add(name, r.curve().prCurve());
            }
        }
    }

    private static TableColumn<DetectorComparison.Row, String> col(String title, Function<DetectorComparison.Row, String> f) {
        TableColumn<DetectorComparison.Row, String> c = new TableColumn<>(title);
        // the detector names ("ensemble:stacked") need room; the figures fit in 60 px
        c.setPrefWidth(switch (title) {
            case "detector" -> 150;
            case "labels" -> 75;
            case "error" -> 60;
            default -> 62;
        });
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }

    public void runForScreenshot() {
        vm.run();
    }

    @FXML
    private void run() {
        vm.run();
    }

    @FXML
    private void cancel() {
        vm.cancel();
    }
}

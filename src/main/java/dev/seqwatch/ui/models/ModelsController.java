package dev.seqwatch.ui.models;

import dev.seqwatch.ui.common.Theme;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;

import java.util.List;
import java.util.function.Function;

/** The Models tab: train form with live loss, versions table, compare and activate. */
public final class ModelsController {
    private final ModelsViewModel vm;
    private final Theme theme;
    private final LossChart loss = new LossChart();

    @FXML private ComboBox<String> detector;
    @FXML private Spinner<Integer> epochs;
    @FXML private CheckBox excludeFraud;
    @FXML private Button trainButton;
    @FXML private Button cancelButton;
    @FXML private ProgressBar progress;
    @FXML private Label message;
    @FXML private StackPane lossHost;
    @FXML private TableView<VersionRow> versions;
    @FXML private Button activateButton;
    @FXML private Button compareButton;
    @FXML private TableView<ModelsViewModel.CompareRow> comparison;
    @FXML private TableColumn<ModelsViewModel.CompareRow, String> compareMetric;
    @FXML private TableColumn<ModelsViewModel.CompareRow, String> compareA;
    @FXML private TableColumn<ModelsViewModel.CompareRow, String> compareB;

    public ModelsController(ModelsViewModel vm, Theme theme) {
        this.vm = vm;
        this.theme = theme;
    }

    @FXML
    private void initialize() {
        theme.follow(loss::setTheme);
        lossHost.getChildren().add(loss);
        detector.setItems(vm.detectors());
        detector.valueProperty().bindBidirectional(vm.detectorProperty());
        epochs.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 500, vm.epochsProperty().get()));
        epochs.valueProperty().addListener((o, a, b) -> vm.epochsProperty().set(b == null ? 0 : b));
        excludeFraud.selectedProperty().bindBidirectional(vm.excludeFraudProperty());
        trainButton.disableProperty().bind(vm.busyProperty());
        cancelButton.disableProperty().bind(vm.busyProperty().not());
        progress.visibleProperty().bind(vm.busyProperty());
        progress.progressProperty().bind(vm.progressProperty());
        message.textProperty().bind(vm.messageProperty());
        vm.liveMetrics().addListener((ListChangeListener<ModelsViewModel.MetricPoint>) c -> {
            while (c.next()) {
                if (c.wasRemoved() && vm.liveMetrics().isEmpty()) {
                    loss.clear();
                }
                for (ModelsViewModel.MetricPoint p : c.getAddedSubList()) {
                    loss.add(p.name(), p.x(), p.value());
                }
            }
        });

        versions.setItems(vm.versions());
        versions.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        versions.getColumns().setAll(List.of(
                col("#", r -> Integer.toString(r.id())),
                col("detector", VersionRow::detector),
                col("active", r -> r.active() ? "\u2714 active" : ""),
                col("ROC-AUC", r -> VersionRow.fmt(r.rocAuc())),
                col("PR-AUC", r -> VersionRow.fmt(r.prAuc())),
                col("F1", r -> VersionRow.fmt(r.f1())),
                col("trained", VersionRow::created),
                col("on", VersionRow::trainedOn)));
        // full texts; what decides (detector, active, metrics) first, the table scrolls sideways to when / on what
        versions.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        versions.setPlaceholder(new Label("No model versions yet: train one above"));
        var selected = versions.getSelectionModel().getSelectedItems();
        activateButton.disableProperty().bind(Bindings.size(selected).isNotEqualTo(1).or(vm.busyProperty()));
        compareButton.disableProperty().bind(Bindings.size(selected).isNotEqualTo(2).or(vm.busyProperty()));
        comparison.setItems(vm.comparison());
        compareMetric.setCellValueFactory(x -> new ReadOnlyStringWrapper(x.getValue().metric()));
        compareA.setCellValueFactory(x -> new ReadOnlyStringWrapper(x.getValue().a()));
        compareB.setCellValueFactory(x -> new ReadOnlyStringWrapper(x.getValue().b()));
        comparison.setPlaceholder(new Label("Select two versions (Ctrl+click) and press Compare"));
        vm.refreshVersions();
    }

    /** For the screenshot tour: trains a second version and compares it with the first. */
    public void runDemoForScreenshot(String detectorName) {
        vm.versions().addListener(new ListChangeListener<VersionRow>() {
            @Override
            public void onChanged(Change<? extends VersionRow> c) {
                if (vm.versions().size() >= 2) {
                    vm.versions().removeListener(this);
                    versions.getSelectionModel().selectRange(0, 2);
                    compare();
                }
            }
        });
        vm.detectorProperty().set(detectorName);
        vm.train();
    }

    private static TableColumn<VersionRow, String> col(String title, Function<VersionRow, String> f) {
        TableColumn<VersionRow, String> c = new TableColumn<>(title);
        // widths that fit the texts at 13 px ("Nov 23, 15:42", "2,960 users (40 fraud out)", headers)
        c.setPrefWidth(switch (title) {
            case "#" -> 32;
            case "on" -> 190;
            case "trained" -> 108;
            case "detector" -> 96;
            case "F1" -> 54;
            case "active" -> 70;
            default -> 74;
        });
        c.setMinWidth(title.equals("#") ? 28 : 46);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        return c;
    }

    @FXML
    private void train() {
        vm.train();
    }

    @FXML
    private void cancel() {
        vm.cancel();
    }

    @FXML
    private void activate() {
        VersionRow r = versions.getSelectionModel().getSelectedItem();
        if (r != null) {
            vm.activate(r.id());
        }
    }

    @FXML
    private void compare() {
        var sel = List.copyOf(versions.getSelectionModel().getSelectedItems());
        if (sel.size() == 2) {
            compareA.setText("#" + sel.get(0).id() + " " + sel.get(0).detector());
            compareB.setText("#" + sel.get(1).id() + " " + sel.get(1).detector());
            vm.compare(sel.get(0).id(), sel.get(1).id());
        }
    }
}

package dev.seqwatch.ui.importer;

import dev.seqwatch.ingest.Field;
import dev.seqwatch.store.ImportDao;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** The import dialog: binds the controls to {@link ImportViewModel}; the file chooser is the only thing it does itself. */
public final class ImportController {
    private final ImportViewModel vm;

    @FXML private Button chooseButton;
    @FXML private Label fileLabel;
    @FXML private Label formatLabel;
    @FXML private CheckBox headerBox;
    @FXML private Label headerNote;
    @FXML private CheckBox forceBox;
    @FXML private ComboBox<String> timeFormat;
    @FXML private TableView<List<String>> preview;
    @FXML private GridPane mappingGrid;
    @FXML private Label problem;
    @FXML private Button importButton;
    @FXML private Button cancelButton;
    @FXML private Button closeButton;
    @FXML private ProgressBar progress;
    @FXML private Label message;
    @FXML private TableView<ImportDao.RejectedRow> rejected;
    @FXML private TableColumn<ImportDao.RejectedRow, String> rejLine;
    @FXML private TableColumn<ImportDao.RejectedRow, String> rejReason;
    @FXML private TableColumn<ImportDao.RejectedRow, String> rejRaw;
    @FXML private ResourceBundle resources;

    public ImportController(ImportViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        fileLabel.textProperty().bind(vm.fileProperty().map(f -> f.toString()).orElse(resources.getString("import.nofile")));
        formatLabel.textProperty().bind(vm.formatProperty().map(f -> f.isEmpty() ? "" : String.format(resources.getString("import.format"), f)));
        headerBox.selectedProperty().bindBidirectional(vm.headerProperty());
        // the view-model re-reads the preview when the analyst changes it (and detects it per file)
        headerBox.disableProperty().bind(vm.headerAppliesProperty().not().or(vm.busyProperty()));
        headerNote.textProperty().bind(vm.headerNoteProperty());
        forceBox.setText(ImportViewModel.FORCE_TEXT);
        forceBox.selectedProperty().bindBidirectional(vm.forceProperty());
        forceBox.disableProperty().bind(vm.busyProperty());
        timeFormat.getItems().setAll("auto", "iso", "epoch-s", "epoch-ms", "yyyy-MM-dd HH:mm:ss");
        timeFormat.valueProperty().bindBidirectional(vm.timeFormatProperty());
        preview.setPlaceholder(new Label(resources.getString("import.preview.none")));
        preview.setItems(vm.rows());
        vm.columns().addListener((ListChangeListener<ImportViewModel.PreviewColumn>) c -> rebuildColumns());
        buildMappingGrid();
        problem.textProperty().bind(vm.problemProperty());
        importButton.disableProperty().bind(vm.busyProperty().or(vm.fileProperty().isNull())
                .or(vm.problemProperty().isNotEmpty()));
        cancelButton.disableProperty().bind(vm.busyProperty().not());
        chooseButton.disableProperty().bind(vm.busyProperty());
        closeButton.disableProperty().bind(vm.busyProperty());
        progress.visibleProperty().bind(vm.busyProperty());
        progress.progressProperty().bind(vm.progressProperty());
        message.textProperty().bind(vm.messageProperty());
        Label noRejections = new Label();
        noRejections.textProperty().bind(vm.resultProperty().map(r -> resources.getString("import.rejected.none"))
                .orElse(resources.getString("import.rejected.later")));
        rejected.setPlaceholder(noRejections);
        rejected.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(ImportDao.RejectedRow r, boolean empty) {
                super.updateItem(r, empty);
                setTooltip(empty || r == null ? null : new javafx.scene.control.Tooltip("line " + r.lineNo() + ": " + r.reason()
                        + "\n" + r.raw()));
            }
        });
        rejected.setItems(vm.rejections());
        rejLine.setCellValueFactory(d -> new ReadOnlyStringWrapper(Long.toString(d.getValue().lineNo())));
        rejReason.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().reason()));
        rejRaw.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().raw()));
    }

    private void rebuildColumns() {
        List<TableColumn<List<String>, String>> cols = new ArrayList<>();
        List<ImportViewModel.PreviewColumn> pcs = vm.columns();
        for (int i = 0; i < pcs.size(); i++) {
            int idx = i;
            TableColumn<List<String>, String> c = new TableColumn<>(pcs.get(i).name() + "\n" + pcs.get(i).type());
            c.setCellValueFactory(d -> new ReadOnlyStringWrapper(idx < d.getValue().size() ? d.getValue().get(idx) : ""));
            c.setSortable(false);
            int chars = pcs.get(i).name().length();
            for (List<String> r : vm.rows()) {
                chars = Math.max(chars, idx < r.size() && r.get(idx) != null ? r.get(idx).length() : 0);
            }
            c.setPrefWidth(Math.max(80, Math.min(260, 16 + 7.5 * chars)));
            cols.add(c);
        }
        preview.getColumns().setAll(cols);
    }

    private void buildMappingGrid() {
        Field[] fields = Field.values();
        for (int i = 0; i < fields.length; i++) {
            Field f = fields[i];
            Label name = new Label(f.option() + (f.required() ? " *" : ""));
            name.setMinWidth(Label.USE_PREF_SIZE);
            ComboBox<Integer> box = new ComboBox<>();
            box.setId("map-" + f.option());
            box.setPrefWidth(190);
            box.setConverter(new StringConverter<>() {
                @Override
                public String toString(Integer idx) {
                    if (idx == null || idx < 0 || idx >= vm.columns().size()) {
                        return resources.getString("import.none");
                    }
                    return vm.columns().get(idx).name();
                }

                @Override
                public Integer fromString(String s) {
                    return -1;
                }
            });
            vm.columns().addListener((ListChangeListener<ImportViewModel.PreviewColumn>) c -> fillChoices(box));
            fillChoices(box);
            box.valueProperty().bindBidirectional(vm.mappingProperty(f));
            box.valueProperty().addListener((o, a, b) -> vm.validate());
            // what the chosen column holds (the time as it will be read), under its choice
            Label sample = new Label();
            sample.setId("sample-" + f.option());
            sample.getStyleClass().addAll("muted", "mapping-sample");
            sample.setWrapText(true);
            sample.setMaxWidth(300);
            sample.textProperty().bind(vm.sampleProperty(f));
            // three fields per row: user / time / action, then item / category / amount
            mappingGrid.add(name, (i % 3) * 2, (i / 3) * 2);
            mappingGrid.add(box, (i % 3) * 2 + 1, (i / 3) * 2);
            mappingGrid.add(sample, (i % 3) * 2, (i / 3) * 2 + 1, 2, 1);
        }
    }

    private void fillChoices(ComboBox<Integer> box) {
        Integer keep = box.getValue();
        List<Integer> items = new ArrayList<>();
        items.add(-1);
        for (int i = 0; i < vm.columns().size(); i++) {
            items.add(i);
        }
        box.getItems().setAll(items);
        box.setValue(keep);
    }

    @FXML
    private void choose() {
        FileChooser fc = new FileChooser();
        fc.setTitle(resources.getString("import.title"));
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Behaviour logs", "*.csv", "*.tsv", "*.tab", "*.jsonl", "*.ndjson", "*.json",
                        "*.csv.gz", "*.tsv.gz", "*.jsonl.gz", "*.gz"),
                new FileChooser.ExtensionFilter("All files", "*"));
        Window w = chooseButton.getScene().getWindow();
        File f = fc.showOpenDialog(w);
        if (f != null) {
            vm.choose(f.toPath());
        }
    }

    @FXML
    private void startImport() {
        vm.startImport();
    }

    @FXML
    private void cancel() {
        vm.cancel();
    }

    @FXML
    private void close() {
        chooseButton.getScene().getWindow().hide();
    }

}

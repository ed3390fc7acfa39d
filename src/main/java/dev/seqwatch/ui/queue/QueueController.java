package dev.seqwatch.ui.queue;

import dev.seqwatch.ui.app.QueueRow;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.util.StringConverter;

import java.util.Locale;
import java.util.ResourceBundle;

/** The queue table and its filters; all state lives in {@link QueueViewModel}. */
public final class QueueController {
    private final QueueViewModel vm;

    @FXML private TextField search;
    @FXML private ComboBox<QueueFilter> labelFilter;
    @FXML private CheckBox flaggedOnly;
    @FXML private TableView<QueueRow> table;
    @FXML private TableColumn<QueueRow, Number> rankColumn;
    @FXML private TableColumn<QueueRow, String> userColumn;
    @FXML private TableColumn<QueueRow, Number> scoreColumn;
    @FXML private TableColumn<QueueRow, String> labelColumn;
    @FXML private Label summary;
    @FXML private ResourceBundle resources;

    public QueueController(QueueViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        search.textProperty().bindBidirectional(vm.searchProperty());
        // Enter in the search box opens the match when exactly one user matches
        search.setOnAction(e -> {
            if (table.getItems().size() == 1) {
                table.getSelectionModel().clearAndSelect(0);
                table.requestFocus();
            }
        });
        labelFilter.getItems().setAll(QueueFilter.choices());
        labelFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(QueueFilter f) {
                if (f == null) {
                    return "";
                }
                return f.fraudType() != null ? resources.getString("queue.filter.type") + " " + f.fraudType()
                        : resources.getString("queue.filter." + f.key());
            }

            @Override
            public QueueFilter fromString(String s) {
                return null;
            }
        });
        labelFilter.valueProperty().bindBidirectional(vm.labelFilterProperty());
        flaggedOnly.selectedProperty().bindBidirectional(vm.flaggedOnlyProperty());
        summary.textProperty().bind(vm.summaryProperty());

        rankColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().rank()));
        userColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().userId()));
        // a long id (a pseudonym) is cut in a narrow queue: the tooltip shows all of it
        userColumn.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                setTooltip(empty || v == null ? null : new javafx.scene.control.Tooltip(v));
            }
        });
        // before any model, the rows are imported users by event count: the column shows their events
        scoreColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().scored() ? c.getValue().score()
                : c.getValue().events()));
        scoreColumn.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : v instanceof Integer n ? String.format(Locale.ROOT, "%,d", n)
                        : String.format(Locale.ROOT, "%.3f", v.doubleValue()));
            }
        });
        String scoreHeader = scoreColumn.getText();
        Runnable header = () -> scoreColumn.setText(vm.unscored() ? resources.getString("queue.events") : scoreHeader);
        vm.model().dataVersionProperty().addListener(o -> header.run());
        header.run();
        labelColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().labelText()));
        labelColumn.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                setTooltip(empty || v == null || v.isEmpty() ? null : new javafx.scene.control.Tooltip(v));
            }
        });
        table.setItems(vm.visibleRows());
        table.setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(QueueRow r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll("flagged", "label-fraud", "label-normal");
                if (!empty && r != null) {
                    if (vm.model().isFlagged(r)) {
                        getStyleClass().add("flagged");
                    }
                    if (r.label() != null) {
                        getStyleClass().add(r.label().fraud() ? "label-fraud" : "label-normal");
                    }
                }
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.select(b));
        // a label replaces the user's row in the list, which clears the table's selection: keep the
        // user shown selected so that J/K move on from it (not from the top)
        table.getItems().addListener((javafx.collections.ListChangeListener<QueueRow>) c -> keepSelection());
        vm.model().selectedUserProperty().addListener((o, a, b) -> reveal(b));
        vm.model().userThresholdProperty().addListener(o -> table.refresh());
        table.setPlaceholder(new Label(resources.getString("queue.empty")));
    }

    private void keepSelection() {
        String user = vm.model().selectedUserProperty().get();
        int idx = table.getSelectionModel().getSelectedIndex();
        if (user == null || idx >= 0 && idx < table.getItems().size() && table.getItems().get(idx).userId().equals(user)) {
            return;
        }
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).userId().equals(user)) {
                table.getSelectionModel().clearAndSelect(i);
                return;
            }
        }
    }

    /** Selects and scrolls to {@code user} when it was chosen elsewhere (heatmap click). */
    private void reveal(String user) {
        QueueRow sel = table.getSelectionModel().getSelectedItem();
        if (user == null || sel != null && sel.userId().equals(user)) {
            return;
        }
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).userId().equals(user)) {
                table.getSelectionModel().clearAndSelect(i);
                table.scrollTo(Math.max(0, i - 3));
                return;
            }
        }
    }

    /** Moves the selection by {@code delta} rows (J/K keys) and keeps it visible. */
    public void move(int delta) {
        int n = table.getItems().size();
        if (n == 0) {
            return;
        }
        int i = table.getSelectionModel().getSelectedIndex();
        int j = Math.max(0, Math.min(n - 1, i < 0 ? 0 : i + delta));
        table.getSelectionModel().clearAndSelect(j);
        table.scrollTo(Math.max(0, j - 3));
    }

    public void focusSearch() {
        search.requestFocus();
    }

    public void focusTable() {
        table.requestFocus();
        if (table.getSelectionModel().isEmpty() && !table.getItems().isEmpty()) {
            table.getSelectionModel().select(0);
        }
    }
}

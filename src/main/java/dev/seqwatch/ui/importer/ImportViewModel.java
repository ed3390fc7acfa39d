package dev.seqwatch.ui.importer;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.ingest.ColumnMapping;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.Field;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.ui.common.TaskExecutor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The import dialog's state: the chosen file, its typed preview and the column mapping (auto-detected,
 * changeable), then the import itself through {@link EventImporter} (the same path as
 * {@code seqwatch import}) with progress and cancel, and a summary with the rejected rows and why.
 */
public final class ImportViewModel {
    /** Number of rows the preview shows (and Tablesaw types are inferred from). */
    public static final int PREVIEW_ROWS = 50;
    /** How many rejected rows the summary lists. */
    public static final int SHOWN_REJECTIONS = 50;

    /** One preview column: its name and the type inferred from the preview rows. */
    public record PreviewColumn(String name, String type) {
    }

    private final Workspace workspace;
    private final TaskExecutor tasks;
    private final Runnable afterImport;

    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final BooleanProperty header = new SimpleBooleanProperty(true);
    private final StringProperty timeFormat = new SimpleStringProperty("auto");
    private final ObservableList<PreviewColumn> columns = FXCollections.observableArrayList();
    private final ObservableList<List<String>> rows = FXCollections.observableArrayList();
    private final Map<Field, ObjectProperty<Integer>> mapping = new EnumMap<>(Field.class);
    private final StringProperty format = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final ObjectProperty<ImportResult> result = new SimpleObjectProperty<>();
    private final ObservableList<ImportDao.RejectedRow> rejections = FXCollections.observableArrayList();
    private TaskExecutor.TaskHandle running;

    public ImportViewModel(Workspace workspace, TaskExecutor tasks, Runnable afterImport) {
        this.workspace = workspace;
        this.tasks = tasks;
        this.afterImport = afterImport;
        for (Field f : Field.values()) {
            mapping.put(f, new SimpleObjectProperty<>(-1));
        }
    }

    /** Chooses a file and reads its preview (off the calling thread). */
    public void choose(Path f) {
        file.set(f);
        result.set(null);
        rejections.clear();
        message.set("");
        preview();
    }

    /** Re-reads the preview with the current header setting; the mapping is auto-detected again. */
    public void preview() {
        Path f = file.get();
        if (f == null) {
            return;
        }
        boolean h = header.get();
        ImportOptions o = ImportOptions.defaults().withHeader(h);
        tasks.execute(BackgroundTask.create("preview " + f.getFileName(), p -> {
                    EventImporter.Preview pv = EventImporter.preview(f, o, PREVIEW_ROWS);
                    return new Object[] {pv, PreviewTypes.infer(pv.rows(), pv.columns().size())};
                }).quiet()
                .onSuccess(r -> showPreview((EventImporter.Preview) r[0], (String[]) r[1]))
                .onError(e -> {
                    columns.clear();
                    rows.clear();
                    problem.set(readable(e));
                }));
    }

    private void showPreview(EventImporter.Preview pv, String[] types) {
        List<PreviewColumn> cols = new ArrayList<>();
        for (int i = 0; i < pv.columns().size(); i++) {
            cols.add(new PreviewColumn(pv.columns().get(i), i < types.length ? types[i] : "text"));
        }
        // rows first: the view sizes its columns from the rows when the columns change
        rows.setAll(pv.rows());
        columns.setAll(cols);
        format.set(pv.format().name());
        for (Field f : Field.values()) {
            int idx = pv.mappedColumns() == null ? -1 : pv.mappedColumns()[f.ordinal()];
            mapping.get(f).set(idx);
        }
        problem.set(pv.mappingProblem() == null ? "" : pv.mappingProblem());
        validate();
    }

    /** The column chosen for {@code f}, -1 for none (a combo box is briefly empty while its choices are refilled). */
    private int mapped(Field f) {
        Integer v = mapping.get(f).get();
        return v == null ? -1 : v;
    }

    /** Checks the mapping as the importer will; the message says what is missing. */
    public boolean validate() {
        if (columns.isEmpty()) {
            return false;
        }
        for (Field f : Field.values()) {
            if (f.required() && mapped(f) < 0) {
                problem.set("Choose the column that holds the " + f.option() + " (required).");
                return false;
            }
        }
        try {
            int[] resolved = mappingFor().resolve(header.get() ? columnNames() : null);
            for (Field f : Field.values()) {
                int r = resolved[f.ordinal()];
                if (mapped(f) < 0 && r >= 0) {
                    // an unmapped optional field is still auto-detected by name: say so rather than surprise
                    problem.set("The importer always reads column '" + columns.get(r).name() + "' as the " + f.option()
                            + " (detected by its name); choose it in the mapping.");
                    return false;
                }
            }
            problem.set("");
            return true;
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage().replace("--", "").replace("use no-header", "untick \"first row is a header\""));
            return false;
        }
    }

    private List<String> columnNames() {
        return columns.stream().map(PreviewColumn::name).toList();
    }

    /** The mapping as the importer takes it: by column name with a header, by position without. */
    ColumnMapping mappingFor() {
        ColumnMapping m = ColumnMapping.auto();
        for (Field f : Field.values()) {
            int i = mapped(f);
            if (i >= 0 && i < columns.size()) {
                m.set(f, header.get() ? columns.get(i).name() : Integer.toString(i));
            }
        }
        return m;
    }

    ImportOptions options() {
        String tf = timeFormat.get();
        return ImportOptions.defaults().withHeader(header.get()).withMapping(mappingFor())
                .withTimeFormat(tf == null || tf.isBlank() || tf.equals("auto") ? null : tf);
    }

    /** Imports the chosen file with the shown mapping; at most one import at a time. */
    public void startImport() {
        Path f = file.get();
        if (f == null || busy.get() || !validate()) {
            return;
        }
        ImportOptions o = options();
        busy.set(true);
        result.set(null);
        rejections.clear();
        progress.set(0);
        message.set("Importing " + f.getFileName() + "\u2026");
        running = tasks.execute(BackgroundTask.create("import " + f.getFileName(), p -> {
                    ImportResult r = new EventImporter(workspace).importFile(f, o, p);
                    List<ImportDao.RejectedRow> rej = workspace.read(c -> new ImportDao().rejected(c, r.importId(), SHOWN_REJECTIONS));
                    return new Object[] {r, rej};
                })
                .onProgress((fr, m) -> {
                    progress.set(fr);
                    if (m != null && !m.isEmpty()) {
                        message.set(m);
                    }
                })
                .onSuccess(v -> {
                    ImportResult r = (ImportResult) v[0];
                    @SuppressWarnings("unchecked")
                    List<ImportDao.RejectedRow> rej = (List<ImportDao.RejectedRow>) v[1];
                    result.set(r);
                    rejections.setAll(rej);
                    message.set(summary(r));
                    afterImport.run();
                })
                .onCancelled(() -> message.set("Import cancelled; nothing was stored."))
                .onError(e -> message.set(readable(e)))
                .andFinally(() -> {
                    busy.set(false);
                    running = null;
                }));
    }

    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    /** What the analyst reads after an import. */
    static String summary(ImportResult r) {
        StringBuilder s = new StringBuilder(String.format("Imported %,d events from %,d rows in %.1f s.", r.stored(), r.rowsRead(),
                r.millis() / 1000.0));
        if (r.rejected() > 0) {
            s.append(String.format(" %,d rows were rejected (not stored; listed below with the reason).", r.rejected()));
        } else {
            s.append(" No rows were rejected.");
        }
        if (r.duplicates() > 0) {
            s.append(String.format(" %,d duplicates of stored events were dropped.", r.duplicates()));
        }
        s.append(" New events get scores when a model is trained or activated (Models tab).");
        return s.toString();
    }

    private static String readable(Throwable e) {
        if (e instanceof CancelledException) {
            return "Cancelled.";
        }
        Throwable t = e;
        while (t != null) {
            if (t instanceof UserFacingException) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public ObjectProperty<Path> fileProperty() {
        return file;
    }

    public BooleanProperty headerProperty() {
        return header;
    }

    public StringProperty timeFormatProperty() {
        return timeFormat;
    }

    public ObservableList<PreviewColumn> columns() {
        return columns;
    }

    public ObservableList<List<String>> rows() {
        return rows;
    }

    /** Column index mapped to {@code f}, -1 for none. */
    public ObjectProperty<Integer> mappingProperty(Field f) {
        return mapping.get(f);
    }

    public StringProperty formatProperty() {
        return format;
    }

    public StringProperty problemProperty() {
        return problem;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public ObjectProperty<ImportResult> resultProperty() {
        return result;
    }

    public ObservableList<ImportDao.RejectedRow> rejections() {
        return rejections;
    }
}

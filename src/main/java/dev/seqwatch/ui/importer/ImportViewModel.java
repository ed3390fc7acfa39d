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
    private final StringProperty headerNote = new SimpleStringProperty("");
    private final BooleanProperty headerApplies = new SimpleBooleanProperty(true);
    private final BooleanProperty force = new SimpleBooleanProperty();
    private final Map<Field, StringProperty> samples = new EnumMap<>(Field.class);
    /** True while a chosen file's detected header setting is applied (no second preview for it). */
    private boolean applyingDetected;
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
            samples.put(f, new SimpleStringProperty(""));
            mapping.get(f).addListener(o -> updateSample(f));
        }
        // the analyst ticking or unticking the header re-reads the preview (a detected setting does not)
        header.addListener((o, a, b) -> {
            if (!applyingDetected) {
                headerNote.set(b ? "set by you: the first row is a header" : "set by you: the first row is data");
                preview();
            }
        });
        timeFormat.addListener(o -> updateSample(Field.TIME));
    }

    /** A fresh dialog (it is reopened for another file): nothing of the last file or import stays. */
    public void reset() {
        if (busy.get()) {
            return;
        }
        file.set(null);
        result.set(null);
        rejections.clear();
        message.set("");
        problem.set("");
        format.set("");
        headerNote.set("");
        headerApplies.set(true);
        force.set(false);
        rows.clear();
        columns.clear();
        for (Field f : Field.values()) {
            mapping.get(f).set(-1);
        }
        applyingDetected = true;
        try {
            header.set(true);
        } finally {
            applyingDetected = false;
        }
        timeFormat.set("auto");
        progress.set(0);
    }

    private record Chosen(EventImporter.Preview preview, String[] types, boolean header, String note, boolean json) {
    }

    /**
     * Chooses a file and reads its preview (off the calling thread). Whether its first row is a header is
     * detected for this file ({@link HeaderGuess}), not carried over from the previous one; force is off.
     */
    public void choose(Path f) {
        file.set(f);
        result.set(null);
        rejections.clear();
        message.set("");
        force.set(false);
        headerNote.set("");
        tasks.execute(BackgroundTask.create("preview " + f.getFileName(), p -> {
                    EventImporter.Preview raw = EventImporter.preview(f, ImportOptions.defaults().withHeader(false), PREVIEW_ROWS + 1);
                    boolean json = raw.format() == dev.seqwatch.ingest.LogFormat.JSONL;
                    HeaderGuess.Verdict v = json ? new HeaderGuess.Verdict(true, "") : HeaderGuess.of(raw.rows());
                    EventImporter.Preview pv = EventImporter.preview(f, ImportOptions.defaults().withHeader(json || v.header()),
                            PREVIEW_ROWS);
                    return new Chosen(pv, PreviewTypes.infer(pv.rows(), pv.columns().size()), v.header(), v.reason(), json);
                }).quiet()
                .onSuccess(c -> {
                    if (!f.equals(file.get())) {
                        return; // another file was chosen meanwhile
                    }
                    applyingDetected = true;
                    try {
                        header.set(c.header());
                    } finally {
                        applyingDetected = false;
                    }
                    headerApplies.set(!c.json());
                    headerNote.set(c.json() ? "JSON lines: columns are the keys" : c.note());
                    showPreview(c.preview(), c.types());
                })
                .onError(e -> {
                    columns.clear();
                    rows.clear();
                    problem.set(readable(e));
                }));
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
        for (Field f : Field.values()) {
            updateSample(f);
        }
        validate();
    }

    /** How many sample values the mapping shows per field. */
    static final int SAMPLES = 3;

    /**
     * The first distinct values of the column chosen for {@code f} in the preview rows; for the time, each
     * as the importer will read it with the chosen time format (or why it cannot).
     */
    private void updateSample(Field f) {
        StringProperty out = samples.get(f);
        int col = mapped(f);
        if (col < 0 || columns.isEmpty()) {
            out.set("");
            return;
        }
        java.util.LinkedHashSet<String> values = new java.util.LinkedHashSet<>();
        for (List<String> r : rows) {
            String v = col < r.size() ? r.get(col) : null;
            if (v != null && !v.isBlank()) {
                values.add(v.strip());
            }
            if (values.size() == SAMPLES) {
                break;
            }
        }
        if (values.isEmpty()) {
            out.set("(empty in the preview rows)");
            return;
        }
        if (f != Field.TIME) {
            out.set("e.g. " + String.join(", ", values.stream().map(ImportViewModel::clip).toList()));
            return;
        }
        dev.seqwatch.ingest.TimestampParser parser;
        String tf = timeFormat.get();
        try {
            parser = new dev.seqwatch.ingest.TimestampParser(tf == null || tf.isBlank() ? "auto" : tf.strip(),
                    ImportOptions.defaults().zone());
        } catch (IllegalArgumentException e) {
            out.set(e.getMessage().replace("--time-format", "the time format"));
            return;
        }
        List<String> shown = new ArrayList<>();
        for (String v : values) {
            try {
                shown.add(clip(v) + " \u2192 " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(parser.parse(v))));
            } catch (dev.seqwatch.ingest.TimestampParser.BadTimestamp e) {
                shown.add(clip(v) + " \u2192 not read as " + parser.description() + ": " + e.withoutValue());
                break;
            }
        }
        out.set(String.join(";  ", shown));
    }

    private static String clip(String v) {
        String t = v.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 28 ? t.substring(0, 28) + "\u2026" : t;
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
                .withTimeFormat(tf == null || tf.isBlank() || tf.equals("auto") ? null : tf).withForce(force.get());
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
                // the dialog has a checkbox where the CLI has an option
                return t.getMessage().replace("use --force to import it again",
                        "tick \"" + FORCE_TEXT + "\" to import it again");
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

    /** Why the header setting is what it is ("detected: ..."), for the dialog. */
    public StringProperty headerNoteProperty() {
        return headerNote;
    }

    /** False for JSON lines, whose columns are keys: the header checkbox does not apply. */
    public BooleanProperty headerAppliesProperty() {
        return headerApplies;
    }

    /** The checkbox text that the refusal of an already imported file names. */
    public static final String FORCE_TEXT = "Import again even if already imported";

    /** Import a file whose content was imported before (the CLI's --force); off for every new file. */
    public BooleanProperty forceProperty() {
        return force;
    }

    /** Sample values of the column mapped to {@code f}; for the time, how they parse. */
    public StringProperty sampleProperty(Field f) {
        return samples.get(f);
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

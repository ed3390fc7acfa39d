package dev.seqwatch.workflow;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.EventBlockWriter;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the bundled sample session's fixed format (events.csv: user_id,timestamp,action,item_id,
 * category_id,amount with ISO-8601 UTC times; labels.csv: user_id,label,fraud_type,note) in one
 * transaction, so a failed or cancelled load leaves nothing. This exists only because the general
 * {@code dev.seqwatch.ingest.EventImporter} had not reached this branch; any other file is refused,
 * and {@link SampleSession} should switch to EventImporter / LabelImporter once they are merged.
 */
final class SampleCsvLoader {
    private static final List<String> HEADER = List.of("user_id", "timestamp", "action", "item_id", "category_id", "amount");

    private SampleCsvLoader() {
    }

    static void loadEvents(Workspace ws, Path file, ProgressListener p) {
        long total = Math.max(1, lines(file) - 1);
        ws.write(c -> {
            ImportDao imports = new ImportDao();
            int importId = imports.nextImportId(c);
            long first = imports.nextEventId(c);
            imports.start(c, importId, file.getFileName().toString(), "0".repeat(64), "csv", "sample", first, false);
            EventBlockWriter w = new EventBlockWriter(c, importId, first);
            try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(file)) {
                long line = 1;
                for (NamedCsvRecord rec : r) {
                    line++;
                    if (line == 2 && !rec.getHeader().equals(HEADER)) {
                        throw new UserFacingException(file + ": not the sample format (header must be " + String.join(",", HEADER) + ")");
                    }
                    long ts;
                    try {
                        ts = Instant.parse(rec.getField(1)).toEpochMilli();
                    } catch (DateTimeParseException ex) {
                        throw new UserFacingException(file + " line " + line + ": bad timestamp '" + rec.getField(1) + "'");
                    }
                    w.add(rec.getField(0), ts, rec.getField(2), emptyToNull(rec.getField(3)), emptyToNull(rec.getField(4)),
                            rec.getField(5).isEmpty() ? Double.NaN : Double.parseDouble(rec.getField(5)));
                    if (line % 10_000 == 0) {
                        p.checkCancelled();
                        p.progress((double) line / total, "importing sample events " + line + " / " + total);
                    }
                }
                long next = w.finish();
                imports.finish(c, importId, next - 1, line - 1, next - first, 0, 0);
            } catch (IOException ex) {
                throw new UserFacingException(file + ": cannot read: " + ex.getMessage(), ex);
            }
            return null;
        });
    }

    static void loadLabels(Workspace ws, Path file, String analyst) {
        List<LabelDao.NewLabel> labels = new ArrayList<>();
        try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(file)) {
            for (NamedCsvRecord rec : r) {
                boolean fraud = "fraud".equals(rec.getField("label"));
                String type = rec.getField("fraud_type");
                String note = rec.getField("note");
                labels.add(new LabelDao.NewLabel(rec.getField("user_id"), fraud, fraud && !type.isEmpty() ? type : null,
                        note.isEmpty() ? null : note, analyst));
            }
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new UserFacingException(file + ": not the sample labels format (user_id,label,fraud_type,note): " + e.getMessage(), e);
        }
        ws.write(c -> new LabelDao().append(c, labels));
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static long lines(Path f) {
        try (var s = Files.lines(f)) {
            return s.count();
        } catch (IOException e) {
            throw new UserFacingException(f + ": cannot read: " + e.getMessage(), e);
        }
    }
}

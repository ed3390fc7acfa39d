package dev.seqwatch.evaluate;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.UserFacingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a labels file for evaluation without storing it in the workspace: CSV (or TSV) with columns
 * {@code user_id,label[,fraud_type[,note]]}, label {@code normal|fraud} or {@code 0|1}, an optional
 * header line. A later row for the same user replaces an earlier one (like the append-only history).
 */
public final class LabelFile {
    private LabelFile() {
    }

    public static LabelSet read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(file + ": no such labels file");
        }
        char sep = file.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
        Map<String, Label> byUser = new LinkedHashMap<>();
        Instant now = Instant.now();
        long id = 0;
        try (CsvReader<CsvRecord> r = CsvReader.builder().fieldSeparator(sep).skipEmptyLines(true)
                .allowExtraFields(true).allowMissingFields(true).detectBomHeader(true).ofCsvRecord(file)) {
            boolean first = true;
            for (CsvRecord rec : r) {
                long line = rec.getStartingLineNumber();
                if (rec.getFieldCount() < 2) {
                    throw new UserFacingException(file + ", line " + line + ": expected user_id,label[,fraud_type[,note]] but found "
                            + rec.getFieldCount() + " column(s)");
                }
                String user = rec.getField(0).trim();
                String lab = rec.getField(1).trim().toLowerCase(Locale.ROOT);
                Boolean fraud = switch (lab) {
                    case "fraud", "1", "true" -> Boolean.TRUE;
                    case "normal", "0", "false" -> Boolean.FALSE;
                    default -> null;
                };
                if (fraud == null) {
                    if (first) { // a header line
                        first = false;
                        continue;
                    }
                    throw new UserFacingException(file + ", line " + line + ", column 2: label '" + rec.getField(1)
                            + "' is not normal, fraud, 0 or 1");
                }
                first = false;
                if (user.isEmpty()) {
                    throw new UserFacingException(file + ", line " + line + ", column 1: empty user id");
                }
                String type = rec.getFieldCount() > 2 && !rec.getField(2).isBlank() ? rec.getField(2).trim() : null;
                String note = rec.getFieldCount() > 3 ? rec.getField(3) : null;
                byUser.put(user, new Label(++id, user, fraud, fraud ? type : null, note, "file:" + file.getFileName(), now, 0));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UserFacingException(file + ": cannot read labels: " + e.getMessage(), e);
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new UserFacingException(file + ": not a valid CSV labels file: " + e.getMessage(), e);
        }
        if (byUser.isEmpty()) {
            throw new UserFacingException(file + ": no labels in the file");
        }
        return new LabelSet(byUser.values());
    }
}

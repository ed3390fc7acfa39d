package dev.seqwatch.ingest;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a label file ({@code user_id,label[,fraud_type[,note]]}, label normal|fraud or 0|1, header
 * optional) and appends it to the label history in one transaction. Any bad line fails the whole
 * file with its line number, so a half-labelled state is never stored.
 */
public final class LabelImporter {
    private final Workspace workspace;

    public LabelImporter(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Result of a label import: rows appended and how many changed a user's current label. */
    public record Result(int appended, int changedExisting) {
    }

    public Result importFile(Path file, String analyst) {
        return importFile(file, analyst, null);
    }

    /**
     * @param pseudonymKey the key the events were imported with ({@code --pseudonymise-key-file}), so
     *                     labels name the same pseudonyms; null for plain user ids
     */
    public Result importFile(Path file, String analyst, byte[] pseudonymKey) {
        List<LabelDao.NewLabel> read = read(file, analyst);
        List<LabelDao.NewLabel> labels = read;
        if (pseudonymKey != null) {
            javax.crypto.Mac mac = EventImporter.hmac(pseudonymKey);
            labels = read.stream().map(l -> new LabelDao.NewLabel(EventImporter.pseudonym(mac, l.userId()), l.fraud(),
                    l.fraudType(), l.note(), l.analyst())).toList();
        }
        LabelDao dao = new LabelDao();
        List<LabelDao.NewLabel> toStore = labels;
        return workspace.write(c -> {
            var before = dao.current(c);
            List<Label> stored = dao.append(c, toStore);
            int changed = 0;
            for (Label l : stored) {
                Label old = before.get(l.userId());
                if (old != null && old.fraud() != l.fraud()) {
                    changed++;
                }
            }
            return new Result(stored.size(), changed);
        });
    }

    public static List<LabelDao.NewLabel> read(Path file, String analyst) {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(file + ": no such file");
        }
        List<LabelDao.NewLabel> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvReader<CsvRecord> csv = CsvReader.builder().allowMissingFields(true).allowExtraFields(true).ofCsvRecord(in)) {
            boolean first = true;
            for (CsvRecord r : csv) {
                long line = r.getStartingLineNumber();
                String user = r.getField(0);
                if (first && user.startsWith("\uFEFF")) {
                    user = user.substring(1);  // UTF-8 byte-order mark (spreadsheet exports)
                }
                user = user.trim();
                String label = r.getFieldCount() > 1 ? r.getField(1).trim().toLowerCase(Locale.ROOT) : "";
                if (first) {
                    first = false;
                    if (user.equalsIgnoreCase("user_id") || user.equalsIgnoreCase("user") || label.equals("label")) {
                        continue;
                    }
                }
                if (r.getFieldCount() > 4) {
                    throw new UserFacingException(file + ":" + line + ": expected user_id,label[,fraud_type[,note]], found "
                            + r.getFieldCount() + " columns");
                }
                if (user.isEmpty()) {
                    throw new UserFacingException(file + ":" + line + ": column 1: missing user id");
                }
                if (user.length() > RowValidator.MAX_ID_CHARS) {
                    throw new UserFacingException(file + ":" + line + ": column 1: user id longer than " + RowValidator.MAX_ID_CHARS + " characters");
                }
                boolean fraud = switch (label) {
                    case "fraud", "1" -> true;
                    case "normal", "0" -> false;
                    default -> throw new UserFacingException(file + ":" + line + ": column 2: label '" + label
                            + "' is not normal, fraud, 0 or 1");
                };
                String type = r.getFieldCount() > 2 ? emptyToNull(r.getField(2).trim()) : null;
                String note = r.getFieldCount() > 3 ? emptyToNull(r.getField(3)) : null;
                if (type != null && type.length() > 64) {
                    throw new UserFacingException(file + ":" + line + ": column 3: fraud type longer than 64 characters");
                }
                if (!fraud && type != null) {
                    throw new UserFacingException(file + ":" + line + ": column 3: a normal label cannot have a fraud type ('" + type + "')");
                }
                if (note != null && note.length() > 4096) {
                    throw new UserFacingException(file + ":" + line + ": column 4: note longer than 4096 characters");
                }
                out.add(new LabelDao.NewLabel(user, fraud, type, note, analyst));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new UserFacingException(file + ": not a valid CSV file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new UserFacingException(file + ": no labels in the file");
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The analyst recorded with labels by default: the OS user name. */
    public static String defaultAnalyst() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }
}

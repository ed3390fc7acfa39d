package dev.seqwatch.ingest;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a label file ({@code user_id,label[,fraud_type[,note]]}, label normal|fraud or 0|1, header
 * optional) and appends it to the label history in one transaction. Any bad line fails the whole
 * file with its line number, so a half-labelled state is never stored. The file's encoding is
 * detected as for logs ({@link TextSniffer}: UTF-8, or UTF-16 by its byte-order mark or zero bytes).
 * User ids with NUL, control or invisible characters are refused like in event logs (they would make
 * a look-alike user); labels of users without events in the workspace are stored but counted, so the
 * caller can warn.
 */
public final class LabelImporter {
    private final Workspace workspace;

    public LabelImporter(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Longest analyst name (the label.analyst column). */
    public static final int MAX_ANALYST_CHARS = 256;

    /**
     * Result of a label import: rows appended, how many changed a user's current label, and how many
     * distinct labelled users have no events in the workspace (with the file line of the first; 0 if none).
     */
    public record Result(int appended, int changedExisting, int unknownUsers, long firstUnknownLine) {
    }

    /** A label file read and checked, not yet stored: the labels and the file line of each. */
    public record Read(Path file, List<LabelDao.NewLabel> labels, long[] lines) {
    }

    public Result importFile(Path file, String analyst) {
        return importFile(file, analyst, null);
    }

    /**
     * @param pseudonymKey the key the events were imported with ({@code --pseudonymise-key-file}), so
     *                     labels name the same pseudonyms; null for plain user ids
     */
    public Result importFile(Path file, String analyst, byte[] pseudonymKey) {
        return append(read(file, analyst), pseudonymKey);
    }

    /** Stores labels read by {@link #read}, in one transaction. */
    public Result append(Read file, byte[] pseudonymKey) {
        List<LabelDao.NewLabel> read = file.labels();
        List<LabelDao.NewLabel> labels = read;
        if (pseudonymKey != null) {
            javax.crypto.Mac mac = EventImporter.hmac(pseudonymKey);
            labels = read.stream().map(l -> new LabelDao.NewLabel(EventImporter.pseudonym(mac, l.userId()), l.fraud(),
                    l.fraudType(), l.note(), l.analyst())).toList();
        }
        LabelDao dao = new LabelDao();
        List<LabelDao.NewLabel> toStore = labels;
        return workspace.write(c -> {
            Set<String> unknown = withoutEvents(c, toStore);
            long firstUnknown = 0;
            for (int i = 0; i < toStore.size() && !unknown.isEmpty(); i++) {
                if (unknown.contains(toStore.get(i).userId())) {
                    firstUnknown = file.lines()[i];
                    break;
                }
            }
            var before = dao.current(c);
            List<Label> stored = dao.append(c, toStore);
            int changed = 0;
            for (Label l : stored) {
                Label old = before.get(l.userId());
                if (old != null && old.fraud() != l.fraud()) {
                    changed++;
                }
            }
            return new Result(stored.size(), changed, unknown.size(), firstUnknown);
        });
    }

    /** The labelled users that have no events in the workspace (reads block user tables only). */
    private static Set<String> withoutEvents(java.sql.Connection c, List<LabelDao.NewLabel> labels) throws java.sql.SQLException {
        TreeSet<String> missing = new TreeSet<>();
        for (LabelDao.NewLabel l : labels) {
            missing.add(l.userId());
        }
        EventDao events = new EventDao();
        for (EventDao.BlockRef b : events.blocks(c)) {
            if (missing.isEmpty()) {
                break;
            }
            if (b.mayContainAny(missing)) {
                for (String u : events.blockUsers(c, b).ids()) {
                    missing.remove(u);
                }
            }
        }
        return missing;
    }

    /**
     * Checks the name recorded with labels: not blank, at most {@value #MAX_ANALYST_CHARS} characters,
     * no control or invisible characters. Call it before anything is written.
     */
    public static void checkAnalyst(String analyst) {
        if (analyst == null || analyst.isBlank()) {
            throw new UserFacingException("--analyst: the analyst name is empty");
        }
        if (analyst.length() > MAX_ANALYST_CHARS) {
            throw new UserFacingException("--analyst: the analyst name has " + analyst.length() + " characters, at most "
                    + MAX_ANALYST_CHARS);
        }
        String bad = RowValidator.badCharacter(analyst);
        if (bad != null) {
            throw new UserFacingException("--analyst: " + bad + " in the analyst name");
        }
    }

    /** Reads and checks a label file; nothing is stored. */
    public static Read read(Path file, String analyst) {
        checkAnalyst(analyst);
        if (!Files.exists(file)) {
            throw new UserFacingException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new UserFacingException(file + ": is a directory, not a label file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(file + ": is not a regular file (a device or a pipe?)");
        }
        List<LabelDao.NewLabel> out = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            TextSniffer.Result text = TextSniffer.sniff(raw, StandardCharsets.UTF_8);
            if (text.binary()) {
                throw new UserFacingException(file + ": not a text file (binary data near the start of the file); "
                        + "expected CSV lines user_id,label[,fraud_type[,note]]");
            }
            Reader in = new InputStreamReader(raw, text.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            readCsv(file, analyst, in, out, lines);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserFacingException(file + ": cannot read: " + e.getMessage(), e);
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new UserFacingException(file + ": not a valid CSV file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new UserFacingException(file + ": no labels in the file");
        }
        return new Read(file, List.copyOf(out), lines.stream().mapToLong(Long::longValue).toArray());
    }

    private static void readCsv(Path file, String analyst, Reader in, List<LabelDao.NewLabel> out, List<Long> lines)
            throws IOException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().allowMissingFields(true).allowExtraFields(true).ofCsvRecord(in)) {
            boolean first = true;
            int maxFields = 4;
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
                        if (r.getFieldCount() == 5 && r.getField(4).trim().equalsIgnoreCase("ring")) {
                            maxFields = 5;   // the generator's truth.csv: its ring column is not part of a label
                        }
                        continue;
                    }
                }
                if (r.getFieldCount() > maxFields) {
                    throw new UserFacingException(file + ":" + line + ": expected user_id,label[,fraud_type[,note]], found "
                            + r.getFieldCount() + " columns");
                }
                if (user.isEmpty()) {
                    throw new UserFacingException(file + ":" + line + ": column 1: missing user id");
                }
                if (user.length() > RowValidator.MAX_ID_CHARS) {
                    throw new UserFacingException(file + ":" + line + ": column 1: user id longer than " + RowValidator.MAX_ID_CHARS + " characters");
                }
                String badUser = RowValidator.badCharacter(user);
                if (badUser != null) {
                    throw new UserFacingException(file + ":" + line + ": column 1: " + badUser + " in the user id");
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
                String badType = type == null ? null : RowValidator.badCharacter(type);
                if (badType != null) {
                    throw new UserFacingException(file + ":" + line + ": column 3: " + badType + " in the fraud type");
                }
                if (!fraud && type != null) {
                    throw new UserFacingException(file + ":" + line + ": column 3: a normal label cannot have a fraud type ('" + type + "')");
                }
                if (note != null && note.length() > 4096) {
                    throw new UserFacingException(file + ":" + line + ": column 4: note longer than 4096 characters");
                }
                out.add(new LabelDao.NewLabel(user, fraud, type, note, analyst));
                lines.add(line);
            }
        }
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

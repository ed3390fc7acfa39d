package dev.seqwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.seqwatch.common.UserFacingException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON lines: one object per line. The "header" is the keys seen in the first lines, in order of
 * appearance; each object's scalar values are aligned with it (absent keys are null).
 *
 * <p>An object with a key twice is rejected (the last value would win silently). An object with more
 * than {@link #MAX_KEYS} keys is not a log line: among the first lines (which make the header) it
 * refuses the file, later it rejects the row. With {@code valueFree} (pseudonymised imports) reasons
 * say where the JSON is wrong but quote nothing of it.
 */
final class JsonLinesRowSource implements RowSource {
    static final int MAX_LINE_CHARS = 1 << 24;
    /** Keys are collected from the first lines, up to this many lines or characters. */
    private static final int SNIFF_LINES = 1000;
    private static final int SNIFF_CHARS = 4 << 20;
    /** Keys per object and in the header: as many as a CSV record may have columns. */
    static final int MAX_KEYS = 16_384;
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final BufferedReader in;
    private List<String> header;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String[]> buffered = new ArrayList<>();
    private final List<Long> bufferedLines = new ArrayList<>();
    private long lineNo;
    private int bufferPos;
    private final boolean empty;
    private final String fileName;
    private final boolean valueFree;

    JsonLinesRowSource(Reader reader) throws IOException {
        this(reader, "the file", false);
    }

    /** @param valueFree reasons must not quote any part of a line (pseudonymised imports) */
    JsonLinesRowSource(Reader reader, String fileName, boolean valueFree) throws IOException {
        this.fileName = fileName;
        this.valueFree = valueFree;
        this.in = new BufferedReader(reader, 1 << 16);
        Set<String> keys = new LinkedHashSet<>();
        List<String> sniffed = new ArrayList<>();
        long chars = 0;
        boolean eof = false;
        for (int i = 0; i < SNIFF_LINES && chars < SNIFF_CHARS; i++) {
            String l = readLine();
            if (l == null) {
                eof = true;
                break;
            }
            sniffed.add(l);
            bufferedLines.add(lineNo);
            chars += l.length();
            collectKeys(l, keys);
            if (keys.size() > MAX_KEYS) {
                throw new UserFacingException(String.format(Locale.ROOT, "%s:%d: the first lines hold more than %,d different "
                        + "keys (a log line has a few): not a behaviour log", fileName, lineNo, MAX_KEYS));
            }
        }
        empty = eof && sniffed.stream().allMatch(String::isBlank);
        header = List.copyOf(keys);
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i), i);
        }
        for (String l : sniffed) {
            buffered.add(l == null ? null : new String[]{l});
        }
    }

    private void collectKeys(String line, Set<String> keys) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            int n = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (++n > MAX_KEYS) {
                    throw new UserFacingException(String.format(Locale.ROOT, "%s:%d: a JSON object with more than %,d keys "
                            + "(a log line has a few): not a behaviour log", fileName, lineNo, MAX_KEYS));
                }
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException ignored) {
            // a bad line is rejected when it is read as a row
        }
    }

    /** Reads a line of at most MAX_LINE_CHARS; a longer one is skipped and reported as TOO_LONG. */
    private String readLine() throws IOException {
        StringBuilder sb = null;
        boolean tooLong = false;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            if (sb.length() < MAX_LINE_CHARS) {
                sb.append((char) c);
            } else {
                tooLong = true;
            }
        }
        if (c < 0 && sb == null) {
            return null;
        }
        lineNo++;
        if (tooLong) {
            return TOO_LONG;
        }
        if (sb == null) {
            return "";
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
            sb.setLength(n - 1);
        }
        return sb.toString();
    }

    private static final String TOO_LONG = new String("\u0000too-long");

    @Override
    public List<String> header() {
        return header;
    }

    /** Keys named explicitly may first appear after the sniffed lines: add them (absent = null). */
    @Override
    public void declareColumns(java.util.Collection<String> names) {
        List<String> h = new ArrayList<>(header);
        for (String n : names) {
            if (!index.containsKey(n) && header.stream().noneMatch(k -> k.equalsIgnoreCase(n))) {
                index.put(n, h.size());
                h.add(n);
            }
        }
        header = List.copyOf(h);
    }

    @Override
    public boolean isEmpty() {
        return empty;
    }

    @Override
    public boolean fixedColumns() {
        return false;
    }

    @Override
    public boolean next(RawRow row) throws IOException {
        String line;
        long no;
        while (true) {
            if (bufferPos < buffered.size()) {
                line = buffered.get(bufferPos)[0];
                no = bufferedLines.get(bufferPos);
                buffered.set(bufferPos, null);
                bufferPos++;
            } else {
                line = readLine();
                no = lineNo;
                if (line == null) {
                    return false;
                }
            }
            if (!line.isBlank()) {
                break;
            }
        }
        row.line = no;
        row.structuralError = null;
        String[] f = new String[header.size()];
        row.fields = f;
        if (line == TOO_LONG) {
            row.structuralError = "line longer than " + MAX_LINE_CHARS + " characters";
            return true;
        }
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                row.structuralError = "not a JSON object";
                row.fields = new String[]{line.length() > 200 ? line.substring(0, 200) : line};
                return true;
            }
            JsonToken t;
            int n = 0;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (++n > MAX_KEYS) {
                    row.structuralError = String.format(Locale.ROOT, "a JSON object with more than %,d keys", MAX_KEYS);
                    row.fields = new String[]{line.substring(0, 200)};
                    return true;
                }
                Integer i = index.get(p.currentName());
                JsonToken v = p.nextToken();
                if (i != null && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                    f[i] = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                row.structuralError = "invalid JSON: text after the object";
            }
        } catch (JsonProcessingException e) {
            row.structuralError = valueFree ? problemWithoutText(e) : problem(e);
            row.fields = new String[]{line.length() > 200 ? line.substring(0, 200) : line};
        }
        return true;
    }

    /**
     * Where the JSON is wrong and the kind of mistake, without any text of the line (Jackson quotes the
     * offending token or key): e.g. "invalid JSON at character 13: unrecognized token".
     */
    static String problemWithoutText(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String kind;
        if (m.startsWith("Duplicate field")) {
            kind = "duplicate key";
        } else if (m.startsWith("Unrecognized token")) {
            kind = "unrecognized token";
        } else if (m.startsWith("Unexpected character")) {
            kind = "unexpected character";
        } else if (m.startsWith("Unexpected end-of-input")) {
            kind = "unexpected end of line";
        } else if (m.contains("control character")) {
            kind = "unescaped control character";
        } else {
            kind = "syntax error";
        }
        var at = e.getLocation();
        return "invalid JSON" + (at != null && at.getColumnNr() > 0 ? " at character " + at.getColumnNr() : "") + ": " + kind;
    }

    /** Jackson's reason without its source excerpt and location block, plus where in the line. */
    static String problem(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        int marker = m.indexOf(" (start marker at");
        if (marker >= 0) {
            m = m.substring(0, marker);
        }
        m = m.strip();
        if (m.startsWith("Duplicate field ")) {
            m = "duplicate key " + m.substring("Duplicate field ".length()) + " (a key may appear once per object)";
        }
        if (m.endsWith(":")) {
            m = m.substring(0, m.length() - 1);
        }
        var at = e.getLocation();
        return "invalid JSON" + (at != null && at.getColumnNr() > 0 ? " at character " + at.getColumnNr() : "") + ": " + m;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

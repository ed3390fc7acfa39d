package dev.seqwatch.reliability;

import dev.seqwatch.ingest.ColumnMapping;
import dev.seqwatch.ingest.Field;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.LogFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded generator of malformed behaviour logs for the import fuzz test. Each case is one file
 * (CSV, TSV or JSON lines, with or without header) of good rows mixed with damaged ones: truncated
 * lines, wrong delimiters, stray and embedded quotes, NUL bytes, invalid UTF-8, huge fields,
 * out-of-range timestamps, negative or non-finite amounts, control characters, missing and extra
 * columns; plus whole-file oddities (empty, header only, binary, broken gzip, a 1M-column header).
 *
 * <p>Where the generator can tell, it records the expected outcome per physical line: a row that
 * must be stored (or dropped as a duplicate) and a row that must be rejected. Rows whose fate
 * depends on the parser (a stray quote can swallow the following lines) are "unknown", and a file
 * with a stray quote has no per-line expectations after it.
 */
final class MalformedLogs {
    enum Expect { VALID, REJECTED }

    /** One generated input. {@code expectedRows} is -1 when the record count is not predictable. */
    record Case(int index, String fileName, byte[] bytes, ImportOptions options, long expectedRows,
                Map<Long, Expect> lines, String kind) {
    }

    private static final String[] ACTIONS = {"view", "cart", "buy", "pay", "fav", "search", "login"};
    private static final long T0 = 1_700_000_000L; // 2023-11-14, epoch seconds
    private static final String[] HEADER = {"user_id", "timestamp", "action", "item_id", "category_id", "amount"};

    private final SplittableRandom rnd;

    MalformedLogs(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    Case next(int index) {
        int k = rnd.nextInt(100);
        if (k < 4) {
            return wholeFileOddity(index);
        }
        LogFormat f = k < 55 ? LogFormat.CSV : k < 75 ? LogFormat.TSV : LogFormat.JSONL;
        return f == LogFormat.JSONL ? jsonLines(index) : delimited(index, f);
    }

    // ---------------------------------------------------------------- delimited (CSV / TSV)

    private Case delimited(int index, LogFormat format) {
        char sep = format.separator();
        boolean header = rnd.nextInt(5) != 0;
        boolean crlf = rnd.nextInt(4) == 0;
        String eol = crlf ? "\r\n" : "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<Long, Expect> lines = new HashMap<>();
        long line = 1;
        boolean linesKnown = true;
        long records = 0;
        if (header) {
            if (rnd.nextInt(8) == 0) {
                out.writeBytes(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // BOM
            }
            out.writeBytes(String.join(String.valueOf(sep), HEADER).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(eol.getBytes(StandardCharsets.UTF_8));
            line++;
        }
        int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 30);
        List<byte[][]> previous = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[][] fields = validFields(previous);
            Mutation m = (i == 0 && !header) || rnd.nextInt(100) < 45 ? Mutation.NONE : Mutation.pick(rnd);
            Expect e = Expect.VALID;
            boolean quoteChaos = false;
            byte[] rowBytes;
            int embeddedNewlines = 0;
            switch (m) {
                case NONE -> {
                    // sometimes quote a field properly, with the separator and doubled quotes inside (still valid)
                    if (rnd.nextInt(6) == 0) {
                        fields[3] = ("\"i" + sep + "x\"\"y\"").getBytes(StandardCharsets.UTF_8);
                    }
                }
                case TRUNCATE -> e = null;
                case WRONG_DELIMITER -> e = Expect.REJECTED;
                case STRAY_QUOTE -> {
                    e = null;
                    quoteChaos = true;
                }
                case QUOTED_NEWLINE -> {
                    fields[3] = "\"a\nb\"".getBytes(StandardCharsets.UTF_8); // a record over two lines; \n is a control character
                    embeddedNewlines = 1;
                    e = Expect.REJECTED;
                }
                case NUL, INVALID_UTF8, CONTROL -> {
                    int col = rnd.nextInt(6);
                    fields[col] = insert(fields[col].length == 0 ? "x".getBytes(StandardCharsets.UTF_8) : fields[col], m.bytes(rnd));
                    e = Expect.REJECTED;
                }
                case HUGE_FIELD -> {
                    int col = new int[]{0, 2, 3, 4, 5}[rnd.nextInt(5)];
                    fields[col] = repeat(col == 5 ? '7' : 'h', 400 + rnd.nextInt(rnd.nextInt(20) == 0 ? 200_000 : 3_000));
                    e = Expect.REJECTED;
                }
                case BAD_TIME -> {
                    fields[1] = badTimestamp().getBytes(StandardCharsets.UTF_8);
                    e = Expect.REJECTED;
                }
                case BAD_AMOUNT -> {
                    fields[5] = badAmount().getBytes(StandardCharsets.UTF_8);
                    e = Expect.REJECTED;
                }
                case MISSING_REQUIRED -> {
                    fields[rnd.nextInt(3)] = rnd.nextBoolean() ? new byte[0] : "   ".getBytes(StandardCharsets.UTF_8);
                    e = Expect.REJECTED;
                }
                case COLUMN_COUNT -> {
                    fields = rnd.nextBoolean() ? Arrays.copyOf(fields, 5 - rnd.nextInt(4))
                            : append(fields, "extra".getBytes(StandardCharsets.UTF_8));
                    e = Expect.REJECTED;
                }
                case DUPLICATE -> {
                    if (!previous.isEmpty()) {
                        fields = previous.get(rnd.nextInt(previous.size())).clone();
                    }
                }
                case HOSTILE_TEXT -> fields[3] = quoteIfNeeded(Hostile.pick(rnd), sep).getBytes(StandardCharsets.UTF_8);
            }
            rowBytes = join(fields, (byte) sep);
            if (m == Mutation.WRONG_DELIMITER) {
                byte other = (byte) (sep == ',' ? (rnd.nextBoolean() ? ';' : '|') : ',');
                rowBytes = replace(rowBytes, (byte) sep, other);
                if (sep == ',' ) {
                    // a comma-free row in a CSV file is one column: wrong column count
                    e = Expect.REJECTED;
                }
            }
            if (m == Mutation.TRUNCATE) {
                rowBytes = Arrays.copyOf(rowBytes, 1 + rnd.nextInt(Math.max(1, rowBytes.length - 1)));
            }
            if (m == Mutation.STRAY_QUOTE) {
                int at = rnd.nextInt(rowBytes.length + 1);
                rowBytes = insert(rowBytes, at, new byte[]{'"'});
            }
            if (e == Expect.VALID && m != Mutation.DUPLICATE) {
                previous.add(fields);
            }
            out.writeBytes(rowBytes);
            out.writeBytes(eol.getBytes(StandardCharsets.UTF_8));
            if (quoteChaos) {
                linesKnown = false;
            }
            if (linesKnown && e != null) {
                lines.put(line, e);
            }
            records++;
            line += 1 + embeddedNewlines;
            if (rnd.nextInt(25) == 0) {
                out.writeBytes(eol.getBytes(StandardCharsets.UTF_8)); // empty lines are skipped, not rows
                line++;
            }
        }
        ImportOptions o = ImportOptions.defaults().withFormat(rnd.nextInt(3) == 0 ? null : format).withHeader(header);
        if (!header) {
            o = o.withMapping(ColumnMapping.auto().set(Field.USER, "0").set(Field.TIME, "1").set(Field.ACTION, "2")
                    .set(Field.ITEM, "3").set(Field.CATEGORY, "4").set(Field.AMOUNT, "5"));
        }
        if (o.format() == null && format == LogFormat.TSV) {
            o = o.withFormat(LogFormat.TSV); // detection by content is tested on its own; keep the expectation exact
        }
        String name = "in" + index + (format == LogFormat.TSV ? ".tsv" : ".csv");
        byte[] bytes = out.toByteArray();
        return new Case(index, name, bytes, o, linesKnown ? records : -1, linesKnown ? lines : Map.of(), format.name());
    }

    // ---------------------------------------------------------------- JSON lines

    private Case jsonLines(int index) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<Long, Expect> lines = new HashMap<>();
        int n = 1 + rnd.nextInt(40);
        long line = 1;
        List<byte[][]> previous = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[][] f = validFields(previous);
            Expect e = Expect.VALID;
            byte[] row;
            int kind = i == 0 ? 0 : rnd.nextInt(12);
            switch (kind) {
                case 1 -> { // truncated: a proper prefix of an object is never valid JSON
                    row = json(f);
                    row = Arrays.copyOf(row, 1 + rnd.nextInt(row.length - 1));
                    e = Expect.REJECTED;
                }
                case 2 -> { // raw NUL / control byte inside a string: invalid JSON
                    row = insert(json(f), 3 + rnd.nextInt(6), new byte[]{(byte) (rnd.nextBoolean() ? 0 : 1)});
                    e = Expect.REJECTED;
                }
                case 3 -> { // invalid UTF-8 inside the user value
                    f[0] = insert(f[0], Mutation.INVALID_UTF8.bytes(rnd));
                    row = json(f);
                    e = Expect.REJECTED;
                }
                case 4 -> { // escaped NUL in the action
                    row = json(f).length > 0 ? new String(json(f), StandardCharsets.UTF_8)
                            .replaceFirst("\"action\":\"", "\"action\":\"\\\\u0000").getBytes(StandardCharsets.UTF_8) : null;
                    e = Expect.REJECTED;
                }
                case 5 -> {
                    row = ("[" + rnd.nextInt() + "]").getBytes(StandardCharsets.UTF_8);
                    e = Expect.REJECTED;
                }
                case 6 -> {
                    f[1] = badTimestamp().getBytes(StandardCharsets.UTF_8);
                    row = json(f);
                    e = Expect.REJECTED;
                }
                case 7 -> {
                    f[5] = badAmount().getBytes(StandardCharsets.UTF_8);
                    row = json(f);
                    e = Expect.REJECTED;
                }
                case 8 -> {
                    f[3] = Hostile.pick(rnd).getBytes(StandardCharsets.UTF_8);
                    row = json(f);
                }
                case 9 -> {
                    f[0] = repeat('u', 300 + rnd.nextInt(5000));
                    row = json(f);
                    e = Expect.REJECTED;
                }
                case 10 -> { // text after the object
                    row = (new String(json(f), StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);
                    e = Expect.REJECTED;
                }
                default -> row = json(f);
            }
            if (e == Expect.VALID) {
                previous.add(f);
            }
            out.writeBytes(row);
            out.write('\n');
            lines.put(line++, e);
        }
        ImportOptions o = ImportOptions.defaults().withFormat(rnd.nextBoolean() ? LogFormat.JSONL : null);
        return new Case(index, "in" + index + ".jsonl", out.toByteArray(), o, n, lines, "JSONL");
    }

    private static byte[] json(byte[][] f) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < HEADER.length; i++) {
            String v = new String(f[i], StandardCharsets.ISO_8859_1); // keep the raw bytes (even invalid UTF-8) as they are
            if (i == 5 && !v.isEmpty() && v.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                sb.append(i == 0 ? "" : ",").append('"').append(HEADER[i]).append("\":").append(v);
            } else {
                sb.append(i == 0 ? "" : ",").append('"').append(HEADER[i]).append("\":\"")
                        .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append('}').toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- whole-file oddities

    private Case wholeFileOddity(int index) {
        ImportOptions o = ImportOptions.defaults();
        int k = rnd.nextInt(8);
        return switch (k) {
            case 0 -> new Case(index, "in" + index + ".csv", new byte[0], o, -1, Map.of(), "empty");
            case 1 -> new Case(index, "in" + index + ".csv", (String.join(",", HEADER) + "\n").getBytes(StandardCharsets.UTF_8), o,
                    -1, Map.of(), "header-only");
            case 2 -> {
                byte[] b = new byte[1 + rnd.nextInt(8192)];
                rnd.nextBytes(b);
                yield new Case(index, "in" + index + ".csv", b, o, -1, Map.of(), "binary");
            }
            case 3 -> new Case(index, "in" + index + ".csv", "\n\n  \n\r\n".getBytes(StandardCharsets.UTF_8), o, -1, Map.of(), "blank");
            case 4 -> new Case(index, "in" + index + ".csv.gz", "user_id,timestamp,action\nu1,1700000000,view\n"
                    .getBytes(StandardCharsets.UTF_8), o, -1, Map.of(), "not-gzip");
            case 5 -> {
                byte[] gz = gzip(("user_id,timestamp,action\n" + "u1,1700000000,view\n".repeat(2000)).getBytes(StandardCharsets.UTF_8));
                yield new Case(index, "in" + index + ".csv.gz", Arrays.copyOf(gz, gz.length / 2), o, -1, Map.of(), "truncated-gzip");
            }
            case 6 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 10_000; i++) {
                    sb.append("col").append(i).append(',');
                }
                sb.append("x\n1,2\n");
                yield new Case(index, "in" + index + ".csv", sb.toString().getBytes(StandardCharsets.UTF_8), o, -1, Map.of(),
                        "wide-unmappable-header");
            }
            default -> new Case(index, "in" + index + ".csv", ("a;b;c\n1;2;3\n").getBytes(StandardCharsets.UTF_8), o, -1,
                    Map.of(), "no-mappable-header");
        };
    }

    /** A header of {@code columns} columns (the three required ones last) and a few rows of 3 columns. */
    static byte[] wideHeader(int columns) {
        StringBuilder sb = new StringBuilder(columns * 8);
        for (int i = 0; i < columns - 3; i++) {
            sb.append('c').append(i).append(',');
        }
        sb.append("user_id,timestamp,action\n");
        sb.append("u1,1700000000,view\nu2,1700000001,cart\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- pieces

    private byte[][] validFields(List<byte[][]> previous) {
        String user = rnd.nextInt(20) == 0 ? "ü" + rnd.nextInt(50) + "\uD83D\uDE00" : "u" + rnd.nextInt(200);
        long s = T0 + rnd.nextLong(30L * 86_400);
        String ts = switch (rnd.nextInt(3)) {
            case 0 -> Long.toString(s);
            case 1 -> Long.toString(s * 1000 + rnd.nextInt(1000));
            default -> java.time.Instant.ofEpochSecond(s).toString();
        };
        String action = ACTIONS[rnd.nextInt(ACTIONS.length)];
        String item = rnd.nextInt(5) == 0 ? "" : "i" + rnd.nextInt(10_000);
        String cat = rnd.nextInt(5) == 0 ? "" : "c" + rnd.nextInt(100);
        String amount = action.equals("buy") || action.equals("pay") ? (rnd.nextInt(100_000) / 100.0) + "" : "";
        return new byte[][]{b(user), b(ts), b(action), b(item), b(cat), b(amount)};
    }

    private String badTimestamp() {
        String[] bad = {"99999999999999999999", "-5", "0", "1e30", "3000-01-01T00:00:00Z", "1989-12-31T23:59:59Z",
                "2026-13-45T00:00:00Z", "9223372036854775807", "-9223372036854775808", "NaN", "yesterday",
                "2026-02-30T10:00:00Z", "631151999", "4102444800", "17e8x", "1700000000.5.5", "--1", "."};
        return bad[rnd.nextInt(bad.length)];
    }

    private String badAmount() {
        String[] bad = {"-0.01", "-5", "NaN", "Infinity", "-Infinity", "1e400", "12,50", "abc", "1.2.3", "0x1F", "1e16"};
        return bad[rnd.nextInt(bad.length)];
    }

    private static String quoteIfNeeded(String s, char sep) {
        if (s.indexOf(sep) >= 0 || s.indexOf('"') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    enum Mutation {
        NONE, TRUNCATE, WRONG_DELIMITER, STRAY_QUOTE, QUOTED_NEWLINE, NUL, INVALID_UTF8, CONTROL, HUGE_FIELD, BAD_TIME,
        BAD_AMOUNT, MISSING_REQUIRED, COLUMN_COUNT, DUPLICATE, HOSTILE_TEXT;

        static Mutation pick(SplittableRandom r) {
            Mutation[] v = values();
            return v[1 + r.nextInt(v.length - 1)];
        }

        byte[] bytes(SplittableRandom r) {
            return switch (this) {
                case NUL -> new byte[]{0};
                case CONTROL -> new byte[]{(byte) (1 + r.nextInt(8))};
                case INVALID_UTF8 -> switch (r.nextInt(4)) {
                    case 0 -> new byte[]{(byte) 0xFF};
                    case 1 -> new byte[]{(byte) 0xC3, (byte) 0x28};
                    case 2 -> new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // a UTF-16 surrogate encoded in UTF-8
                    default -> new byte[]{(byte) 0x80};
                };
                default -> new byte[0];
            };
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] repeat(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private byte[] insert(byte[] into, byte[] what) {
        return insert(into, rnd.nextInt(into.length + 1), what);
    }

    private static byte[] insert(byte[] into, int at, byte[] what) {
        at = Math.min(at, into.length);
        byte[] r = new byte[into.length + what.length];
        System.arraycopy(into, 0, r, 0, at);
        System.arraycopy(what, 0, r, at, what.length);
        System.arraycopy(into, at, r, at + what.length, into.length - at);
        return r;
    }

    private static byte[][] append(byte[][] a, byte[] x) {
        byte[][] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = x;
        return r;
    }

    private static byte[] join(byte[][] fields, byte sep) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                o.write(sep);
            }
            o.writeBytes(fields[i]);
        }
        return o.toByteArray();
    }

    private static byte[] replace(byte[] b, byte from, byte to) {
        byte[] r = b.clone();
        for (int i = 0; i < r.length; i++) {
            if (r[i] == from) {
                r[i] = to;
            }
        }
        return r;
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return o.toByteArray();
    }
}

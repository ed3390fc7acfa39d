package dev.seqwatch.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * Turns timestamp text into epoch milliseconds (UTC). Modes: {@code epoch-s}, {@code epoch-ms},
 * {@code iso}, {@code auto} (per value: digits are epoch seconds below 10^11 and milliseconds above,
 * anything else ISO-8601), or a {@link DateTimeFormatter} pattern. Times without a zone are read in
 * the given zone (UTC by default). The common ISO shapes take a fast path without java.time.
 */
public final class TimestampParser {
    /** Accepted range: 1990-01-01 to 2100-01-01 UTC; outside it a value is almost surely a wrong unit or garbage. */
    public static final long MIN_MS = 631_152_000_000L;
    public static final long MAX_MS = 4_102_444_800_000L;

    private enum Mode { AUTO, EPOCH_S, EPOCH_MS, ISO, PATTERN }

    private final Mode mode;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;
    private final boolean zoneIsUtc;
    private final String description;

    /** Thrown with a reason that the importer quotes, and the same reason without the value (for pseudonymised imports). */
    public static final class BadTimestamp extends Exception {
        private final String withoutValue;

        public BadTimestamp(String message) {
            this(message, message);
        }

        public BadTimestamp(String message, String withoutValue) {
            super(message, null, false, false);
            this.withoutValue = withoutValue;
        }

        /** The reason without any part of the text that was parsed. */
        public String withoutValue() {
            return withoutValue;
        }
    }

    public TimestampParser(String spec, ZoneId zone) {
        this.zone = zone == null ? ZoneOffset.UTC : zone;
        this.zoneIsUtc = this.zone.normalized().equals(ZoneOffset.UTC);
        String s = spec == null ? "auto" : spec.trim();
        switch (s) {
            case "auto" -> {
                mode = Mode.AUTO;
                pattern = null;
                description = "epoch seconds, epoch milliseconds or ISO-8601";
            }
            case "epoch-s", "epoch", "s" -> {
                mode = Mode.EPOCH_S;
                pattern = null;
                description = "epoch seconds";
            }
            case "epoch-ms", "ms" -> {
                mode = Mode.EPOCH_MS;
                pattern = null;
                description = "epoch milliseconds";
            }
            case "iso" -> {
                mode = Mode.ISO;
                pattern = null;
                description = "ISO-8601 (e.g. 2017-11-07T09:30:38Z)";
            }
            default -> {
                mode = Mode.PATTERN;
                try {
                    pattern = DateTimeFormatter.ofPattern(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--time-format '" + s + "' is not a valid pattern: " + e.getMessage());
                }
                description = "pattern " + s;
            }
        }
    }

    public String description() {
        return description;
    }

    public long parse(String text) throws BadTimestamp {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new BadTimestamp("missing timestamp");
        }
        long ms = switch (mode) {
            case EPOCH_S -> epoch(t, 1000);
            case EPOCH_MS -> epoch(t, 1);
            case ISO -> iso(t);
            case PATTERN -> patterned(t);
            case AUTO -> isEpochShaped(t) ? autoEpoch(t) : iso(t);
        };
        if (ms < MIN_MS || ms >= MAX_MS) {
            String hint = (mode == Mode.EPOCH_S && ms > MAX_MS ? "; milliseconds? use --time-format epoch-ms" : "")
                    + (mode == Mode.EPOCH_MS && ms < MIN_MS ? "; seconds? use --time-format epoch-s" : "");
            throw new BadTimestamp("timestamp out of range '" + abbreviate(t) + "' (reads as "
                    + Instant.ofEpochMilli(ms) + "; " + RANGE + hint + ")", "timestamp out of range (" + RANGE + hint + ")");
        }
        return ms;
    }

    private static final String RANGE = "accepted 1990-01-01 to 2100-01-01";

    /** A date so far away that epoch milliseconds overflow (e.g. +999999999-12-31T23:59:59Z). */
    private static BadTimestamp beyondRange(String t) {
        return new BadTimestamp("timestamp out of range '" + abbreviate(t) + "' (beyond any epoch time; " + RANGE + ")",
                "timestamp out of range (" + RANGE + ")");
    }

    private static boolean isEpochShaped(String t) {
        int i = t.charAt(0) == '-' ? 1 : 0;
        boolean digits = i < t.length();
        boolean dot = false;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return digits;
    }

    private long autoEpoch(String t) throws BadTimestamp {
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw bad(t);
        }
        return Math.abs(v) >= 1e11 ? epoch(t, 1) : epoch(t, 1000);
    }

    private long epoch(String t, long unitMs) throws BadTimestamp {
        int dot = t.indexOf('.');
        try {
            if (dot < 0) {
                return Math.multiplyExact(Long.parseLong(t), unitMs);
            }
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v) || Math.abs(v) > 9e15) {
                throw beyondRange(t);
            }
            return Math.round(v * unitMs);
        } catch (ArithmeticException e) {
            throw beyondRange(t);
        } catch (NumberFormatException e) {
            // all digits but too long for a long: a number, just far out of range
            throw isEpochShaped(t) && t.indexOf('.') < 0 ? beyondRange(t) : bad(t);
        }
    }

    private long iso(String t) throws BadTimestamp {
        long fast = fastIso(t);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant().toEpochMilli();
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(zone).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant().toEpochMilli();
        } catch (ArithmeticException e) {
            throw beyondRange(t);
        } catch (DateTimeException e) {
            throw bad(t);
        }
    }

    private long patterned(String t) throws BadTimestamp {
        try {
            TemporalAccessor ta = pattern.parseBest(t, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
            if (ta instanceof ZonedDateTime z) {
                return z.toInstant().toEpochMilli();
            }
            if (ta instanceof LocalDateTime l) {
                return l.atZone(zone).toInstant().toEpochMilli();
            }
            return ((LocalDate) ta).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (ArithmeticException e) {
            throw beyondRange(t);
        } catch (DateTimeException e) {
            throw bad(t);
        }
    }

    /**
     * yyyy-MM-dd[T| ]HH:mm:ss[.fraction][Z|±HH:mm], or Long.MIN_VALUE when the text has another shape
     * (then java.time decides). Zone-less values take the fast path only when the zone is UTC.
     */
    private long fastIso(String t) {
        int n = t.length();
        if (n < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int y = digits(t, 0, 4);
        int mo = digits(t, 5, 2);
        int d = digits(t, 8, 2);
        int h = digits(t, 11, 2);
        int mi = digits(t, 14, 2);
        int s = digits(t, 17, 2);
        if ((y | mo | d | h | mi | s) < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        int millis = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(t.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                return Long.MIN_VALUE;
            }
            for (int k = i - start; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n) {
            if (!zoneIsUtc) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = 0;
        } else if (t.charAt(i) == 'Z' && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((t.charAt(i) == '+' || t.charAt(i) == '-') && (n - i == 6 && t.charAt(i + 3) == ':' || n - i == 5)) {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, n - 2, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        long days = daysFromCivil(y, mo, d);
        return ((days * 86400L + h * 3600L + mi * 60L + s) - offsetSeconds) * 1000L + millis;
    }

    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 (Howard Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private BadTimestamp bad(String t) {
        return new BadTimestamp("bad timestamp '" + abbreviate(t) + "': expected " + description,
                "unparsable timestamp: expected " + description);
    }

    /** A value quoted in a message: at most 40 characters, on one line (control characters shown as '?'). */
    static String abbreviate(String s) {
        String a = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return a.replaceAll("\\p{Cntrl}", "?");
    }
}

package dev.seqwatch.ingest;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampParserTest {
    private static final long T = 1_511_544_070_000L;  // 2017-11-24T17:21:10Z

    private static long parse(String mode, String text) throws TimestampParser.BadTimestamp {
        return new TimestampParser(mode, ZoneOffset.UTC).parse(text);
    }

    private static String reason(String mode, ZoneId zone, String text) {
        try {
            new TimestampParser(mode, zone).parse(text);
            return "accepted";
        } catch (TimestampParser.BadTimestamp e) {
            return e.getMessage();
        }
    }

    @Test
    void epochSeconds() throws Exception {
        assertThat(parse("epoch-s", "1511544070")).isEqualTo(T);
        assertThat(parse("epoch-s", " 1511544070 ")).isEqualTo(T);
        assertThat(parse("epoch-s", "1511544070.25")).isEqualTo(T + 250);
        assertThat(reason("epoch-s", ZoneOffset.UTC, "1511544070000")).endsWith("; milliseconds? use --time-format epoch-ms)");
        assertThat(reason("epoch-s", ZoneOffset.UTC, "2017-11-24")).isEqualTo("bad timestamp '2017-11-24': expected epoch seconds");
        assertThat(reason("epoch-s", ZoneOffset.UTC, "1e9")).isEqualTo("bad timestamp '1e9': expected epoch seconds");
        assertThat(reason("epoch-s", ZoneOffset.UTC, "-9223372036854775808")).isEqualTo(
                "timestamp out of range '-9223372036854775808' (beyond any epoch time; accepted 1990-01-01 to 2100-01-01)");
        assertThat(reason("epoch-s", ZoneOffset.UTC, "-5")).isEqualTo(
                "timestamp out of range '-5' (reads as 1969-12-31T23:59:55Z; accepted 1990-01-01 to 2100-01-01)");
    }

    @Test
    void epochMilliseconds() throws Exception {
        assertThat(parse("epoch-ms", "1511544070123")).isEqualTo(T + 123);
        assertThat(reason("epoch-ms", ZoneOffset.UTC, "1511544070")).isEqualTo(
                "timestamp out of range '1511544070' (reads as 1970-01-18T11:52:24.070Z; accepted 1990-01-01 to 2100-01-01; "
                        + "seconds? use --time-format epoch-s)");
    }

    @Test
    void isoWithAndWithoutZone() throws Exception {
        assertThat(parse("iso", "2017-11-24T17:21:10Z")).isEqualTo(T);
        assertThat(parse("iso", "2017-11-24T17:21:10.5Z")).isEqualTo(T + 500);
        assertThat(parse("iso", "2017-11-24T17:21:10.123456789Z")).isEqualTo(T + 123);
        assertThat(parse("iso", "2017-11-25T01:21:10+08:00")).isEqualTo(T);
        assertThat(parse("iso", "2017-11-25T01:21:10+0800")).isEqualTo(T);
        assertThat(parse("iso", "2017-11-24T12:21:10-05:00")).isEqualTo(T);
        assertThat(parse("iso", "2017-11-24 17:21:10")).isEqualTo(T);
        assertThat(parse("iso", "2017-11-24T17:21Z")).isEqualTo(T - 10_000);
        assertThat(parse("iso", "2017-11-24")).isEqualTo(1_511_481_600_000L);
        // without a zone the configured zone applies; with one, it does not
        TimestampParser shanghai = new TimestampParser("iso", ZoneId.of("Asia/Shanghai"));
        assertThat(shanghai.parse("2017-11-25 01:21:10")).isEqualTo(T);
        assertThat(shanghai.parse("2017-11-25T01:21:10.000")).isEqualTo(T);
        assertThat(shanghai.parse("2017-11-24T17:21:10Z")).isEqualTo(T);
        assertThat(reason("iso", ZoneOffset.UTC, "2017-02-30T00:00:00Z"))
                .isEqualTo("bad timestamp '2017-02-30T00:00:00Z': expected ISO-8601 (e.g. 2017-11-07T09:30:38Z)");
        assertThat(reason("iso", ZoneOffset.UTC, "24.11.2017 17:21"))
                .isEqualTo("bad timestamp '24.11.2017 17:21': expected ISO-8601 (e.g. 2017-11-07T09:30:38Z)");
        assertThat(reason("iso", ZoneOffset.UTC, "1511544070")).startsWith("bad timestamp '1511544070'");
    }

    @Test
    void fastPathAgreesWithJavaTime() throws Exception {
        TimestampParser p = new TimestampParser("iso", ZoneOffset.UTC);
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 2000; i++) {
            long ms = TimestampParser.MIN_MS + (long) (rnd.nextDouble() * (TimestampParser.MAX_MS - TimestampParser.MIN_MS));
            java.time.Instant at = java.time.Instant.ofEpochMilli(ms);
            assertThat(p.parse(at.toString())).isEqualTo(ms);
            String offset = at.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString();
            assertThat(p.parse(offset)).as(offset).isEqualTo(ms);
        }
    }

    @Test
    void javaPatterns() throws Exception {
        assertThat(parse("dd/MM/yyyy HH:mm:ss", "24/11/2017 17:21:10")).isEqualTo(T);
        assertThat(parse("yyyyMMdd", "20171124")).isEqualTo(1_511_481_600_000L);
        assertThat(parse("yyyy-MM-dd HH:mm:ssXXX", "2017-11-25 01:21:10+08:00")).isEqualTo(T);
        assertThat(new TimestampParser("dd/MM/yyyy HH:mm:ss", ZoneId.of("Europe/Berlin")).parse("24/11/2017 18:21:10")).isEqualTo(T);
        assertThat(reason("dd/MM/yyyy HH:mm:ss", ZoneOffset.UTC, "2017-11-24 17:21:10"))
                .isEqualTo("bad timestamp '2017-11-24 17:21:10': expected pattern dd/MM/yyyy HH:mm:ss");
        assertThatThrownBy(() -> new TimestampParser("yyyy-MM-dd {", ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--time-format 'yyyy-MM-dd {' is not a valid pattern: ");
    }

    @Test
    void autoTellsSecondsMillisecondsAndIsoApart() throws Exception {
        assertThat(parse("auto", "1511544070")).isEqualTo(T);
        assertThat(parse("auto", "1511544070123")).isEqualTo(T + 123);
        assertThat(parse(null, "2017-11-24T17:21:10Z")).isEqualTo(T);
        assertThat(reason(null, ZoneOffset.UTC, "soon")).isEqualTo("bad timestamp 'soon': expected epoch seconds, epoch milliseconds or ISO-8601");
        assertThat(reason(null, ZoneOffset.UTC, "2017\n11\u0000x")).isEqualTo("bad timestamp '2017?11?x': expected epoch seconds, epoch milliseconds or ISO-8601");
        assertThat(reason(null, ZoneOffset.UTC, "x".repeat(50))).isEqualTo("bad timestamp '" + "x".repeat(40) + "...': expected epoch seconds, epoch milliseconds or ISO-8601");
    }

    /**
     * Boundary fuzz: epoch values around the long range (seconds, milliseconds, microseconds, with
     * fractions and signs), ISO dates with years from -999999999 to +999999999, odd offsets and zones,
     * in every mode. Each value is either a time in the accepted range or a BadTimestamp; nothing else
     * may escape (an ArithmeticException used to fail the whole import).
     */
    @Test
    void extremeValuesAreBadTimestampsNeverOtherExceptions() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        String[] modes = {"auto", "epoch-s", "epoch-ms", "iso", "uuuu-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXX"};
        ZoneId[] zones = {ZoneOffset.UTC, ZoneId.of("Pacific/Kiritimati"), ZoneOffset.ofHours(-18)};
        String[] years = {"+999999999", "-999999999", "999999999", "+292278994", "-292275055", "0000", "0001", "1989", "1990",
                "2099", "2100", "9999", "+10000"};
        long[] longs = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 1000, Long.MAX_VALUE / 1000 + 1, Long.MIN_VALUE / 1000 - 1,
                TimestampParser.MIN_MS, TimestampParser.MAX_MS, TimestampParser.MIN_MS / 1000, TimestampParser.MAX_MS / 1000,
                99_999_999_999L, 100_000_000_000L, 1_700_000_000_000_000L, 0, -1};
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            String t;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    long v = longs[rnd.nextInt(longs.length)] + rnd.nextInt(-2, 3);
                    t = Long.toString(v) + (rnd.nextInt(4) == 0 ? "." + rnd.nextInt(1000) : "");
                }
                case 1 -> {
                    StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "-" : "");
                    int n = 1 + rnd.nextInt(30);
                    for (int k = 0; k < n; k++) {
                        sb.append((char) ('0' + rnd.nextInt(10)));
                    }
                    if (rnd.nextInt(3) == 0) {
                        sb.insert(1 + rnd.nextInt(sb.length()), '.');
                    }
                    t = sb.toString();
                }
                default -> {
                    String y = years[rnd.nextInt(years.length)];
                    String date = String.format("%s-%02d-%02d", y, rnd.nextInt(0, 14), rnd.nextInt(0, 33));
                    String time = String.format("%02d:%02d:%02d", rnd.nextInt(0, 25), rnd.nextInt(0, 61), rnd.nextInt(0, 61));
                    String frac = rnd.nextInt(3) == 0 ? "." + "9".repeat(1 + rnd.nextInt(12)) : "";
                    String[] offsets = {"", "Z", "+18:00", "-18:00", "+19:00", "+0530", "-00:01"};
                    String sep = rnd.nextBoolean() ? "T" : " ";
                    t = rnd.nextInt(6) == 0 ? date : date + sep + time + frac + offsets[rnd.nextInt(offsets.length)];
                }
            }
            TimestampParser p = new TimestampParser(modes[rnd.nextInt(modes.length)], zones[rnd.nextInt(zones.length)]);
            try {
                long ms = p.parse(t);
                assertThat(ms).as(t).isBetween(TimestampParser.MIN_MS, TimestampParser.MAX_MS - 1);
                accepted++;
            } catch (TimestampParser.BadTimestamp e) {
                assertThat(e.getMessage()).as(t).isNotBlank().doesNotContain("Exception");
                if (t.length() >= 5) {   // shorter values can occur in the fixed text ("1990-01-01")
                    assertThat(e.withoutValue()).as(t).doesNotContain(t.strip());
                }
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("'" + t + "' in mode " + p.description() + ": " + e, e);
            }
        }
        assertThat(accepted).as("in-range values among the fuzzed").isPositive();
        assertThat(refused).isPositive();
    }
}

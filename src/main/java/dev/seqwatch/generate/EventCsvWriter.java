package dev.seqwatch.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes {@code user_id,timestamp,action,item_id,category_id,amount} rows straight into a byte
 * buffer: formatting 10M rows through String.format or DateTimeFormatter would dominate the run.
 */
final class EventCsvWriter implements AutoCloseable {
    static final String HEADER = "user_id,timestamp,action,item_id,category_id,amount";

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private final long startEpoch;
    private final int userDigits;
    private final byte[][] actionNames;
    private long cachedDay = Long.MIN_VALUE;
    private byte[] dayPrefix;
    long rows;

    EventCsvWriter(OutputStream out, Instant start, int users) throws IOException {
        this.out = out;
        this.startEpoch = start.getEpochSecond();
        this.userDigits = userDigits(users);
        Action[] actions = Action.values();
        actionNames = new byte[actions.length][];
        for (Action a : actions) {
            actionNames[a.ordinal()] = a.logName().getBytes(StandardCharsets.US_ASCII);
        }
        bytes((HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    static int userDigits(int users) {
        return Math.max(6, Integer.toString(Math.max(0, users - 1)).length());
    }

    /** The user id written for user number {@code u}: "u" and zero-padded digits. */
    static String userId(int u, int users) {
        String digits = Integer.toString(u);
        return "u" + "0".repeat(Math.max(0, userDigits(users) - digits.length())) + digits;
    }

    void row(int user, int second, int action, int item, int category, int cents) throws IOException {
        if (pos > buf.length - 256) {
            flushBuffer();
        }
        buf[pos++] = 'u';
        padded(user, userDigits);
        buf[pos++] = ',';
        timestamp(startEpoch + second);
        buf[pos++] = ',';
        byte[] a = actionNames[action];
        System.arraycopy(a, 0, buf, pos, a.length);
        pos += a.length;
        buf[pos++] = ',';
        if (item >= 0) {
            number(Catalogue.ITEM_ID_BASE + item);
        }
        buf[pos++] = ',';
        if (category >= 0) {
            number(Catalogue.CATEGORY_ID_BASE + category);
        }
        buf[pos++] = ',';
        if (cents >= 0) {
            number(cents / 100);
            buf[pos++] = '.';
            int c = cents % 100;
            buf[pos++] = (byte) ('0' + c / 10);
            buf[pos++] = (byte) ('0' + c % 10);
        }
        buf[pos++] = '\n';
        rows++;
    }

    private void timestamp(long epoch) {
        long day = Math.floorDiv(epoch, 86_400L);
        int sec = (int) Math.floorMod(epoch, 86_400L);
        if (day != cachedDay) {
            cachedDay = day;
            dayPrefix = (LocalDate.ofEpochDay(day) + "T").getBytes(StandardCharsets.US_ASCII);
        }
        System.arraycopy(dayPrefix, 0, buf, pos, dayPrefix.length);
        pos += dayPrefix.length;
        two(sec / 3600);
        buf[pos++] = ':';
        two(sec / 60 % 60);
        buf[pos++] = ':';
        two(sec % 60);
        buf[pos++] = 'Z';
    }

    private void two(int v) {
        buf[pos++] = (byte) ('0' + v / 10);
        buf[pos++] = (byte) ('0' + v % 10);
    }

    private void padded(int v, int width) {
        int end = pos + width;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
        if (v > 0) {
            throw new IllegalStateException("user number wider than " + width + " digits");
        }
    }

    private void number(long v) {
        if (v == 0) {
            buf[pos++] = '0';
            return;
        }
        int start = pos;
        while (v > 0) {
            buf[pos++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void bytes(byte[] b) throws IOException {
        if (pos + b.length > buf.length) {
            flushBuffer();
        }
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    @Override
    public void close() throws IOException {
        flushBuffer();
        out.close();
    }
}

package dev.seqwatch.rings;

import dev.seqwatch.common.UserFacingException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the files {@code seqwatch generate} writes straight into a {@link RingInput} (no workspace), for the
 * ring benchmark at sizes an import would take long for: {@code events.csv} (user ids {@code u<digits>}
 * numbered from 0, rows in time order) and truth.csv's ring column.
 */
public final class GeneratedLog {
    private GeneratedLog() {
    }

    public static RingInput readEvents(Path events, int users) {
        int cap = 1 << 20;
        int[] user = new int[cap];
        long[] sec = new long[cap];
        int[] act = new int[cap];
        int[] item = new int[cap];
        long[] cents = new long[cap];
        Map<String, Integer> actions = new HashMap<>();
        int n = 0;
        long line = 1;
        try (BufferedReader r = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            String s = r.readLine();
            if (s == null || !s.startsWith("user_id,timestamp,action,item_id")) {
                throw new UserFacingException(events + ": not an events.csv of seqwatch generate (header " + s + ")");
            }
            String lastTs = "";
            long lastSec = 0;
            while ((s = r.readLine()) != null) {
                line++;
                String[] f = s.split(",", -1);
                if (f.length < 6 || f[0].length() < 2 || f[0].charAt(0) != 'u') {
                    throw new UserFacingException(events + ", line " + line + ": expected a generated row, found '" + s + "'");
                }
                if (n == user.length) {
                    cap = user.length * 2;
                    user = java.util.Arrays.copyOf(user, cap);
                    sec = java.util.Arrays.copyOf(sec, cap);
                    act = java.util.Arrays.copyOf(act, cap);
                    item = java.util.Arrays.copyOf(item, cap);
                    cents = java.util.Arrays.copyOf(cents, cap);
                }
                int u = Integer.parseInt(f[0], 1, f[0].length(), 10);
                if (u >= users) {
                    throw new UserFacingException(events + ", line " + line + ": user " + f[0] + " beyond " + users + " users");
                }
                user[n] = u;
                if (!f[1].equals(lastTs)) {
                    lastTs = f[1];
                    lastSec = Instant.parse(f[1]).getEpochSecond();
                }
                sec[n] = lastSec;
                act[n] = actions.computeIfAbsent(f[2], k -> actions.size());
                item[n] = f[3].isEmpty() ? -1 : Integer.parseInt(f[3]);
                cents[n] = f[5].isEmpty() ? -1 : Math.round(Double.parseDouble(f[5]) * 100);
                n++;
            }
        } catch (IOException | NumberFormatException | java.time.DateTimeException e) {
            throw new UserFacingException(events + ", line " + line + ": cannot read: " + e.getMessage(), e);
        }
        // stable counting sort by user keeps each user's events in time order
        int[] start = new int[users + 1];
        for (int i = 0; i < n; i++) {
            start[user[i] + 1]++;
        }
        for (int u = 0; u < users; u++) {
            start[u + 1] += start[u];
        }
        int[] pos = java.util.Arrays.copyOf(start, users);
        long[] s2 = new long[n];
        int[] a2 = new int[n];
        int[] i2 = new int[n];
        long[] c2 = new long[n];
        for (int i = 0; i < n; i++) {
            int k = pos[user[i]]++;
            s2[k] = sec[i];
            a2[k] = act[i];
            i2[k] = item[i];
            c2[k] = cents[i];
        }
        String[] ids = new String[users];
        int digits = Math.max(6, Integer.toString(Math.max(0, users - 1)).length());
        for (int u = 0; u < users; u++) {
            String d = Integer.toString(u);
            ids[u] = "u" + "0".repeat(Math.max(0, digits - d.length())) + d;
        }
        return new RingInput(ids, start, s2, a2, i2, c2);
    }

    /** truth.csv's ring column: user id to ring id, for the users in a ring. */
    public static Map<String, String> readRings(Path truth) {
        Map<String, String> out = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(truth, StandardCharsets.UTF_8)) {
            String s = r.readLine();
            if (s == null || !s.endsWith(",ring")) {
                throw new UserFacingException(truth + ": no ring column (generate it again with this version)");
            }
            while ((s = r.readLine()) != null) {
                int first = s.indexOf(',');
                int last = s.lastIndexOf(',');
                if (first > 0 && last < s.length() - 1) {
                    out.put(s.substring(0, first), s.substring(last + 1));
                }
            }
        } catch (IOException e) {
            throw new UserFacingException(truth + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }
}

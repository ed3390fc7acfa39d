package dev.seqwatch.detect.lstm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.detect.ModelFile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the training users of a given length look like, for two-sided user scores: per length bucket
 * (a user's number of scored steps n, bucket {@code floor(log2 n)}: 1, 2-3, 4-7, ...), the median and
 * robust scale (1.4826 x MAD) of three statistics of a user's step surprisals: their mean, their spread
 * (standard deviation) and the mean of the five largest. A user is then placed against its own length's
 * peers by robust z-scores, so "far more predictable than users of that length" (a script, a bot) is as
 * visible as "far more surprising". The same three statistics are also kept over all training users
 * ({@link #allMedian}, {@link #allScale}) for the upper tail, where a long history's extra chances of a
 * surprising step are part of what is anomalous. A bucket with fewer than {@link #MIN_USERS} training users borrows the
 * users of its nearest buckets until it has that many (or all there are).
 */
final class LengthNorms {
    static final int BUCKETS = 24;
    static final int MIN_USERS = 30;
    /** Statistics: mean surprisal, spread, mean of the top 5. */
    static final int MEAN = 0;
    static final int SPREAD = 1;
    static final int TOP5 = 2;
    static final int STATS = 3;
    /** Scale floor in nats: a bucket whose users all score alike does not turn tiny differences into huge z. */
    static final double MIN_SCALE = 0.05;

    /** [bucket][stat] median and scale; buckets beyond the longest training user use the last one. */
    final double[][] median;
    final double[][] scale;
    /** Training users per bucket (before borrowing). */
    final int[] users;
    /** [stat] median and scale over all training users, whatever their length. */
    final double[] allMedian;
    final double[] allScale;

    private LengthNorms(double[][] median, double[][] scale, int[] users, double[] allMedian, double[] allScale) {
        this.median = median;
        this.scale = scale;
        this.users = users;
        this.allMedian = allMedian;
        this.allScale = allScale;
    }

    static int bucket(int n) {
        return n <= 1 ? 0 : Math.min(BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(n));
    }

    /** {mean, spread, top-5 mean} of the finite step scores; null when there are none. */
    static double[] stats(double[] steps) {
        double[] s = Arrays.stream(steps).filter(Double::isFinite).toArray();
        if (s.length == 0) {
            return null;
        }
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        double mean = sum / s.length;
        double sq = 0;
        for (double v : s) {
            sq += (v - mean) * (v - mean);
        }
        Arrays.sort(s);
        int k = Math.min(5, s.length);
        double top = 0;
        for (int i = 0; i < k; i++) {
            top += s[s.length - 1 - i];
        }
        return new double[]{mean, Math.sqrt(sq / s.length), top / k, s.length};
    }

    /** The norms of the training users' step scores; null when no user has a finite step. */
    static LengthNorms fit(List<double[]> stepsPerUser) {
        List<List<double[]>> byBucket = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++) {
            byBucket.add(new ArrayList<>());
        }
        int total = 0;
        for (double[] steps : stepsPerUser) {
            double[] st = stats(steps);
            if (st != null) {
                byBucket.get(bucket((int) st[3])).add(st);
                total++;
            }
        }
        if (total == 0) {
            return null;
        }
        int need = Math.min(MIN_USERS, total);
        List<double[]> everyone = new ArrayList<>();
        byBucket.forEach(everyone::addAll);
        double[] allMed = new double[STATS];
        double[] allSc = new double[STATS];
        for (int k = 0; k < STATS; k++) {
            double[] ms = medianAndScale(everyone, k);
            allMed[k] = ms[0];
            allSc[k] = ms[1];
        }
        double[][] med = new double[BUCKETS][STATS];
        double[][] sc = new double[BUCKETS][STATS];
        int[] users = new int[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            users[b] = byBucket.get(b).size();
            List<double[]> pool = new ArrayList<>(byBucket.get(b));
            for (int d = 1; pool.size() < need && d < BUCKETS; d++) {
                if (b - d >= 0) {
                    pool.addAll(byBucket.get(b - d));
                }
                if (b + d < BUCKETS) {
                    pool.addAll(byBucket.get(b + d));
                }
            }
            for (int k = 0; k < STATS; k++) {
                double[] ms = medianAndScale(pool, k);
                med[b][k] = ms[0];
                sc[b][k] = ms[1];
            }
        }
        return new LengthNorms(med, sc, users, allMed, allSc);
    }

    /** Median and robust scale (1.4826 MAD, floored at {@link #MIN_SCALE}) of statistic k over the users. */
    private static double[] medianAndScale(List<double[]> users, int k) {
        double[] v = new double[users.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = users.get(i)[k];
        }
        Arrays.sort(v);
        double m = median(v);
        double[] dev = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            dev[i] = Math.abs(v[i] - m);
        }
        Arrays.sort(dev);
        return new double[]{m, Math.max(MIN_SCALE, 1.4826 * median(dev))};
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Robust z of each statistic of the user against its length bucket; null without a finite step. */
    double[] z(double[] steps) {
        double[] st = stats(steps);
        if (st == null) {
            return null;
        }
        int b = bucket((int) st[3]);
        double[] z = new double[STATS];
        for (int k = 0; k < STATS; k++) {
            z[k] = (st[k] - median[b][k]) / scale[b][k];
        }
        return z;
    }

    /** Robust z of each statistic of the user against all training users; null without a finite step. */
    double[] zAll(double[] steps) {
        double[] st = stats(steps);
        if (st == null) {
            return null;
        }
        double[] z = new double[STATS];
        for (int k = 0; k < STATS; k++) {
            z[k] = (st[k] - allMedian[k]) / allScale[k];
        }
        return z;
    }

    ObjectNode toJson() {
        ObjectNode o = ModelFile.json().createObjectNode();
        o.put("min_users", MIN_USERS);
        ArrayNode m = o.putArray("median");
        ArrayNode s = o.putArray("scale");
        ArrayNode u = o.putArray("users");
        for (int b = 0; b < BUCKETS; b++) {
            ArrayNode mb = m.addArray();
            ArrayNode sb = s.addArray();
            for (int k = 0; k < STATS; k++) {
                mb.add(median[b][k]);
                sb.add(scale[b][k]);
            }
            u.add(users[b]);
        }
        ArrayNode am = o.putArray("all_median");
        ArrayNode as = o.putArray("all_scale");
        for (int k = 0; k < STATS; k++) {
            am.add(allMedian[k]);
            as.add(allScale[k]);
        }
        return o;
    }

    /** Reads what {@link #toJson} wrote; IllegalArgumentException naming what is wrong. */
    static LengthNorms fromJson(JsonNode o) {
        double[][] med = matrix(o.path("median"), "median");
        double[][] sc = matrix(o.path("scale"), "scale");
        JsonNode u = o.path("users");
        if (!u.isArray() || u.size() != BUCKETS) {
            throw new IllegalArgumentException("length_norms.users must be an array of " + BUCKETS);
        }
        int[] users = new int[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            users[b] = u.get(b).asInt();
            for (int k = 0; k < STATS; k++) {
                if (!(sc[b][k] >= MIN_SCALE) || !Double.isFinite(sc[b][k])) {
                    throw new IllegalArgumentException("length_norms.scale[" + b + "][" + k + "] is " + sc[b][k]
                            + ", below " + MIN_SCALE + " or not finite");
                }
            }
        }
        double[][] all = matrix(o.path("all_median"), o.path("all_scale"));
        for (int k = 0; k < STATS; k++) {
            if (!(all[1][k] >= MIN_SCALE)) {
                throw new IllegalArgumentException("length_norms.all_scale[" + k + "] is " + all[1][k] + ", below " + MIN_SCALE);
            }
        }
        return new LengthNorms(med, sc, users, all[0], all[1]);
    }

    private static double[][] matrix(JsonNode medians, JsonNode scales) {
        double[][] out = new double[2][STATS];
        JsonNode[] rows = {medians, scales};
        String[] names = {"all_median", "all_scale"};
        for (int r = 0; r < 2; r++) {
            if (!rows[r].isArray() || rows[r].size() != STATS) {
                throw new IllegalArgumentException("length_norms." + names[r] + " must hold " + STATS + " numbers");
            }
            for (int k = 0; k < STATS; k++) {
                if (!rows[r].get(k).isNumber() || !Double.isFinite(rows[r].get(k).asDouble())) {
                    throw new IllegalArgumentException("length_norms." + names[r] + "[" + k + "] is not a finite number");
                }
                out[r][k] = rows[r].get(k).asDouble();
            }
        }
        return out;
    }

    private static double[][] matrix(JsonNode a, String name) {
        if (!a.isArray() || a.size() != BUCKETS) {
            throw new IllegalArgumentException("length_norms." + name + " must be an array of " + BUCKETS + " rows");
        }
        double[][] out = new double[BUCKETS][STATS];
        for (int b = 0; b < BUCKETS; b++) {
            JsonNode row = a.get(b);
            if (!row.isArray() || row.size() != STATS) {
                throw new IllegalArgumentException("length_norms." + name + "[" + b + "] must hold " + STATS + " numbers");
            }
            for (int k = 0; k < STATS; k++) {
                if (!row.get(k).isNumber() || !Double.isFinite(row.get(k).asDouble())) {
                    throw new IllegalArgumentException("length_norms." + name + "[" + b + "][" + k + "] is not a finite number");
                }
                out[b][k] = row.get(k).asDouble();
            }
        }
        return out;
    }
}

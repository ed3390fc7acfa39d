package dev.seqwatch.detect.iforest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Isolation Forest (Liu, Ting, Zhou 2008), written here because the well-kept JVM implementation
 * (Smile 3+) is GPL. Each tree isolates a random subsample of {@code psi} points by random splits
 * (a random non-constant feature, a uniform split between its min and max) up to depth
 * {@code ceil(log2 psi)}; the anomaly score is {@code s(x) = 2^(-E[h(x)] / c(psi)} where h is the
 * path length plus {@code c(size)} of the leaf it ends in, and
 * {@code c(n) = 2 H(n-1) - 2 (n-1) / n}, {@code H(i) = ln i + 0.5772156649} (c(2) = 1, c(1) = 0).
 * Scores near 1 are anomalies, near 0.5 or below normal; the same definition as scikit-learn's
 * {@code -score_samples}. Trees are stored flat (feature, split, children, leaf size).
 */
public final class IsolationForest {
    private static final double EULER = 0.5772156649;

    final int psi;
    final int[] roots;     // node index of each tree's root
    final int[] feature;   // -1 for a leaf
    final double[] split;
    final int[] left;
    final int[] right;
    final int[] size;      // leaf size (points that reached it while building)

    IsolationForest(int psi, int[] roots, int[] feature, double[] split, int[] left, int[] right, int[] size) {
        this.psi = psi;
        this.roots = roots;
        this.feature = feature;
        this.split = split;
        this.left = left;
        this.right = right;
        this.size = size;
    }

    /** Average path length of an unsuccessful BST search among n points. */
    public static double c(long n) {
        if (n > 2) {
            return 2.0 * (Math.log(n - 1) + EULER) - 2.0 * (n - 1) / n;
        }
        return n == 2 ? 1.0 : 0.0;
    }

    public static IsolationForest fit(double[][] x, int trees, int sampleSize, long seed) {
        int n = x.length;
        int psi = Math.min(sampleSize, n);
        int maxDepth = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
        Builder b = new Builder(x);
        int[] roots = new int[trees];
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int t = 0; t < trees; t++) {
            // subsample without replacement (partial Fisher-Yates)
            for (int i = 0; i < psi; i++) {
                int j = i + rnd.nextInt(n - i);
                int tmp = all[i];
                all[i] = all[j];
                all[j] = tmp;
            }
            int[] idx = Arrays.copyOf(all, psi);
            roots[t] = b.grow(idx, 0, psi, 0, maxDepth, rnd);
        }
        return b.build(psi, roots);
    }

    /** s(x) in (0, 1]. */
    public double score(double[] row) {
        double sum = 0;
        for (int root : roots) {
            sum += pathLength(row, root);
        }
        return Math.pow(2, -(sum / roots.length) / c(psi));
    }

    double pathLength(double[] row, int node) {
        int depth = 0;
        while (feature[node] >= 0) {
            node = row[feature[node]] < split[node] ? left[node] : right[node];
            depth++;
        }
        return depth + c(size[node]);
    }

    public int trees() {
        return roots.length;
    }

    private static final class Builder {
        final double[][] x;
        final int d;
        int n;
        int[] feature = new int[1024];
        double[] split = new double[1024];
        int[] left = new int[1024];
        int[] right = new int[1024];
        int[] size = new int[1024];

        Builder(double[][] x) {
            this.x = x;
            this.d = x[0].length;
        }

        int node() {
            if (n == feature.length) {
                int cap = n * 2;
                feature = Arrays.copyOf(feature, cap);
                split = Arrays.copyOf(split, cap);
                left = Arrays.copyOf(left, cap);
                right = Arrays.copyOf(right, cap);
                size = Arrays.copyOf(size, cap);
            }
            return n++;
        }

        /** Grows a subtree over idx[from, to). */
        int grow(int[] idx, int from, int to, int depth, int maxDepth, SplittableRandom rnd) {
            int me = node();
            int count = to - from;
            if (depth >= maxDepth || count <= 1) {
                return leaf(me, count);
            }
            // a random feature that is not constant on these points
            int q = -1;
            double lo = 0;
            double hi = 0;
            int start = rnd.nextInt(d);
            for (int k = 0; k < d && q < 0; k++) {
                int f = (start + k) % d;
                double mn = Double.POSITIVE_INFINITY;
                double mx = Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    double v = x[idx[i]][f];
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
                if (mx > mn) {
                    q = f;
                    lo = mn;
                    hi = mx;
                }
            }
            if (q < 0) {
                return leaf(me, count);
            }
            double p = lo + rnd.nextDouble() * (hi - lo);
            if (p <= lo) {
                p = Math.nextUp(lo);
            }
            int mid = from;
            for (int i = from; i < to; i++) {
                if (x[idx[i]][q] < p) {
                    int tmp = idx[i];
                    idx[i] = idx[mid];
                    idx[mid] = tmp;
                    mid++;
                }
            }
            feature[me] = q;
            split[me] = p;
            int l = grow(idx, from, mid, depth + 1, maxDepth, rnd);
            int r = grow(idx, mid, to, depth + 1, maxDepth, rnd);
            left[me] = l;
            right[me] = r;
            return me;
        }

        int leaf(int me, int count) {
            feature[me] = -1;
            size[me] = count;
            return me;
        }

        IsolationForest build(int psi, int[] roots) {
            return new IsolationForest(psi, roots, Arrays.copyOf(feature, n), Arrays.copyOf(split, n),
                    Arrays.copyOf(left, n), Arrays.copyOf(right, n), Arrays.copyOf(size, n));
        }
    }
}

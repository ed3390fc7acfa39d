package dev.seqwatch.evaluate;

/**
 * Precision and F1 projected to another class ratio, as DeepLog's HDFS figures are quoted: recall and the
 * false-positive rate are properties of the detector at a threshold and stay; the number of false
 * positives scales with the number of normal cases. With {@code A} abnormal and {@code N} normal cases,
 * precision = {@code recall*A / (recall*A + fpr*N)}.
 */
public record ProjectedRatio(long normal, long abnormal) {
    /** The test set of DeepLog's paper (Du et al., CCS 2017): 553,366 normal and 16,838 abnormal HDFS sessions. */
    public static final ProjectedRatio DEEPLOG_HDFS = new ProjectedRatio(553_366, 16_838);

    public ProjectedRatio {
        if (normal < 0 || abnormal <= 0) {
            throw new IllegalArgumentException("a projected ratio needs abnormal > 0 and normal >= 0, not "
                    + abnormal + " : " + normal);
        }
    }

    /** One operating point seen at this ratio. */
    public record Projected(double threshold, double recall, double falsePositiveRate, double precision, double f1) {
    }

    public double precision(double recall, double falsePositiveRate) {
        double tp = recall * abnormal;
        double fp = falsePositiveRate * normal;
        return tp + fp == 0 ? 0 : tp / (tp + fp);
    }

    public double f1(double recall, double falsePositiveRate) {
        double p = precision(recall, falsePositiveRate);
        return p + recall == 0 ? 0 : 2 * p * recall / (p + recall);
    }

    public Projected at(double threshold, double recall, double falsePositiveRate) {
        return new Projected(threshold, recall, falsePositiveRate, precision(recall, falsePositiveRate),
                f1(recall, falsePositiveRate));
    }

    public Projected at(ThresholdCurve.Point p) {
        return at(p.threshold(), p.recall(), p.falsePositiveRate());
    }

    /** The threshold with the best projected F1 (it looks at the labels: an upper bound, not an operating point). */
    public Projected best(ThresholdCurve c) {
        Projected best = at(Double.POSITIVE_INFINITY, 0, 0);
        for (int i = 0; i < c.distinctThresholds(); i++) {
            Projected q = at(c.point(i));
            if (q.f1() > best.f1()) {
                best = q;
            }
        }
        return best;
    }
}

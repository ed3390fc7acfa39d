package dev.seqwatch.export;

/**
 * What an export covers. {@code modelId} 0 or less: the active model. {@code userThreshold} NaN: the
 * model's calibrated threshold, else best F1 on the workspace's labels, else the top 5% of users.
 * {@code stepThreshold} NaN: the 99th percentile of the model's step scores (the workbench's default).
 * {@code maxUsers}: at most this many flagged users (0 or less: all).
 */
public record ExportOptions(int modelId, double userThreshold, double stepThreshold, int topSteps, int maxUsers,
                            int heatmapUsers, int heatmapSteps) {

    public ExportOptions {
        if (topSteps < 0 || topSteps > 50) {
            throw new dev.seqwatch.common.UserFacingException("top steps must be between 0 and 50, not " + topSteps);
        }
        if (heatmapUsers < 1 || heatmapUsers > 500 || heatmapSteps < 1 || heatmapSteps > 1000) {
            throw new dev.seqwatch.common.UserFacingException("the heatmap takes 1..500 users and 1..1000 steps, not "
                    + heatmapUsers + " x " + heatmapSteps);
        }
    }

    public static ExportOptions defaults() {
        return new ExportOptions(0, Double.NaN, Double.NaN, 3, 0, 60, 200);
    }

    public ExportOptions withThresholds(double user, double step) {
        return new ExportOptions(modelId, user, step, topSteps, maxUsers, heatmapUsers, heatmapSteps);
    }

    public ExportOptions withModel(int id) {
        return new ExportOptions(id, userThreshold, stepThreshold, topSteps, maxUsers, heatmapUsers, heatmapSteps);
    }

    public ExportOptions withTopSteps(int k) {
        return new ExportOptions(modelId, userThreshold, stepThreshold, k, maxUsers, heatmapUsers, heatmapSteps);
    }

    public ExportOptions withMaxUsers(int n) {
        return new ExportOptions(modelId, userThreshold, stepThreshold, topSteps, n, heatmapUsers, heatmapSteps);
    }
}

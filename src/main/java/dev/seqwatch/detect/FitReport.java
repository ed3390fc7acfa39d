package dev.seqwatch.detect;

import java.util.List;
import java.util.Map;

/**
 * What training did: sizes, time, the loss curve (empty for detectors without one) and
 * detector-specific figures for the model file and the Models view.
 */
public record FitReport(String detector, int users, long events, long millis, List<Double> lossPerEpoch,
                        Map<String, Object> details) {
}

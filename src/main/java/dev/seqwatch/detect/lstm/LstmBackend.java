package dev.seqwatch.detect.lstm;

import org.nd4j.linalg.factory.Nd4j;

/** Which ND4J backend runs the LSTM, in words for the command line and the workbench. */
public final class LstmBackend {
    private LstmBackend() {
    }

    /** E.g. "CPU (nd4j-native, 2 threads)" or "CUDA (nd4j-cuda)". */
    public static String describe() {
        String cls = Nd4j.getBackend().getClass().getName();
        boolean cuda = cls.toLowerCase(java.util.Locale.ROOT).contains("cuda") || cls.contains("Jcublas");
        return cuda ? "CUDA (nd4j-cuda-11.6)" : "CPU (nd4j-native, " + threads() + " threads)";
    }

    public static int threads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }
}

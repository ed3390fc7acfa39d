package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.UserFacingException;
import org.nd4j.linalg.factory.Nd4j;

/** Which ND4J backend runs the LSTM, in words for the command line and the workbench. */
public final class LstmBackend {
    private LstmBackend() {
    }

    /** E.g. "CPU (nd4j-native, 2 threads)" or "CUDA (nd4j-cuda-11.6)"; a clear error when none can start. */
    public static String describe() {
        String cls;
        try {
            cls = Nd4j.getBackend().getClass().getName();
        } catch (Throwable t) { // ExceptionInInitializerError / NoAvailableBackendException / UnsatisfiedLinkError
            throw new UserFacingException("no ND4J backend could start (" + rootMessage(t) + "). The CUDA build "
                    + "needs an NVIDIA GPU of compute capability 3.7 to 8.6 (or Ada), its driver and the CUDA 11.6 "
                    + "libraries; otherwise use the default CPU build (mvn package without -Pcuda)", t);
        }
        boolean cuda = cls.contains("JCublas") || cls.toLowerCase(java.util.Locale.ROOT).contains("cuda");
        return cuda ? "CUDA (nd4j-cuda-11.6)" : "CPU (nd4j-native, " + threads() + " threads)";
    }

    public static int threads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}

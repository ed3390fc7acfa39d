package dev.seqwatch.detect.lstm;

import dev.seqwatch.common.UserFacingException;
import org.nd4j.linalg.factory.Nd4j;

/** Which engine and backend run the LSTM, in words for the command line and the workbench. */
public final class LstmBackend {
    /** Present only in a build with the {@code cuda} Maven profile (nd4j-cuda-11.6 on the class path). */
    private static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private static volatile Boolean cuda;
    /** Set when this is a CUDA build whose backend could not start (no GPU / driver): why. */
    private static volatile String cudaUnavailable;

    private LstmBackend() {
    }

    /**
     * E.g. "CPU (Java LSTM kernels, 2 threads)" or "CUDA (nd4j-cuda-11.6)"; a clear error when the ND4J
     * backend that is needed cannot start.
     */
    public static String describe() {
        if ("java".equals(LstmNet.engineName())) {
            int n = Parallel.threads();
            String why = cudaUnavailable;
            return "CPU (Java LSTM kernels, " + n + " thread" + (n == 1 ? "" : "s")
                    + (why == null ? "" : "; the CUDA backend could not start: " + why) + ")";
        }
        return nd4jCuda() ? "CUDA (nd4j-cuda-11.6)" : "CPU (nd4j-native, " + Nd4j.getEnvironment().maxMasterThreads() + " threads)";
    }

    /** "java" (Java kernels, the CPU default) or "nd4j" (libnd4j's lstmLayer ops, the CUDA default). */
    public static String engine() {
        return LstmNet.engineName();
    }

    /** The ND4J backend in words (loads ND4J), e.g. "CPU, 2 threads" or "CUDA 11.6". */
    public static String describeNd4j() {
        return nd4jCuda() ? "CUDA 11.6" : "CPU, " + Nd4j.getEnvironment().maxMasterThreads() + " threads";
    }

    /** Threads the CPU engine uses. */
    public static int threads() {
        return "java".equals(LstmNet.engineName()) ? Parallel.threads() : Nd4j.getEnvironment().maxMasterThreads();
    }

    /**
     * True when this build carries the CUDA backend and it starts (a GPU and driver are there). The CPU build
     * answers without loading ND4J's native libraries. A CUDA build on a machine where CUDA cannot start
     * answers false, so the LSTM runs on the CPU (Java kernels) instead of failing.
     */
    static boolean isCuda() {
        Boolean c = cuda;
        if (c == null) {
            boolean present;
            try {
                Class.forName(CUDA_BACKEND_CLASS, false, LstmBackend.class.getClassLoader());
                present = true;
            } catch (ClassNotFoundException e) {
                present = false;
            }
            boolean ok = false;
            if (present) {
                try {
                    ok = nd4jCuda();
                } catch (UserFacingException e) {
                    cudaUnavailable = rootMessage(e.getCause() == null ? e : e.getCause());
                }
            }
            c = ok;
            cuda = c;
        }
        return c;
    }

    private static boolean nd4jCuda() {
        String cls;
        try {
            cls = Nd4j.getBackend().getClass().getName();
        } catch (Throwable t) { // ExceptionInInitializerError / NoAvailableBackendException / UnsatisfiedLinkError
            throw new UserFacingException("no ND4J backend could start (" + rootMessage(t) + "). The CUDA build "
                    + "needs an NVIDIA GPU of compute capability 3.7 to 8.6 (or Ada), its driver and the CUDA 11.6 "
                    + "libraries; otherwise use the default CPU build (mvn package without -Pcuda)", t);
        }
        return cls.contains("JCublas") || cls.toLowerCase(java.util.Locale.ROOT).contains("cuda");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}

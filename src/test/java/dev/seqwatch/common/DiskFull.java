package dev.seqwatch.common;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A full disk for tests: until closed, every file {@link OutputFiles} writes fails after {@code bytes}
 * bytes with the IOException the JDK raises for ENOSPC. (A real full file system needs a mount, which
 * tests cannot count on; /dev/full is refused as a device before anything is written.)
 */
public final class DiskFull implements AutoCloseable {
    private DiskFull() {
    }

    public static DiskFull after(long bytes) {
        OutputFiles.streamWrapper = os -> new FilterOutputStream(os) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > bytes) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
        return new DiskFull();
    }

    @Override
    public void close() {
        OutputFiles.streamWrapper = null;
    }
}

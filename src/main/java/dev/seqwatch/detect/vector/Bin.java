package dev.seqwatch.detect.vector;

import dev.seqwatch.common.UserFacingException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Flat big-endian arrays for model file entries (no Java serialisation). */
public final class Bin {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    public Bin doubles(double[] v) {
        try {
            out.writeInt(v.length);
            for (double d : v) {
                out.writeDouble(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Bin ints(int[] v) {
        try {
            out.writeInt(v.length);
            for (int i : v) {
                out.writeInt(i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Bin longs(long[] v) {
        try {
            out.writeInt(v.length);
            for (long i : v) {
                out.writeLong(i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Reads arrays back, with a clear error for a damaged entry. */
    public static final class Reader {
        private final DataInputStream in;
        private final String what;

        public Reader(byte[] b, String what) {
            this.in = new DataInputStream(new ByteArrayInputStream(b));
            this.what = what;
        }

        private int length(int elementBytes) throws IOException {
            int n = in.readInt();
            if (n < 0 || (long) n * elementBytes > in.available()) {
                throw new UserFacingException("damaged model file: entry " + what + " is truncated");
            }
            return n;
        }

        public double[] doubles() {
            try {
                double[] v = new double[length(8)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readDouble();
                }
                return v;
            } catch (IOException e) {
                throw new UserFacingException("damaged model file: entry " + what + " is truncated", e);
            }
        }

        public int[] ints() {
            try {
                int[] v = new int[length(4)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readInt();
                }
                return v;
            } catch (IOException e) {
                throw new UserFacingException("damaged model file: entry " + what + " is truncated", e);
            }
        }

        public long[] longs() {
            try {
                long[] v = new long[length(8)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readLong();
                }
                return v;
            } catch (IOException e) {
                throw new UserFacingException("damaged model file: entry " + what + " is truncated", e);
            }
        }
    }
}

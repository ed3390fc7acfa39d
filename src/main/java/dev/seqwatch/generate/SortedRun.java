package dev.seqwatch.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file of events in time order (fixed 21-byte records), one input of the external
 * merge that puts all users' events into one global time order with bounded memory.
 */
final class SortedRun implements AutoCloseable {
    static final int RECORD = 4 + 4 + 1 + 4 + 4 + 4;

    private final FileChannel channel;
    private final ByteBuffer bb = ByteBuffer.allocate(RECORD * 16_384);
    // the current record
    int second;
    int user;
    int action;
    int item;
    int category;
    int cents;

    static void write(Path file, EventColumns e, int[] order) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(RECORD * 16_384);
            for (int i : order) {
                if (b.remaining() < RECORD) {
                    b.flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    b.clear();
                }
                b.putInt(e.second[i]).putInt(e.user[i]).put(e.action[i]).putInt(e.item[i])
                        .putInt(e.category[i]).putInt(e.cents[i]);
            }
            b.flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    SortedRun(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        bb.limit(0);
    }

    /** Reads the next record into the fields; false at the end of the run. */
    boolean next() throws IOException {
        if (bb.remaining() < RECORD) {
            bb.compact();
            while (bb.position() < RECORD && channel.read(bb) >= 0) {
                // keep reading until a whole record is there or the file ends
            }
            bb.flip();
            if (bb.remaining() < RECORD) {
                return false;
            }
        }
        second = bb.getInt();
        user = bb.getInt();
        action = bb.get();
        item = bb.getInt();
        category = bb.getInt();
        cents = bb.getInt();
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

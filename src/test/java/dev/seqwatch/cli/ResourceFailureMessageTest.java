package dev.seqwatch.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 10: low memory and a full disk are named as such, with what to do, not "internal error". */
class ResourceFailureMessageTest {

    @Test
    void outOfMemoryAnywhereInTheChainIsNamedWithTheHeapAdvice() {
        String m = SeqwatchCli.resourceProblem(new RuntimeException("wrapped", new OutOfMemoryError("Java heap space")));
        assertTrue(m.startsWith("ran out of memory (Java heap of "), m);
        assertTrue(m.contains("run with a larger heap, e.g. java -Xmx"), m);
    }

    @Test
    void noSpaceLeftUnderH2sDatabaseClosedIsNamedAsAFullDisk() {
        SQLException h2 = new SQLException("The database has been closed [90098-240]",
                "90098", 90098, new IllegalStateException("Could not write", new IOException("No space left on device")));
        assertEquals("no space left on the disk; free some space and run the command again",
                SeqwatchCli.resourceProblem(new UncheckedIOException(new IOException("flush", h2))));
    }

    @Test
    void suppressedDiskFullIsFoundAndOtherFailuresAreLeftAlone() {
        RuntimeException r = new RuntimeException("boom");
        r.addSuppressed(new IOException("No space left on device"));
        assertEquals("no space left on the disk; free some space and run the command again",
                SeqwatchCli.resourceProblem(r));
        assertNull(SeqwatchCli.resourceProblem(new IllegalStateException("a bug")));
    }
}

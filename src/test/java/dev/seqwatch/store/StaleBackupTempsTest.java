package dev.seqwatch.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17 item 16: temp files of a backup/restore killed with -9 are cleaned on the next run; live ones are kept. */
class StaleBackupTempsTest {

    @Test
    void tempsOfDeadProcessesAreRemovedAndThoseOfLiveOnesKept(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        Path staleFile = Files.writeString(dir.resolve(".seqwatch-backup-" + dead + "-123.tmp"), "x");
        Path staleDir = Files.createDirectories(dir.resolve(".seqwatch-restore-" + dead + "-456"));
        Files.writeString(staleDir.resolve("restored.mv.db"), "y");
        Path mine = Files.writeString(dir.resolve(WorkspaceBackup.tempPrefix("h2backup") + "789.zip"), "z");
        Path other = Files.writeString(dir.resolve("keep.mv.db"), "w");

        assertEquals(2, WorkspaceBackup.cleanStaleTemps(dir));
        assertFalse(Files.exists(staleFile));
        assertFalse(Files.exists(staleDir));
        assertTrue(Files.exists(mine));
        assertTrue(Files.exists(other));
        assertTrue(WorkspaceBackup.tempPrefix("backup").startsWith(".seqwatch-backup-" + ProcessHandle.current().pid() + "-"));
    }
}

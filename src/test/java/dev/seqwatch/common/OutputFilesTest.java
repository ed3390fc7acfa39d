package dev.seqwatch.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputFilesTest {

    @Test
    void realPathsResolveLinksBeforeDotDotAlsoForFilesNotThereYet(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("a/b"));
        Files.createSymbolicLink(dir.resolve("l"), real);
        Path base = dir.toRealPath();
        // l/.. is a (where the link points, then up), not dir
        assertThat(OutputFiles.realPath(dir.resolve("l/../new.csv"))).isEqualTo(base.resolve("a/new.csv"));
        assertThat(OutputFiles.realPath(dir.resolve("./missing/./x"))).isEqualTo(base.resolve("missing/x"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("a/b/target.csv"));
        assertThat(OutputFiles.realPath(dir.resolve("dangling"))).isEqualTo(base.resolve("a/b/target.csv"));
    }

    @Test
    void aGuardedFileIsRefusedThroughALinkThatDoesNotResolveYet(@TempDir Path dir) throws IOException {
        Path ws = dir.resolve("w.lock.db"); // not there: H2 creates it while the workspace is open
        Path link = Files.createSymbolicLink(dir.resolve("out.csv"), ws);
        assertThatThrownBy(() -> OutputFiles.check("--out", link, List.of(new OutputFiles.Guarded(ws, "the lock file"))))
                .isInstanceOf(UserFacingException.class)
                .hasMessage("--out " + link + " would overwrite the lock file; give another file name (nothing was written)");
    }

    @Test
    void aStagedFileReplacesTheTargetOnlyOnCommitAndALinkStaysALink(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("t.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);
        try (OutputFiles.Staged s = OutputFiles.stage(link, os -> os.write("new".getBytes()))) {
            assertThat(Files.readString(target)).isEqualTo("old");
            s.commit();
        }
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        try (OutputFiles.Staged s = OutputFiles.stage(target, os -> os.write("discarded".getBytes()))) {
            assertThat(s).isNotNull(); // closed without commit
        }
        assertThat(Files.readString(target)).isEqualTo("new");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactlyInAnyOrder(target, link);
        }
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileNoFolderAndNamesAFullDisk(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("new/deeper/x.csv");
        try (DiskFull full = DiskFull.after(3)) {
            assertThatThrownBy(() -> OutputFiles.write(out, os -> os.write("more than three".getBytes())))
                    .isInstanceOf(UserFacingException.class)
                    .hasMessage("disk full while writing " + out + ": free some space in " + dir + " and run again; nothing was changed");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(OutputFiles.isDiskFull(new IOException("x", new java.nio.file.FileSystemException("f: No space left on device")))).isTrue();
        assertThat(OutputFiles.isDiskFull(new IOException("Permission denied"))).isFalse();
    }
}

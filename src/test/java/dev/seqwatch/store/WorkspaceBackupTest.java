package dev.seqwatch.store;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.testing.TinySessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceBackupTest {
    @TempDir
    Path dir;

    private Path backupOfTinyWorkspace(Path zip) {
        try (Workspace ws = Workspace.open(dir.resolve("src"))) {
            TinySessions.store(ws, TinySessions.generate(12, 2, 5), true);
            // taken while the workspace is open; a later write must not end up in it
            WorkspaceBackup.Summary s = WorkspaceBackup.backup(ws, zip, ProgressListener.NONE);
            assertThat(s.labels()).isEqualTo(14);
            ws.write(c -> new LabelDao().append(c, List.of(new LabelDao.NewLabel("n0", true, "other", "after", "t"))));
        }
        return zip;
    }

    @Test
    void backupOfAnOpenWorkspaceRestoresToANewWorkspaceWithTheSameData() throws Exception {
        Path zip = backupOfTinyWorkspace(dir.resolve("b.zip"));
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertThat(z.stream().map(ZipEntry::getName)).containsExactly(WorkspaceBackup.MANIFEST, WorkspaceBackup.DB_ENTRY);
        }
        WorkspaceBackup.Summary r = WorkspaceBackup.restore(zip, dir.resolve("copy"), false, ProgressListener.NONE);
        assertThat(r.file()).isEqualTo(dir.resolve("copy.mv.db").toAbsolutePath());
        assertThat(r.labels()).isEqualTo(14);
        assertThat(r.schemaVersion()).isNotEmpty();
        try (Workspace copy = Workspace.open(dir.resolve("copy")); Workspace src = Workspace.open(dir.resolve("src"))) {
            long copied = copy.read(c -> new EventDao().countEvents(c));
            long original = src.read(c -> new EventDao().countEvents(c));
            assertThat(copied).isEqualTo(original).isPositive();
            List<Label> restored = copy.read(c -> new LabelDao().all(c));
            assertThat(restored).hasSize(14);
            assertThat(src.read(c -> new LabelDao().all(c)).subList(0, 14)).isEqualTo(restored);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".seqwatch"));
        }
    }

    @Test
    void refusesToReplaceAWorkspaceWithoutForceOrWhileItIsOpen() {
        Path zip = backupOfTinyWorkspace(dir.resolve("b.zip"));
        assertThatThrownBy(() -> WorkspaceBackup.restore(zip, dir.resolve("src.mv.db"), false, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("already exists").hasMessageContaining("--force");
        try (Workspace open = Workspace.open(dir.resolve("src"))) {
            assertThatThrownBy(() -> WorkspaceBackup.restore(zip, dir.resolve("src"), true, ProgressListener.NONE))
                    .isInstanceOf(UserFacingException.class).hasMessageContaining("is open");
            List<Label> still = open.read(c -> new LabelDao().all(c));
            assertThat(still).hasSize(15);
        }
        WorkspaceBackup.restore(zip, dir.resolve("src"), true, ProgressListener.NONE);
        try (Workspace back = Workspace.open(dir.resolve("src"))) {
            List<Label> back14 = back.read(c -> new LabelDao().all(c));
            assertThat(back14).as("the label written after the backup is gone").hasSize(14);
        }
    }

    @Test
    void truncatedForeignAndDamagedArchivesAreRefusedAndNothingIsCreated() throws Exception {
        Path zip = backupOfTinyWorkspace(dir.resolve("b.zip"));
        byte[] bytes = Files.readAllBytes(zip);

        Path truncated = Files.write(dir.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> WorkspaceBackup.restore(truncated, dir.resolve("t1"), false, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("not a complete ZIP");

        Path foreign = dir.resolve("foreign.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(foreign))) {
            z.putNextEntry(new ZipEntry("notes.txt"));
            z.write("hello".getBytes());
        }
        assertThatThrownBy(() -> WorkspaceBackup.restore(foreign, dir.resolve("t2"), false, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("not a Seqwatch workspace backup");

        // same manifest, one byte of the database changed: the checksum catches it
        Path damaged = dir.resolve("damaged.zip");
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(damaged))) {
            for (ZipEntry e : in.stream().toList()) {
                byte[] data;
                try (InputStream s = in.getInputStream(e)) {
                    data = s.readAllBytes();
                }
                if (e.getName().equals(WorkspaceBackup.DB_ENTRY)) {
                    data[data.length / 2] ^= 0x5a;
                }
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(data);
            }
        }
        assertThatThrownBy(() -> WorkspaceBackup.restore(damaged, dir.resolve("t3"), false, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("checksum");

        assertThatThrownBy(() -> WorkspaceBackup.restore(dir.resolve("missing.zip"), dir.resolve("t4"), false, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("no backup file");
        for (String t : List.of("t1", "t2", "t3", "t4")) {
            assertThat(dir.resolve(t + ".mv.db")).doesNotExist();
        }
    }

    /** Issue 17 item 8: a small backup whose manifest declares a tiny database but inflates to a large one. */
    @Test
    void aBackupThatInflatesBeyondItsManifestIsRefusedAfterTheDeclaredBytes() throws Exception {
        Path zip = backupOfTinyWorkspace(dir.resolve("b.zip"));
        byte[] manifest;
        try (ZipFile in = new ZipFile(zip.toFile()); InputStream s = in.getInputStream(in.getEntry(WorkspaceBackup.MANIFEST))) {
            manifest = s.readAllBytes();
        }
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest);
        m.put("db_bytes", 100);
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry(WorkspaceBackup.MANIFEST));
            z.write(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(m));
            z.putNextEntry(new ZipEntry(WorkspaceBackup.DB_ENTRY));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) { // 64 MB of zeros, about 64 KB deflated
                z.write(zeros);
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        java.util.Set<Path> before;
        try (var l = Files.list(dir)) {
            before = l.collect(java.util.stream.Collectors.toSet());
        }
        assertThatThrownBy(() -> WorkspaceBackup.restore(bomb, dir.resolve("t5"), false, ProgressListener.NONE))
                .isInstanceOf(UserFacingException.class)
                .hasMessage(bomb + ": the database entry is larger than the 100 bytes the backup's manifest says; "
                        + "it is damaged, nothing was changed");
        try (var l = Files.list(dir)) {
            assertThat(l.collect(java.util.stream.Collectors.toSet())).as("no workspace, no temporary file left").isEqualTo(before);
        }
    }
}

package dev.seqwatch.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Backup and restore of a workspace. A backup is a ZIP with {@code seqwatch-backup.json} (what it is,
 * when, schema version, row counts, size and SHA-256 of the database) and {@code workspace.mv.db}, the
 * consistent copy H2's {@code BACKUP TO} takes while the workspace stays open. Restoring checks the
 * archive (complete ZIP, our manifest, checksum, opens as a Seqwatch workspace) in a temporary file
 * next to the target before anything is replaced, and never overwrites a workspace unless asked.
 */
public final class WorkspaceBackup {
    public static final String MANIFEST = "seqwatch-backup.json";
    public static final String DB_ENTRY = "workspace" + Workspace.SUFFIX;
    static final String FORMAT = "seqwatch-workspace-backup";
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkspaceBackup() {
    }

    /** What a backup holds. */
    public record Summary(Path file, long dbBytes, long events, long labels, long models, String schemaVersion,
                          Instant createdAt) {
    }

    private static final java.util.regex.Pattern TEMP_NAME =
            java.util.regex.Pattern.compile("\\.seqwatch-(?:h2backup|backup|restore)-(\\d+)-.*");

    /** Temp files of backup/restore carry the PID of the process that made them, so a later run can tell stale ones. */
    static String tempPrefix(String kind) {
        return ".seqwatch-" + kind + "-" + ProcessHandle.current().pid() + "-";
    }

    /**
     * Deletes temp files and folders in {@code dir} left by a backup or restore whose process is gone (killed
     * with -9, power loss); those of live processes, this one included, are left alone. Returns how many were removed.
     */
    static int cleanStaleTemps(Path dir) {
        int removed = 0;
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                java.util.regex.Matcher m = TEMP_NAME.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(f);
                } else {
                    deleteQuietly(f);
                }
                removed++;
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // cleaning is best effort; the command itself goes on
        }
        return removed;
    }

    /** Backs up the open workspace {@code ws} to {@code zip} (replaced if it exists). */
    public static Summary backup(Workspace ws, Path zip, ProgressListener p) {
        Path out = zip.toAbsolutePath();
        if (Files.isDirectory(out)) {
            throw new UserFacingException(zip + " is a folder; give a backup file name (e.g. workspace-backup.zip)");
        }
        OutputFiles.check("the backup file", zip, Workspace.guardedFiles(ws.file()));
        Path dir = out.getParent();
        Path h2zip = null;
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            cleanStaleTemps(dir);
            h2zip = Files.createTempFile(dir, tempPrefix("h2backup"), ".zip");
            Files.delete(h2zip); // BACKUP TO creates it
            String target = h2zip.toString();
            p.progress(0.05, "copying the database");
            ObjectNode manifest = JSON.createObjectNode();
            ws.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("BACKUP TO '" + target.replace("'", "''") + "'");
                }
                manifest.put("events", new EventDao().countEvents(c));
                manifest.put("labels", count(c, "SELECT COUNT(*) FROM label"));
                manifest.put("models", count(c, "SELECT COUNT(*) FROM model"));
                manifest.put("schema_version", schemaVersion(c));
                return null;
            });
            p.checkCancelled();
            p.progress(0.6, "writing " + zip.getFileName());
            tmp = Files.createTempFile(dir, tempPrefix("backup"), ".tmp");
            long bytes;
            String sha;
            try (ZipFile h2 = new ZipFile(h2zip.toFile())) {
                ZipEntry db = h2.stream().filter(e -> e.getName().endsWith(Workspace.SUFFIX)).findFirst()
                        .orElseThrow(() -> new IOException("H2 wrote no database file into its backup"));
                manifest.put("format", FORMAT);
                manifest.put("format_version", FORMAT_VERSION);
                manifest.put("application", "seqwatch");
                manifest.put("created_at", Instant.now().toString());
                manifest.put("source_workspace", ws.file().getFileName().toString());
                manifest.put("h2_version", org.h2.engine.Constants.VERSION);
                // the manifest needs size and checksum of the database, so the entry is hashed first
                MessageDigest md = sha256();
                long n = 0;
                try (InputStream in = new DigestInputStream(h2.getInputStream(db), md)) {
                    n = in.transferTo(OutputStream.nullOutputStream());
                }
                bytes = n;
                sha = HexFormat.of().formatHex(md.digest());
                manifest.put("db_entry", DB_ENTRY);
                manifest.put("db_bytes", bytes);
                manifest.put("db_sha256", sha);
                try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(tmp))) {
                    z.putNextEntry(new ZipEntry(MANIFEST));
                    z.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                    z.closeEntry();
                    z.putNextEntry(new ZipEntry(DB_ENTRY));
                    try (InputStream in = h2.getInputStream(db)) {
                        in.transferTo(z);
                    }
                    z.closeEntry();
                }
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            p.progress(1, "backed up " + ws.file().getFileName() + " to " + zip);
            return new Summary(out, bytes, manifest.get("events").asLong(), manifest.get("labels").asLong(),
                    manifest.get("models").asLong(), manifest.get("schema_version").asText(),
                    Instant.parse(manifest.get("created_at").asText()));
        } catch (IOException e) {
            if (OutputFiles.isDiskFull(e)) {
                throw new UserFacingException("disk full while writing the backup " + zip + "; free some space and run "
                        + "again; nothing was changed", e);
            }
            throw new UserFacingException("cannot write the backup " + zip + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(h2zip);
            deleteQuietly(tmp);
        }
    }

    /**
     * Restores {@code zip} as the workspace {@code target} ("x" or "x.mv.db"). An existing workspace is
     * replaced only with {@code force}, and never while it is open.
     */
    public static Summary restore(Path zip, Path target, boolean force, ProgressListener p) {
        Path base = Workspace.basePath(target).toAbsolutePath();
        Path file = Workspace.fileOf(base);
        if (!Files.isRegularFile(zip)) {
            throw new UserFacingException("no backup file " + zip);
        }
        OutputFiles.refuseGuarded("the workspace", file, java.util.List.of(OutputFiles.input("backup", zip)));
        if (Files.exists(file) && !force) {
            throw new UserFacingException("workspace " + file + " already exists; restore to a new name, or add --force "
                    + "to replace it");
        }
        if (Files.isDirectory(file)) {
            throw new UserFacingException(file + " is a folder, not a workspace file");
        }
        p.progress(0, "checking " + zip.getFileName());
        ObjectNode manifest = readManifest(zip);
        Path dir = base.getParent();
        Path tmpBase = null;
        try {
            Files.createDirectories(dir);
            cleanStaleTemps(dir);
            tmpBase = Files.createTempDirectory(dir, tempPrefix("restore")).resolve("restored");
            Path tmpFile = Workspace.fileOf(tmpBase);
            extract(zip, manifest, tmpFile, p);
            p.checkCancelled();
            p.progress(0.7, "opening the restored workspace");
            Summary s;
            try (Workspace ws = Workspace.open(tmpBase)) {
                long events = ws.read(c -> new EventDao().countEvents(c));
                long labels = ws.read(c -> count(c, "SELECT COUNT(*) FROM label"));
                long models = ws.read(c -> count(c, "SELECT COUNT(*) FROM model"));
                if (events != manifest.path("events").asLong(-1) || labels != manifest.path("labels").asLong(-1)) {
                    throw new UserFacingException(zip + ": the restored workspace holds " + events + " events and " + labels
                            + " labels, but the backup says " + manifest.path("events") + " and " + manifest.path("labels")
                            + "; the backup is damaged, nothing was changed");
                }
                s = new Summary(file, Files.size(tmpFile), events, labels, models, ws.read(WorkspaceBackup::schemaVersion),
                        Instant.parse(manifest.path("created_at").asText(Instant.EPOCH.toString())));
            } catch (UserFacingException e) {
                if (e.getMessage().contains(zip.toString())) {
                    throw e;
                }
                throw new UserFacingException(zip + ": the database in the backup does not open as a Seqwatch workspace ("
                        + e.getMessage() + "); nothing was changed", e);
            }
            p.progress(0.9, "replacing " + file.getFileName());
            if (Files.exists(file)) {
                refuseIfOpen(file);
            }
            Files.move(tmpFile, file, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(Path.of(base + ".trace.db"));
            p.progress(1, "restored " + file);
            return s;
        } catch (IOException e) {
            throw new UserFacingException("cannot restore " + zip + " to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmpBase != null) {
                deleteTree(tmpBase.getParent());
            }
        }
    }

    /** Reads and checks the manifest: a complete ZIP, ours, a format we know. */
    static ObjectNode readManifest(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry m = z.getEntry(MANIFEST);
            if (m == null) {
                throw new UserFacingException(zip + " is a ZIP file but not a Seqwatch workspace backup (it has no "
                        + MANIFEST + "); nothing was changed");
            }
            ObjectNode manifest;
            try (InputStream in = z.getInputStream(m)) {
                manifest = (ObjectNode) JSON.readTree(in);
            } catch (IOException | ClassCastException e) {
                throw new UserFacingException(zip + ": " + MANIFEST + " is unreadable; the backup is damaged", e);
            }
            if (!FORMAT.equals(manifest.path("format").asText())) {
                throw new UserFacingException(zip + " is not a Seqwatch workspace backup (format '"
                        + manifest.path("format").asText() + "')");
            }
            if (manifest.path("format_version").asInt() > FORMAT_VERSION) {
                throw new UserFacingException(zip + " was written by a newer Seqwatch (backup format "
                        + manifest.path("format_version").asInt() + "); update Seqwatch to restore it");
            }
            if (z.getEntry(manifest.path("db_entry").asText(DB_ENTRY)) == null) {
                throw new UserFacingException(zip + ": the backup has no database entry; it is damaged");
            }
            return manifest;
        } catch (ZipException e) {
            throw new UserFacingException(zip + " is not a complete ZIP file (truncated or not a backup): " + e.getMessage()
                    + "; nothing was changed", e);
        } catch (IOException e) {
            throw new UserFacingException("cannot read " + zip + ": " + e.getMessage(), e);
        }
    }

    /** Copies the database entry out, checking size, ZIP CRC and the manifest's SHA-256 on the way. */
    private static void extract(Path zip, ObjectNode manifest, Path to, ProgressListener p) throws IOException {
        String entry = manifest.path("db_entry").asText(DB_ENTRY);
        long expected = manifest.path("db_bytes").asLong(-1);
        if (!manifest.path("db_bytes").canConvertToLong() || expected <= 0) {
            throw new UserFacingException(zip + ": the backup's manifest gives no database size (db_bytes); "
                    + "it is damaged, nothing was changed");
        }
        MessageDigest md = sha256();
        long n = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.getName().equals(entry)) {
                    continue;
                }
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(to), md)) {
                    byte[] buf = new byte[1 << 16];
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        if (n + r > expected) {
                            throw new UserFacingException(zip + ": the database entry is larger than the " + expected
                                    + " bytes the backup's manifest says; it is damaged, nothing was changed");
                        }
                        out.write(buf, 0, r);
                        n += r;
                        if (expected > 0 && (n & ((1 << 24) - 1)) < r) {
                            p.checkCancelled();
                            p.progress(0.6 * n / expected, "extracting the database");
                        }
                    }
                }
                break;
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new UserFacingException(zip + ": the database entry is damaged or truncated (" + e.getMessage()
                    + "); nothing was changed", e);
        }
        if (n != expected) {
            throw new UserFacingException(zip + ": the database entry has " + n + " bytes, the backup says " + expected
                    + "; it is truncated or damaged, nothing was changed");
        }
        String sha = HexFormat.of().formatHex(md.digest());
        if (!sha.equalsIgnoreCase(manifest.path("db_sha256").asText())) {
            throw new UserFacingException(zip + ": the database checksum does not match the backup's manifest; it is "
                    + "damaged, nothing was changed");
        }
    }

    /** H2 holds a file lock on an open database (in this process or another); refuse to replace it then. */
    private static void refuseIfOpen(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new UserFacingException("workspace " + file + " is open (in this or another Seqwatch); close it "
                        + "before restoring over it");
            }
            lock.release();
        }
    }

    private static long count(java.sql.Connection c, String sql) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String schemaVersion(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT \"version\" FROM \"flyway_schema_history\" WHERE "
                + "\"success\" ORDER BY \"installed_rank\" DESC FETCH FIRST 1 ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // temporary file
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(WorkspaceBackup::deleteQuietly);
        } catch (IOException ignored) {
            // temporary folder
        }
    }
}

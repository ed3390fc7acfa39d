package dev.seqwatch.store;

import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.common.UserFacingException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One workspace = one embedded H2 file ({@code NAME.mv.db}). Opening it first checks the file's stored
 * schema without H2's SQL engine ({@link WorkspaceFileCheck}: files of other programs and crafted files
 * are refused before any of their statements runs), then migrates the schema with Flyway and removes
 * any import or scoring that a crash left unfinished.
 * All writes run on one writer thread ({@link #write}); reads use their own connections.
 * H2's file lock keeps a second process out; it is told so in one line.
 */
public final class Workspace implements AutoCloseable {
    public static final String SUFFIX = ".mv.db";

    private final Path file;
    private final JdbcDataSource dataSource;
    private final Connection keepAlive;
    private final ExecutorService writer;
    private volatile Thread writerThread;

    private Workspace(Path file, JdbcDataSource ds, Connection keepAlive) {
        this.file = file;
        this.dataSource = ds;
        this.keepAlive = keepAlive;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "seqwatch-db-writer");
            t.setDaemon(true);
            writerThread = t;
            return t;
        });
    }

    /** Opens or creates the workspace at {@code path} ("x", "x.mv.db" both mean file x.mv.db). */
    public static Workspace open(Path path) {
        Path base = basePath(path);
        Path file = fileOf(path);
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UserFacingException(file + " is not a workspace file");
        }
        try {
            Path dir = base.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (java.io.IOException e) {
            throw new UserFacingException("cannot create the folder for workspace " + file + ": " + e.getMessage(), e);
        }
        // before H2's SQL engine sees the file: it would run code a crafted schema holds while opening it
        WorkspaceFileCheck.check(file);
        JdbcDataSource ds = new JdbcDataSource();
        // DB_CLOSE_DELAY=-1 keeps it open while we hold connections; we close explicitly.
        ds.setURL("jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1;MAX_COMPACT_TIME=2000" + System.getProperty("seqwatch.h2.options", ""));
        ds.setUser("seqwatch");
        ds.setPassword("");
        Connection keep;
        try {
            keep = ds.getConnection();
        } catch (SQLException e) {
            throw translateOpenError(file, e);
        }
        try {
            refuseForeignDatabase(keep, file);
            Flyway flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration").load();
            refuseNewerSchema(flyway, file);
            int applied = flyway.migrate().migrationsExecuted;
            if (applied > 0) {
                // H2 2.4.240 evaluates CHECK constraints with the session that created them; after a
                // migration that session (Flyway's) is closed, so reopen the database once.
                closeQuietly(keep, true);
                keep = ds.getConnection();
            }
            Workspace ws = new Workspace(file, ds, keep);
            ws.write(c -> {
                new ImportDao().removeUnfinished(c);
                new ScoreDao().removeUnfinished(c);
                return null;
            });
            return ws;
        } catch (RuntimeException | SQLException e) {
            closeQuietly(keep, true);
            if (e instanceof UserFacingException u) {
                throw u;
            }
            if (e instanceof FlywayException) {
                throw new UserFacingException(file + ": cannot prepare the workspace schema: " + e.getMessage(), e);
            }
            throw new UserFacingException(file + ": cannot open workspace: " + e.getMessage(), e);
        }
    }

    /** The workspace file {@code path} names: "x" and "x.mv.db" both mean x.mv.db. */
    public static Path fileOf(Path path) {
        return Path.of(basePath(path) + SUFFIX);
    }

    static Path basePath(Path path) {
        String s = path.toString();
        if (s.endsWith(SUFFIX)) {
            s = s.substring(0, s.length() - SUFFIX.length());
        }
        return Path.of(s);
    }

    /**
     * Opens the workspace at {@code path} only if it exists: every command but import (and restore)
     * works on a workspace that is already there, so a mistyped {@code --db} creates nothing.
     */
    public static Workspace openExisting(Path path) {
        Path file = fileOf(path);
        if (!Files.exists(file)) {
            throw new UserFacingException("no workspace at " + file + " (create one with seqwatch import)");
        }
        return open(path);
    }

    /** The workspace file at {@code path} and the lock, trace and temporary files H2 keeps next to it: no output may replace them. */
    public static List<OutputFiles.Guarded> guardedFiles(Path path) {
        Path file = fileOf(path);
        String base = basePath(path).toString();
        List<OutputFiles.Guarded> files = new ArrayList<>();
        files.add(new OutputFiles.Guarded(file, "the workspace " + file));
        for (String s : new String[]{".lock.db", ".trace.db", ".temp.db", SUFFIX + ".tempFile", SUFFIX + ".newFile"}) {
            files.add(new OutputFiles.Guarded(Path.of(base + s), "a file of the workspace " + file + " (" + base + s + ")"));
        }
        return files;
    }

    private static UserFacingException translateOpenError(Path file, SQLException e) {
        int code = e.getErrorCode();
        if (code == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return new UserFacingException("workspace already open by another Seqwatch: " + file, e);
        }
        if (code == ErrorCode.FILE_CORRUPTED_1 || code == ErrorCode.FILE_VERSION_ERROR_1
                || code == ErrorCode.WRONG_USER_OR_PASSWORD || code == ErrorCode.GENERAL_ERROR_1) {
            return new UserFacingException(file + " is not a Seqwatch workspace (or it is damaged): "
                    + firstLine(e.getMessage()), e);
        }
        if ((code == ErrorCode.IO_EXCEPTION_1 || code == ErrorCode.IO_EXCEPTION_2) && Files.isRegularFile(file)) {
            if (!Files.isReadable(file) || !Files.isWritable(file)) {
                return new UserFacingException("cannot open workspace " + file + ": no permission to read and write it", e);
            }
            // an existing file H2 cannot read as a database (H2 reports it as an I/O error)
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new UserFacingException(file + " is not a Seqwatch workspace (or it is damaged): "
                    + firstLine(root.getMessage()), e);
        }
        return new UserFacingException("cannot open workspace " + file + ": " + firstLine(e.getMessage()), e);
    }

    private static void refuseForeignDatabase(Connection c, Path file) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            boolean any = false;
            boolean ours = false;
            while (rs.next()) {
                any = true;
                String t = rs.getString(1);
                ours |= t.equalsIgnoreCase("workspace_meta");
            }
            if (any && !ours) {
                throw new UserFacingException(file + " is an H2 database of another program, not a Seqwatch workspace; nothing was changed");
            }
        }
        SchemaGuard.check(c, file);
    }

    /**
     * Flyway ignores applied migrations it does not know ("future" ones) by default, so an older
     * Seqwatch would silently work on a schema it does not understand: refuse instead.
     */
    private static void refuseNewerSchema(Flyway flyway, Path file) {
        String newest = null;
        String known = "1";
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getVersion() == null) {
                continue;
            }
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                newest = m.getVersion().getVersion();
            } else {
                known = m.getVersion().getVersion();
            }
        }
        if (newest != null) {
            throw new UserFacingException(file + " was written by a newer Seqwatch (workspace schema version " + newest
                    + "; this version knows up to " + known + "); open it with that version");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} on the writer thread in one transaction and waits for it. */
    public <T> T write(SqlWork<T> work) {
        if (Thread.currentThread() == writerThread) {
            return inTransaction(work);
        }
        Future<T> f = writer.submit(() -> inTransaction(work));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while writing to the workspace", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Runs long bulk work on the writer thread with a connection whose commits the work makes itself
     * (e.g. one per batch). If it fails, its open transaction is rolled back and {@code cleanup}
     * removes whatever it had committed, in a transaction of its own, before the failure is rethrown.
     */
    public <T> T writeBulk(SqlWork<T> work, SqlWork<?> cleanup) {
        return write(ignored -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    checkpoint(c);
                    return result;
                } catch (Throwable t) {
                    try {
                        c.rollback();
                        cleanup.run(c);
                        c.commit();
                        checkpoint(c);
                    } catch (SQLException | RuntimeException e) {
                        t.addSuppressed(e);
                    }
                    throw t;
                }
            }
        });
    }

    private <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                checkpoint(c);
                return result;
            } catch (Throwable t) {
                c.rollback();
                throw t;
            }
        } catch (SQLException e) {
            throw new StoreException("workspace write failed: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Writes the committed state into the file now. H2's MVStore otherwise writes commits in the
     * background (WRITE_DELAY, 500 ms; WRITE_DELAY=0 turns that writer off rather than writing at each
     * commit), so a process killed right after a commit lost it: a label the analyst saw saved was
     * gone after a kill -9 (found by CrashRecoveryTest). Not an fsync: a killed process loses nothing
     * committed, but a power cut or OS crash can still lose the last writes (H2 does not promise durability
     * on power loss; the README's backup section says so).
     */
    private static void checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** Runs read-only {@code work} on the caller's thread with a connection of its own. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("workspace read failed: " + firstLine(e.getMessage()), e);
        }
    }

    /** A fresh connection for long streaming work owned by the caller (e.g. a bulk import on the writer thread). */
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(keepAlive, true);
    }

    private static void closeQuietly(Connection c, boolean shutdown) {
        try {
            if (shutdown) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}

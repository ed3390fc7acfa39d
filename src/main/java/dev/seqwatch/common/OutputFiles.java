package dev.seqwatch.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The one rule for every file Seqwatch writes for the user (CSV and HTML exports, score CSVs, model
 * files, backups), shared by the command line and the workbench's save dialogs:
 * <ul>
 *   <li>{@link #check} refuses, before anything is written, an output that is (or would replace) a file
 *   the command reads or holds open: the workspace and H2's lock / trace / temporary files next to it,
 *   or an input of the command ({@code --model}, {@code --labels}, ...). Paths are compared as real
 *   paths (symbolic links, {@code ./x}, {@code a/../x} resolved) and, where both files exist, with
 *   {@link Files#isSameFile} (hard links). It also refuses a folder, a device or pipe (e.g.
 *   {@code /dev/full}: writing next to it would replace the device node), and any existing Seqwatch
 *   workspace file ({@code *.mv.db}).</li>
 *   <li>{@link #stage} writes the content to a temporary file in the target's folder; {@link Staged#commit}
 *   moves it into place. A failed write deletes the temporary file and leaves an existing target as it
 *   was; a full disk is named as such. Callers that also change the workspace stage the file first and
 *   commit it after the workspace transaction, so a failing command changes nothing.</li>
 * </ul>
 */
public final class OutputFiles {
    /** Test seam: wraps every stream {@link #stage} writes to (e.g. to simulate a full disk); null: none. */
    static volatile UnaryOperator<OutputStream> streamWrapper;

    private OutputFiles() {
    }

    /** A file an output must never replace, and how a message names it ("the workspace x.mv.db"). */
    public record Guarded(Path path, String what) {
    }

    /** An input of a command, named by its option: {@code input("--model", m)} is "the --model file m". */
    public static Guarded input(String option, Path path) {
        return new Guarded(path, "the " + option + " file " + path);
    }

    /** Writes the content of a file to {@code out}. */
    @FunctionalInterface
    public interface StreamWork {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Refuses {@code out} (named {@code option} in the message, e.g. "--out" or "the CSV file") when it
     * is, or would replace, one of {@code guarded}; when it is a folder, a device, a pipe or an existing
     * workspace file; or when its folder cannot hold a new file. Writes nothing.
     */
    public static void check(String option, Path out, Collection<Guarded> guarded) {
        if (out == null) {
            return;
        }
        refuseGuarded(option, out, guarded);
        Path real = realPath(out);
        String name = option + " " + out;
        if (Files.isDirectory(real)) {
            throw new UserFacingException(name + " is a folder; give a file name (nothing was written)");
        }
        if (Files.exists(real) && !Files.isRegularFile(real)) {
            throw new UserFacingException(name + " is not a regular file (a device, pipe or socket); give the name of a "
                    + "file to write (nothing was written)");
        }
        String fileName = real.getFileName() == null ? "" : real.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.exists(real) && (fileName.endsWith(".mv.db") || fileName.endsWith(".lock.db") || fileName.endsWith(".trace.db"))) {
            throw new UserFacingException(name + " is a Seqwatch workspace file; outputs never replace a workspace, give "
                    + "another file name (nothing was written)");
        }
        Path ancestor = real.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor != null && !Files.isDirectory(ancestor)) {
            throw new UserFacingException(name + ": " + ancestor + " is a file, not a folder (nothing was written)");
        }
        if (ancestor != null && !Files.isWritable(ancestor)) {
            throw new UserFacingException(name + ": cannot create files in " + ancestor + " (no permission; nothing was written)");
        }
    }

    /**
     * The part of {@link #check} for outputs that may replace a file of their kind (restoring over a
     * workspace): refuses {@code out} only when it is, or would replace, one of {@code guarded}.
     */
    public static void refuseGuarded(String option, Path out, Collection<Guarded> guarded) {
        if (out == null) {
            return;
        }
        Path real = realPath(out);
        for (Guarded g : guarded) {
            if (g.path() != null && same(out, real, g.path())) {
                throw new UserFacingException(option + " " + out + " would overwrite " + g.what()
                        + "; give another file name (nothing was written)");
            }
        }
    }

    /** {@link #check} with the guarded files of two lists, e.g. a workspace's files and a command's inputs. */
    public static void check(String option, Path out, Collection<Guarded> first, Collection<Guarded> more) {
        List<Guarded> all = new ArrayList<>(first);
        all.addAll(more);
        check(option, out, all);
    }

    /** Writes {@code out} atomically: {@link #stage} and {@link Staged#commit} at once. */
    public static void write(Path out, StreamWork work) {
        try (Staged s = stage(out, work)) {
            s.commit();
        }
    }

    /**
     * Writes the content to a temporary file in the folder of {@code out} (of the file a symbolic link
     * names, so the link stays), creating missing folders; nothing replaces {@code out} before
     * {@link Staged#commit}. On failure the temporary file and the folders created are removed and the
     * message names the cause (a full disk as "disk full while writing ...").
     */
    public static Staged stage(Path out, StreamWork work) {
        check("the output file", out, List.of());
        Path target = realPath(out);
        Path dir = target.getParent();
        List<Path> created = new ArrayList<>();
        Path tmp = null;
        try {
            for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
                created.add(0, d);
            }
            for (Path d : created) {
                Files.createDirectory(d);
            }
            tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
            OutputStream raw = Files.newOutputStream(tmp);
            UnaryOperator<OutputStream> wrap = streamWrapper;
            try (OutputStream os = wrap == null ? raw : wrap.apply(raw)) {
                work.write(os);
            }
            readableByOthers(tmp);
            return new Staged(out, target, tmp, created);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            removeCreated(created);
            if (e instanceof UserFacingException u) {
                throw u;
            }
            if (e instanceof IOException io) {
                throw failure(out, dir, io);
            }
            if (e instanceof java.io.UncheckedIOException u) {
                throw failure(out, dir, u.getCause());
            }
            throw (RuntimeException) e;
        }
    }

    /** A file written to its temporary name; {@link #commit} moves it into place, {@link #close} discards it if not. */
    public static final class Staged implements AutoCloseable {
        private final Path out;
        private final Path target;
        private final Path tmp;
        private final List<Path> created;
        private boolean done;

        private Staged(Path out, Path target, Path tmp, List<Path> created) {
            this.out = out;
            this.target = target;
            this.tmp = tmp;
            this.created = created;
        }

        /** Replaces the target with the staged file (atomically where the file system can). */
        public void commit() {
            try {
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                done = true;
            } catch (IOException e) {
                throw failure(out, target.getParent(), e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                deleteQuietly(tmp);
                removeCreated(created);
                done = true;
            }
        }
    }

    /** One line for a failed write; a full disk is called that. */
    static UserFacingException failure(Path out, Path dir, IOException e) {
        if (isDiskFull(e)) {
            return new UserFacingException("disk full while writing " + out + ": free some space in " + existing(dir)
                    + " and run again; nothing was changed", e);
        }
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            why = "no permission (" + why + ")";
        }
        return new UserFacingException("cannot write " + out + ": " + why + "; nothing was changed", e);
    }

    /** ENOSPC / EDQUOT on Linux and macOS, ERROR_DISK_FULL on Windows, however deep in the causes. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }

    private static Path existing(Path dir) {
        Path d = dir;
        while (d != null && !Files.exists(d)) {
            d = d.getParent();
        }
        return d == null ? dir : d;
    }

    /** Same file: equal real paths, or {@link Files#isSameFile} where both exist (hard links). */
    private static boolean same(Path out, Path realOut, Path guarded) {
        if (realOut.equals(realPath(guarded))) {
            return true;
        }
        if (Files.exists(out) && Files.exists(guarded)) {
            try {
                return Files.isSameFile(out, guarded);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * The real path {@code p} names, also when it does not exist yet: the real path of its deepest
     * existing ancestor with the rest appended; "." and ".." are resolved after symbolic links (as
     * the file system does), and a dangling symbolic link is followed to where it points.
     */
    public static Path realPath(Path p) {
        return realPath(p.toAbsolutePath(), 0);
    }

    private static Path realPath(Path abs, int depth) {
        try {
            return abs.toRealPath();
        } catch (IOException | SecurityException notThere) {
            // resolved below
        }
        if (depth > 40) {
            return abs.normalize();
        }
        Path parent = abs.getParent();
        if (Files.isSymbolicLink(abs)) {
            try {
                Path target = Files.readSymbolicLink(abs);
                return realPath(parent == null ? target.toAbsolutePath() : parent.resolve(target), depth + 1);
            } catch (IOException | SecurityException e) {
                return abs.normalize();
            }
        }
        Path name = abs.getFileName();
        if (parent == null || name == null) {
            return abs.normalize();
        }
        Path realParent = realPath(parent, depth + 1);
        return switch (name.toString()) {
            case "." -> realParent;
            case ".." -> realParent.getParent() == null ? realParent : realParent.getParent();
            default -> realParent.resolve(name.toString());
        };
    }

    /** Temporary files are created owner-only; an output is meant to be shared, like any file the user saves. */
    private static void readableByOthers(Path f) {
        try {
            if (Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null) {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static void removeCreated(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            deleteQuietly(created.get(i));
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file or an empty folder we created; nothing else to do
            }
        }
    }
}

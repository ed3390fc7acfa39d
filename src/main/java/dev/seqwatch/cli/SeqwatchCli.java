package dev.seqwatch.cli;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.UserFacingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Set;

/** The headless command line: {@code seqwatch <sub-command> ...} (picocli; the README's "Command line" section). */
@Command(name = "seqwatch", mixinStandardHelpOptions = true, versionProvider = SeqwatchCli.Version.class,
        description = "Find anomalous user-behaviour sequences. Without a sub-command the workbench opens.",
        subcommands = {
                ImportCommand.class,
                ImportScoresCommand.class,
                LabelsCommand.class,
                GenerateCommand.class,
                BenchCommand.class,
                TrainCommand.class,
                ScoreCommand.class,
                EvaluateCommand.class,
                CompareCommand.class,
                ExportCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                DiffCommand.class,
                ModelsCommand.class,
                QueueCommand.class,
                RingsCommand.class,
        })
public final class SeqwatchCli implements Runnable {

    private static final Set<String> GUI_OPTIONS = Set.of("--open", "--sample");

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** True when the arguments ask for the workbench rather than a sub-command. */
    public static boolean isGuiInvocation(String[] args) {
        return args.length == 0 || GUI_OPTIONS.contains(args[0]);
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command; a user-facing failure becomes one line on {@code err} and a non-zero status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SeqwatchCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable t = ex;
            if (t instanceof CancelledException) {
                err.println("seqwatch: cancelled; nothing was changed");
                return 130;
            }
            if (t instanceof UserFacingException) {
                err.println("seqwatch: " + t.getMessage());
                return 1;
            }
            String resource = resourceProblem(t);
            if (resource != null) {
                err.println("seqwatch: " + resource);
                return 1;
            }
            err.println("seqwatch: internal error: " + t);
            t.printStackTrace(err);
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * Names a failure caused by the machine rather than by the input or by a bug: low memory (an
     * {@link OutOfMemoryError} anywhere in the cause chain) or a full disk ("No space left on device" in
     * any message of the chain, which H2 often wraps as "The database has been closed"). Returns the
     * one-line message to print with what to do, or null when the failure is neither.
     */
    static String resourceProblem(Throwable t) {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(t);
        boolean oom = false;
        boolean diskFull = false;
        while (!todo.isEmpty()) {
            Throwable c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            if (c instanceof OutOfMemoryError) {
                oom = true;
            }
            String m = c.getMessage();
            if (m != null) {
                String lower = m.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("no space left on device") || lower.contains("disk full")
                        || lower.contains("not enough space on the disk")) {
                    diskFull = true;
                }
            }
            if (c.getCause() != null) {
                todo.add(c.getCause());
            }
            for (Throwable s : c.getSuppressed()) {
                todo.add(s);
            }
        }
        if (diskFull) {
            return "no space left on the disk; free some space and run the command again";
        }
        if (oom) {
            return "ran out of memory (Java heap of " + maxMb + " MB); run with a larger heap, e.g."
                    + " java -Xmx" + Math.max(1024, Long.highestOneBit(Math.max(1, maxMb)) * 2 / 1024 * 1024)
                    + "m -jar seqwatch.jar ..., or work on a smaller input";
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SeqwatchCli.class.getPackage().getImplementationVersion();
            return new String[]{"seqwatch " + (v == null ? "dev" : v)};
        }
    }
}

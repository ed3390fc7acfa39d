package dev.seqwatch.cli;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.UserFacingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Set;

/** The headless command line: {@code seqwatch <sub-command> ...} (DESIGN.md section 5). */
@Command(name = "seqwatch", mixinStandardHelpOptions = true, versionProvider = SeqwatchCli.Version.class,
        description = "Find anomalous user-behaviour sequences. Without a sub-command the workbench opens.",
        subcommands = {
                ImportCommand.class,
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
            err.println("seqwatch: internal error: " + t);
            t.printStackTrace(err);
            return 2;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SeqwatchCli.class.getPackage().getImplementationVersion();
            return new String[]{"seqwatch " + (v == null ? "dev" : v)};
        }
    }
}

package dev.seqwatch.cli;

import dev.seqwatch.store.WorkspaceBackup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqwatch restore}: a backup ZIP back into a workspace file, checked before anything is replaced. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a workspace from a backup ZIP (checks the archive first; refuses to replace an "
                + "existing workspace without --force).")
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "backup ZIP (from seqwatch backup)")
    Path from;

    @Option(names = "--db", required = true, description = "workspace file to create")
    Path db;

    @Option(names = "--force", description = "replace the workspace if it exists (it must not be open)")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        WorkspaceBackup.Summary s;
        try (ConsoleProgress p = new ConsoleProgress(err)) {
            s = WorkspaceBackup.restore(from, db, force, p);
        }
        err.printf("restored %s from %s (%,d events, %,d label rows, %d models; backup taken %s)%n", s.file(), from,
                s.events(), s.labels(), s.models(), s.createdAt());
        err.flush();
        return 0;
    }
}

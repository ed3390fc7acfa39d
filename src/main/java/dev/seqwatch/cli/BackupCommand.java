package dev.seqwatch.cli;

import dev.seqwatch.store.Workspace;
import dev.seqwatch.store.WorkspaceBackup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqwatch backup}: a consistent copy of a workspace as one ZIP (H2 BACKUP TO + manifest). */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Back up a workspace to a ZIP file (works while the workbench has it open in this process; "
                + "restore with seqwatch restore).")
public final class BackupCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--out", required = true, description = "backup ZIP file to write (replaced if it exists)")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        Cli.refuseOverwrite("--out", out, db);
        WorkspaceBackup.Summary s;
        try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
            s = WorkspaceBackup.backup(ws, out, p);
        }
        err.printf("backed up %s to %s (%,d events, %,d label rows, %d models; database %,d bytes)%n", db, out,
                s.events(), s.labels(), s.models(), s.dbBytes());
        err.flush();
        return 0;
    }
}

package dev.seqwatch.cli;

import dev.seqwatch.ingest.LabelImporter;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqwatch labels}: append analyst labels to the workspace's label history. */
@Command(name = "labels", mixinStandardHelpOptions = true,
        description = "Import labels (user_id,label[,fraud_type[,note]]; label normal|fraud or 0|1). Labels are appended, never overwritten.")
public final class LabelsCommand implements Callable<Integer> {
    @Option(names = "--db", required = true)
    Path db;
    @Option(names = "--input", required = true)
    Path input;
    @Option(names = "--analyst", description = "who labelled (default: the OS user name)")
    String analyst;
    @Option(names = "--pseudonymise-key-file", description = "the key file the events were imported with: user ids are replaced by the same pseudonyms")
    Path keyFile;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String who = analyst == null ? LabelImporter.defaultAnalyst() : analyst;
        byte[] key = keyFile == null ? null : Cli.readKey(keyFile);
        // the file is read and checked before the workspace is opened: a refused file changes nothing
        LabelImporter.Read labels = LabelImporter.read(input, who);
        try (Workspace ws = Workspace.openExisting(db)) {
            LabelImporter.Result r = new LabelImporter(ws).append(labels, key);
            spec.commandLine().getOut().printf("appended %d labels (%d changed a user's earlier label; history kept) by %s%n",
                    r.appended(), r.changedExisting(), who);
            if (r.unknownUsers() > 0) {
                // on stderr, like other warnings: the summary on stdout stays one line
                spec.commandLine().getErr().printf("seqwatch: warning: %d labelled user%s no events in this workspace (the first on line %d "
                                + "of %s); the labels were stored: check the user ids%s%n", r.unknownUsers(),
                        r.unknownUsers() == 1 ? " has" : "s have", r.firstUnknownLine(), input,
                        key == null ? "" : " and the key file");
                spec.commandLine().getErr().flush();
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}

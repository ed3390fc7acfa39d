package dev.seqwatch.cli;

import dev.seqwatch.ingest.ColumnMapping;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.Field;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.ingest.LogFormat;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.Charset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/** {@code seqwatch import}: a behaviour log into a workspace, all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a behaviour log (CSV, TSV or JSON lines) into a workspace.")
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file (created if missing)")
    Path db;
    @Option(names = "--input", required = true, description = "log file (.gz allowed)")
    Path input;
    @Option(names = "--format", description = "csv, tsv or jsonl (default: detect)")
    String format;
    @Option(names = "--no-header", description = "the file has no header row: map columns by 0-based position")
    boolean noHeader;
    @Option(names = "--user", description = "user column (name or position)")
    String user;
    @Option(names = "--time", description = "timestamp column")
    String time;
    @Option(names = "--action", description = "action column")
    String action;
    @Option(names = "--item", description = "item column")
    String item;
    @Option(names = "--category", description = "category column")
    String category;
    @Option(names = "--amount", description = "amount column")
    String amount;
    @Option(names = "--time-format", description = "epoch-s, epoch-ms, iso, auto (default) or a java.time pattern")
    String timeFormat;
    @Option(names = "--zone", description = "time zone for timestamps without one (default UTC)")
    String zone;
    @Option(names = "--encoding", description = "text encoding when the file has no byte-order mark (default UTF-8), e.g. ISO-8859-1")
    String encoding;
    @Option(names = "--force", description = "import even if the same file was imported before")
    boolean force;
    @Option(names = {"--pseudonymise-key-file", "--pseudonymize-key-file"}, description = "replace user ids by an HMAC-SHA256 keyed with this file's bytes (the key is not stored)")
    Path keyFile;
    @Option(names = "--accept-broken-quotes", description = "import a CSV/TSV file even if a stray quote swallowed lines: "
            + "that record is rejected and the swallowed lines are lost (by default such a file is refused)")
    boolean acceptBrokenQuotes;
    @Option(names = "--quiet", description = "no progress on stderr")
    boolean quiet;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ColumnMapping m = ColumnMapping.auto().set(Field.USER, user).set(Field.TIME, time).set(Field.ACTION, action)
                .set(Field.ITEM, item).set(Field.CATEGORY, category).set(Field.AMOUNT, amount);
        ImportOptions o = ImportOptions.defaults().withHeader(!noHeader).withMapping(m).withTimeFormat(timeFormat).withForce(force)
                .withAcceptBrokenQuotes(acceptBrokenQuotes);
        if (format != null) {
            o = o.withFormat(Cli.parse(() -> LogFormat.parse(format)));
        }
        if (zone != null) {
            o = o.withZone(Cli.parse(() -> ZoneId.of(zone)));
        }
        if (encoding != null) {
            o = o.withCharset(Cli.parse(() -> {
                try {
                    return Charset.forName(encoding);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--encoding " + encoding + ": unknown encoding (try UTF-8, ISO-8859-1, windows-1252, GB18030)");
                }
            }));
        }
        if (keyFile != null) {
            o = o.withPseudonymKey(Cli.readKey(keyFile));
        }
        // a file refused by its first lines (or a bad mapping) is refused before the workspace is opened or created
        EventImporter.checkBeforeImport(input, o);
        try (Workspace ws = Workspace.open(db); CliProgress p = new CliProgress(quiet)) {
            ImportResult r = new EventImporter(ws).importFile(input, o, p);
            p.done();
            PrintWriter out = spec.commandLine().getOut();
            out.println(r.summary());
            out.printf("stored %d%nrejected %d%nduplicates %d%n", r.stored(), r.rejected(), r.duplicates());
            for (ImportResult.Rejection rej : r.firstRejections()) {
                out.println("  " + input + ":" + rej.line() + ": " + rej.reason());
            }
            if (r.rejected() > r.firstRejections().size()) {
                out.println("  ... " + (r.rejected() - r.firstRejections().size()) + " more rejected rows are kept in the workspace");
            }
            out.flush();
        }
        return 0;
    }
}

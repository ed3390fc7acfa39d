package dev.seqwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seqwatch bench <what>}: throughput figures (import, metrics, ui, lstm; the README's "Benchmarks" section). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput (medians of several runs).",
        subcommands = {
                BenchImportCommand.class,
                BenchMetricsCommand.class,
                UiBenchCommand.class,
                LstmBenchCommand.class,
                BenchHdfsCommand.class,
                BenchAggregatesCommand.class,
                BenchFewLabelsCommand.class,
                BenchRingsCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

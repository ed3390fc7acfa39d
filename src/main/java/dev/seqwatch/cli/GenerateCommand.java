package dev.seqwatch.cli;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.generate.GenerationSummary;
import dev.seqwatch.generate.GeneratorConfig;
import dev.seqwatch.generate.SessionGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqwatch generate --out DIR [--users N] [--fraud-rate R] [--seed S] [--patterns LIST]}: a labelled sample session. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic labelled behaviour log (events.csv, truth.csv, labels.csv) into a folder.")
public final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--users", paramLabel = "N", defaultValue = "3000", description = "Number of users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--fraud-rate", paramLabel = "R", defaultValue = "0.05",
            description = "Share of fraudulent users, 0..1 (default: ${DEFAULT-VALUE}).")
    double fraudRate;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--days", paramLabel = "D", defaultValue = "30", description = "Days the log spans (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2026-03-01",
            description = "First day of the log, UTC (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--patterns", paramLabel = "LIST", defaultValue = "all",
            description = "Fraud patterns, dealt round-robin: all (default: the classic five plus catalogue_scraping, "
                    + "cart_hoarding, cadence_bot), classic (click_farming, order_brushing, account_takeover, "
                    + "scripted_bot, coupon_abuse: the committed sample session), or a comma-separated list of names.")
    String patterns;

    static List<String> patternList(String spec) {
        String s = spec.trim();
        if (s.equals("all")) {
            return SessionGenerator.ALL_PATTERNS;
        }
        if (s.equals("classic")) {
            return SessionGenerator.CLASSIC_PATTERNS;
        }
        List<String> out = new ArrayList<>();
        for (String p : s.split(",", -1)) {
            if (p.isBlank()) {
                throw new UserFacingException("--patterns '" + spec + "': an empty name; give all, classic or names like "
                        + "cadence_bot,cart_hoarding");
            }
            out.add(p.trim());
        }
        return out;
    }

    @Override
    public Integer call() {
        Instant from;
        try {
            from = LocalDate.parse(start).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserFacingException("--start must be a date like 2026-03-01, got '" + start + "'");
        }
        GeneratorConfig config = new GeneratorConfig(users, fraudRate, seed, from, days, patternList(patterns));
        long t0 = System.nanoTime();
        GenerationSummary s = new SessionGenerator(config).generate(out, ProgressListener.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s: %d users, %d events (%.1f MB) in %.1f s%n",
                s.dir(), s.users(), s.events(), s.eventsBytes() / 1e6, secs);
        StringBuilder types = new StringBuilder();
        for (Map.Entry<String, Integer> e : s.fraudByType().entrySet()) {
            types.append(types.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        w.printf(Locale.ROOT, "fraud users: %d (%s)%n", s.fraudUsers(), types);
        w.printf(Locale.ROOT, "files: %s, %s (all users), %s (%d labelled users)%n",
                SessionGenerator.EVENTS, SessionGenerator.TRUTH, SessionGenerator.LABELS, s.labelledUsers());
        w.flush();
        return 0;
    }
}

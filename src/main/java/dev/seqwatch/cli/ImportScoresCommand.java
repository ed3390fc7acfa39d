package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.ingest.ColumnMapping;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.Field;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.ingest.ImportResult;
import dev.seqwatch.ingest.LogFormat;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code seqwatch import-scores}: brings the top N users of a Spark job's output (OUT, see
 * {@code dev.seqwatch.spark.ScoreJob}) into a workspace: their events from EVENTS (only theirs), the job's
 * model as a version, and that model's scores of them. The scores are computed here again with the same
 * model on the same events, which gives the job's scores (the job's tests check that); every user whose
 * score here differs from the job's is reported, since it means EVENTS is not what the job scored. It reads
 * the job's {@code top-users.csv} and {@code summary.json}, not its Parquet, so the desktop needs no Hadoop.
 */
@Command(name = "import-scores", mixinStandardHelpOptions = true,
        description = "Import the top N users of a Spark scoring job (its --out folder) with their events from EVENTS "
                + "and the job's model and scores into a workspace.")
public final class ImportScoresCommand implements Callable<Integer> {
    static final double TOLERANCE = 1e-4;

    @Option(names = "--db", required = true, description = "workspace file (created if missing)")
    Path db;
    @Option(names = "--from", required = true, description = "the job's output folder (top-users.csv, summary.json, model.swm)")
    Path from;
    @Option(names = "--top", required = true, description = "how many of the most anomalous users to bring in")
    int top;
    @Option(names = "--events", required = true, description = "log file holding (at least) those users' events (.gz allowed)")
    Path events;
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
    @Option(names = "--force", description = "import the events even if the same file was imported before")
    boolean force;
    @Option(names = "--quiet", description = "no progress on stderr")
    boolean quiet;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The job's users, most anomalous first. */
    record JobUser(String user, double score, long rank) {
    }

    @Override
    public Integer call() {
        if (top < 1) {
            throw new UserFacingException("--top must be at least 1, got " + top);
        }
        Path model = from.resolve("model.swm");
        JsonNode summary = readSummary(from.resolve("summary.json"));
        checkModel(model, summary.path("model").path("sha256").asText());
        Map<String, JobUser> wanted = readTop(from.resolve("top-users.csv"), top, summary.path("users").asLong(-1));

        ColumnMapping m = ColumnMapping.auto().set(Field.USER, user).set(Field.TIME, time).set(Field.ACTION, action)
                .set(Field.ITEM, item).set(Field.CATEGORY, category).set(Field.AMOUNT, amount);
        ImportOptions o = ImportOptions.defaults().withHeader(!noHeader).withMapping(m).withTimeFormat(timeFormat).withForce(force);
        if (format != null) {
            o = o.withFormat(Cli.parse(() -> LogFormat.parse(format)));
        }
        if (zone != null) {
            o = o.withZone(Cli.parse(() -> ZoneId.of(zone)));
        }
        EventImporter.checkBeforeImport(events, o);
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(db); CliProgress p = new CliProgress(quiet)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            svc.readModelFile(model); // refuse a model this build cannot load before importing anything
            ImportResult r = new EventImporter(ws).onlyUsers(wanted.keySet()).importFile(events, o, p);
            var scored = svc.scoreFile(model, s -> null, p);
            p.done();
            int missing = 0;
            List<String> differ = new ArrayList<>();
            for (JobUser j : wanted.values()) {
                UserScores u = scored.scores().user(j.user());
                if (u == null) {
                    missing++;
                } else if (!close(u.score(), j.score())) {
                    differ.add(j.user() + " (job " + j.score() + ", here " + u.score() + ")");
                }
            }
            out.printf("imported %d events of %d of the top %d users from %s (%d rows of other users skipped, %d rejected,"
                            + " %d duplicates)%n", r.stored(), wanted.size() - missing, wanted.size(), events,
                    r.rowsRead() - r.stored() - r.rejected() - r.duplicates(), r.rejected(), r.duplicates());
            out.printf("model version %d (%s, SHA-256 %s) scored %d users%n", scored.modelId(),
                    scored.scores().detector(), summary.path("model").path("sha256").asText().substring(0, 12),
                    scored.scores().users().size());
            if (missing > 0) {
                out.printf("warning: %d of the top %d users have no events in %s%n", missing, wanted.size(), events);
            }
            if (!differ.isEmpty()) {
                out.printf("warning: %d users score differently than in the job (is %s the log the job scored?): %s%s%n",
                        differ.size(), events, String.join(", ", differ.subList(0, Math.min(5, differ.size()))),
                        differ.size() > 5 ? ", ..." : "");
            } else {
                out.printf("the scores equal the job's for all %d users found%n", wanted.size() - missing);
            }
            out.flush();
        }
        return 0;
    }

    static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b));
    }

    private static JsonNode readSummary(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new UserFacingException(f + ": no such file; --from must be the output folder of the Spark job "
                    + "(dev.seqwatch.spark.ScoreJob score --out)");
        }
        try {
            JsonNode s = ModelFile.json().readTree(f.toFile());
            if (!"seqwatch-spark-scores".equals(s.path("format").asText())) {
                throw new UserFacingException(f + ": not the summary of a Seqwatch Spark job");
            }
            return s;
        } catch (IOException e) {
            throw new UserFacingException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkModel(Path model, String sha) {
        try {
            if (!Files.isRegularFile(model)) {
                throw new UserFacingException(model + ": no such file (the job writes its model there)");
            }
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
            if (!actual.equalsIgnoreCase(sha)) {
                throw new UserFacingException(model + ": refused, its SHA-256 " + actual + " is not the one the job scored with ("
                        + sha + ")");
            }
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new UserFacingException(model + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The first {@code n} users of top-users.csv, checked: ranks 1, 2, ... in order, scores are numbers. */
    static Map<String, JobUser> readTop(Path f, int n, long jobUsers) {
        if (!Files.isRegularFile(f)) {
            throw new UserFacingException(f + ": no such file (the job writes it unless --top-csv 0)");
        }
        Map<String, JobUser> users = new LinkedHashMap<>();
        try (CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(f)) {
            long line = 1;
            for (NamedCsvRecord r : csv) {
                line++;
                if (users.size() == n) {
                    break;
                }
                try {
                    String u = r.getField("user_id");
                    double score = Double.parseDouble(r.getField("score"));
                    long rank = Long.parseLong(r.getField("rank"));
                    if (rank != users.size() + 1 || u.isEmpty() || users.containsKey(u)) {
                        throw new UserFacingException(f + ":" + line + ": damaged: expected rank " + (users.size() + 1)
                                + " of a new user");
                    }
                    users.put(u, new JobUser(u, score, rank));
                } catch (NumberFormatException | java.util.NoSuchElementException e) {
                    throw new UserFacingException(f + ":" + line + ": damaged (" + e.getMessage() + ")", e);
                }
            }
        } catch (IOException | de.siegmar.fastcsv.reader.CsvParseException e) {
            throw new UserFacingException(f + ": cannot read: " + e.getMessage(), e);
        }
        if (users.size() < n && (jobUsers < 0 || users.size() < jobUsers)) {
            throw new UserFacingException(f + " holds only the top " + users.size() + " users; rerun the job with "
                    + "--top-csv " + n + " or more, or ask for --top " + users.size());
        }
        return users;
    }
}

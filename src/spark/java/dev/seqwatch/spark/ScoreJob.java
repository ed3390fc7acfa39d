package dev.seqwatch.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.UserFacingException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;

/**
 * {@code spark-submit --class dev.seqwatch.spark.ScoreJob seqwatch-spark.jar score --model M --events E --out O}:
 * scores a whole behaviour log with a Seqwatch model file on a Spark cluster.
 *
 * <p>The model is read and fully loaded on the driver first (a missing, tampered or unsupported model is
 * refused before any task starts) and sent to the executors as bytes. Rows are checked with the import's
 * own checks; bad rows are counted and written to {@code rejected/}, never fatal. Events are grouped by
 * user, sorted by time (ties: arrival order) and scored user by user with the same detector code as
 * {@code seqwatch score}. Everything is written under a temporary folder that is renamed to OUT at the end:
 * <ul>
 *   <li>{@code users/} (Parquet): user, score, rank (1 = most anomalous), flagged (score &gt;= threshold; null
 *   when there is no threshold), events, duplicates</li>
 *   <li>{@code steps/} (Parquet): the top anomalous steps per user: user, step (0-based index among the
 *   user's events), time, action, item, score, expected, step_rank</li>
 *   <li>{@code top-users.csv}: the first {@code --top-csv} users (user_id,score,rank,flagged,events), for
 *   {@code seqwatch import-scores}, which reads it without Hadoop</li>
 *   <li>{@code rejected/} (Parquet): file, reason, raw; {@code summary.json}: counts, model, threshold;
 *   {@code model.swm}: a copy of the model</li>
 * </ul>
 */
public final class ScoreJob {
    static final StructType USERS = new StructType(new StructField[]{
            DataTypes.createStructField("user", DataTypes.StringType, false),
            DataTypes.createStructField("score", DataTypes.DoubleType, false),
            DataTypes.createStructField("rank", DataTypes.LongType, false),
            DataTypes.createStructField("flagged", DataTypes.BooleanType, true),
            DataTypes.createStructField("events", DataTypes.IntegerType, false),
            DataTypes.createStructField("duplicates", DataTypes.IntegerType, false)});
    static final String TOP_CSV = "top-users.csv";
    static final String SUMMARY = "summary.json";
    static final String MODEL = "model.swm";
    private static final long MAX_MODEL_BYTES = 2L << 30;
    private static final int KEEP_REJECTIONS = 20;

    private ScoreJob() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !"score".equals(args[0])) {
            System.err.println(args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))
                    ? JobOptions.USAGE : "expected the command 'score'\n" + JobOptions.USAGE);
            System.exit(2);
        }
        JobOptions o;
        try {
            o = JobOptions.parse(args, 1);
        } catch (UserFacingException e) {
            System.err.println("seqwatch-spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("seqwatch score").getOrCreate();
        int rc = 0;
        try {
            ObjectNode s = run(spark, o);
            System.err.println("seqwatch-spark: " + oneLine(s));
        } catch (UserFacingException e) {
            System.err.println("seqwatch-spark: " + e.getMessage());
            rc = 1;
        } finally {
            spark.stop();
        }
        System.exit(rc);
    }

    static String oneLine(ObjectNode s) {
        return String.format("scored %,d users (%,d events, %,d duplicates dropped) with %s model %s; %,d of %,d rows "
                        + "rejected; %s users flagged; wrote %s in %.1f s",
                s.path("users").asLong(), s.path("events_scored").asLong(), s.path("duplicates").asLong(),
                s.path("model").path("detector").asText(), s.path("model").path("sha256").asText().substring(0, 12),
                s.path("rows_rejected").asLong(), s.path("rows_read").asLong(),
                s.path("flagged").isNull() ? "no threshold, no" : String.format("%,d", s.path("flagged").asLong()),
                s.path("out").asText(), s.path("seconds").asDouble());
    }

    /** Runs the job; returns what summary.json says. */
    public static ObjectNode run(SparkSession spark, JobOptions o) {
        long t0 = System.nanoTime();
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(o.out);
        Path tmp = new Path(o.out.replaceAll("/+$", "") + "._seqwatch-incomplete");
        FileSystem fs;
        try {
            fs = out.getFileSystem(hconf);
            if (fs.exists(out) && !o.overwrite) {
                throw new UserFacingException(o.out + ": already exists; choose another --out or pass --overwrite");
            }
            if (fs.exists(tmp)) {
                fs.delete(tmp, true); // left by an earlier run that failed
            }
        } catch (IOException e) {
            throw new UserFacingException(o.out + ": cannot use the output folder: " + e.getMessage(), e);
        }
        // 1. the model, on the driver, before any task
        JobModels.Checked m = JobModels.check(o.model, readModel(o.model, hconf), o.modelSha256, o.threshold);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> bytes = jsc.broadcast(m.bytes());

        // 2. rows, checked as the import checks them
        Dataset<Row> checked = EventsReader.read(spark, o).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> rejected = checked.filter(col("reason").isNotNull()).select("file", "reason", "raw");
        rejected.write().parquet(new Path(tmp, "rejected").toString());
        long rowsRead = checked.count();
        long nRejected = spark.read().parquet(new Path(tmp, "rejected").toString()).count();
        List<Row> firstRejections = rejected.limit(KEEP_REJECTIONS).collectAsList();
        if (rowsRead == 0) {
            throw new UserFacingException(String.join(",", o.events) + ": no rows");
        }
        if (rowsRead == nRejected) {
            throw new UserFacingException(String.join(",", o.events) + ": no valid rows, all " + nRejected
                    + " were rejected; first: " + firstRejections.get(0).getString(1));
        }

        // 3. per user, in time order, scored in batches
        int partitions = o.partitions > 0 ? o.partitions : spark.sessionState().conf().numShufflePartitions();
        Dataset<Row> events = checked.filter(col("reason").isNull())
                .select("user", "ts", "seq", "action", "item", "category", "amount");
        Dataset<Row> scored = events.repartition(partitions, col("user"))
                .sortWithinPartitions("user", "ts", "seq")
                .mapPartitions(new ScorePartition(bytes, m.sha256(), m.source(), o.batchUsers, o.topSteps),
                        Encoders.row(ScorePartition.OUT))
                .persist(StorageLevel.MEMORY_AND_DISK());

        // 4. users ranked as Scores.ranked() ranks them: score descending (NaN first), ties by user id
        double t = m.threshold();
        JavaRDD<Row> ranked = scored.select("user", "score", "events", "duplicates")
                .orderBy(col("score").desc(), col("user").asc())
                .javaRDD().zipWithIndex()
                .map(p -> RowFactory.create(p._1().getString(0), p._1().getDouble(1), p._2() + 1,
                        Double.isNaN(t) ? null : p._1().getDouble(1) >= t, p._1().getInt(2), p._1().getInt(3)));
        Dataset<Row> users = spark.createDataFrame(ranked, USERS);
        String usersPath = new Path(tmp, "users").toString();
        users.write().parquet(usersPath);
        Dataset<Row> written = spark.read().parquet(usersPath);

        scored.select(col("user"), explode(col("steps")).alias("s"))
                .select(col("user"), col("s.step").alias("step"), expr("timestamp_millis(s.time_ms)").alias("time"),
                        col("s.action").alias("action"), col("s.item").alias("item"), col("s.score").alias("score"),
                        col("s.expected").alias("expected"), col("s.step_rank").alias("step_rank"))
                .write().parquet(new Path(tmp, "steps").toString());

        Row totals = written.selectExpr("count(*)", "coalesce(sum(events), 0)", "coalesce(sum(duplicates), 0)",
                "count_if(flagged)").first();
        List<Row> top = o.topCsv == 0 ? List.of()
                : written.filter(col("rank").leq(o.topCsv)).orderBy("rank").collectAsList();
        writeTopCsv(fs, new Path(tmp, TOP_CSV), top);

        ObjectNode s = new ObjectMapper().createObjectNode();
        s.put("format", "seqwatch-spark-scores");
        s.put("format_version", 1);
        s.put("out", o.out);
        ArrayNode ev = s.putArray("events");
        o.events.forEach(ev::add);
        ObjectNode mm = s.putObject("model");
        mm.put("path", o.model);
        mm.put("sha256", m.sha256());
        mm.put("detector", m.detector());
        if (Double.isNaN(t)) {
            s.putNull("threshold");
        } else {
            s.put("threshold", t);
        }
        s.put("threshold_source", m.thresholdSource());
        s.put("rows_read", rowsRead);
        s.put("rows_rejected", nRejected);
        ArrayNode fr = s.putArray("first_rejections");
        for (Row r : firstRejections) {
            fr.addObject().put("file", r.getString(0)).put("reason", r.getString(1));
        }
        s.put("users", totals.getLong(0));
        s.put("events_scored", totals.getLong(1));
        s.put("duplicates", totals.getLong(2));
        if (Double.isNaN(t)) {
            s.putNull("flagged");
        } else {
            s.put("flagged", totals.getLong(3));
        }
        s.put("top_csv_users", top.size());
        s.put("spark_version", spark.version());
        s.put("seconds", (System.nanoTime() - t0) / 1e9);
        try (FSDataOutputStream os = fs.create(new Path(tmp, MODEL), true)) {
            os.write(m.bytes()); // the model these scores are of, for seqwatch import-scores
        } catch (IOException e) {
            throw new UserFacingException(o.out + ": cannot write " + MODEL + ": " + e.getMessage(), e);
        }
        try (FSDataOutputStream os = fs.create(new Path(tmp, SUMMARY), true)) {
            os.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
        } catch (IOException e) {
            throw new UserFacingException(o.out + ": cannot write " + SUMMARY + ": " + e.getMessage(), e);
        }
        checked.unpersist();
        scored.unpersist();
        bytes.destroy();
        try {
            if (fs.exists(out)) {
                fs.delete(out, true);
            }
            if (!fs.rename(tmp, out)) {
                throw new IOException("rename of " + tmp + " failed");
            }
        } catch (IOException e) {
            throw new UserFacingException(o.out + ": cannot move the results into place (they are in " + tmp + "): "
                    + e.getMessage(), e);
        }
        return s;
    }

    private static byte[] readModel(String model, Configuration hconf) {
        Path p = new Path(model);
        try {
            FileSystem fs = p.getFileSystem(hconf);
            if (!fs.exists(p) || !fs.getFileStatus(p).isFile()) {
                throw new UserFacingException(model + ": no such model file");
            }
            long len = fs.getFileStatus(p).getLen();
            if (len > MAX_MODEL_BYTES) {
                throw new UserFacingException(model + ": refused, " + len + " bytes is larger than a model can be");
            }
            try (FSDataInputStream in = fs.open(p)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream((int) Math.max(0, len));
                in.transferTo(b);
                return b.toByteArray();
            }
        } catch (IOException e) {
            throw new UserFacingException(model + ": cannot read model file: " + e.getMessage(), e);
        }
    }

    /** user_id,score,rank,flagged,events; fields quoted when they hold a comma, quote or line break. */
    private static void writeTopCsv(FileSystem fs, Path file, List<Row> top) {
        try (FSDataOutputStream os = fs.create(file, true);
             Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8)) {
            w.write("user_id,score,rank,flagged,events\n");
            for (Row r : top) {
                w.write(csv(r.getString(0)) + "," + r.getDouble(1) + "," + r.getLong(2) + ","
                        + (r.isNullAt(3) ? "" : Boolean.toString(r.getBoolean(3))) + "," + r.getInt(4) + "\n");
            }
        } catch (IOException e) {
            throw new UserFacingException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    static String csv(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}

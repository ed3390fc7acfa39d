package dev.seqwatch.spark;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.SequenceSetBuilder;
import dev.seqwatch.sequence.UserSequence;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Scores the users of one partition. Its rows are events sorted by user, time and arrival, so a user's
 * events arrive together; users are gathered into batches (at most {@code batchUsers} users or
 * {@link #BATCH_EVENTS} events) and each batch is one {@link Detector#score} call, so a task holds one
 * batch in memory, not its partition. Like the import, a later event with the same user, time, action
 * and item as an earlier one is a duplicate and dropped (counted per user).
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    static final int BATCH_EVENTS = 500_000;
    /** Input: user, ts (epoch ms), seq (arrival), action, item, category, amount. */
    static final StructType STEP = new StructType(new StructField[]{
            DataTypes.createStructField("step", DataTypes.IntegerType, false),
            DataTypes.createStructField("time_ms", DataTypes.LongType, false),
            DataTypes.createStructField("action", DataTypes.StringType, false),
            DataTypes.createStructField("item", DataTypes.StringType, true),
            DataTypes.createStructField("score", DataTypes.DoubleType, false),
            DataTypes.createStructField("expected", DataTypes.StringType, false),
            DataTypes.createStructField("step_rank", DataTypes.IntegerType, false)});
    static final StructType OUT = new StructType(new StructField[]{
            DataTypes.createStructField("user", DataTypes.StringType, false),
            DataTypes.createStructField("score", DataTypes.DoubleType, false),
            DataTypes.createStructField("events", DataTypes.IntegerType, false),
            DataTypes.createStructField("duplicates", DataTypes.IntegerType, false),
            DataTypes.createStructField("steps", DataTypes.createArrayType(STEP, false), false)});

    private final Broadcast<byte[]> model;
    private final String sha256;
    private final String source;
    private final int batchUsers;
    private final int topSteps;

    ScorePartition(Broadcast<byte[]> model, String sha256, String source, int batchUsers, int topSteps) {
        this.model = model;
        this.sha256 = sha256;
        this.source = source;
        this.batchUsers = batchUsers;
        this.topSteps = topSteps;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> events) {
        TaskContext tc = TaskContext.get();
        if (tc != null && System.getProperty("seqwatch.lstm.threads") == null) {
            // one task per core: the LSTM's Java kernels use the task's cores, not the whole executor's
            System.setProperty("seqwatch.lstm.threads", Integer.toString(Math.max(1, tc.cpus())));
        }
        Detector d = JobModels.onExecutor(model.value(), sha256, source);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private Row pending;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && (pending != null || events.hasNext())) {
                    scoreBatch();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void scoreBatch() {
                SequenceSetBuilder b = new SequenceSetBuilder();
                List<int[]> dupCounts = new ArrayList<>();
                List<String> order = new ArrayList<>();
                int users = 0;
                long n = 0;
                String current = null;
                long lastTs = Long.MIN_VALUE;
                Set<List<String>> sameTime = new HashSet<>();
                int[] dups = null;
                while (pending != null || events.hasNext()) {
                    Row r = pending != null ? pending : events.next();
                    pending = null;
                    String user = r.getString(0);
                    if (!user.equals(current)) {
                        if (users >= batchUsers || n >= BATCH_EVENTS) {
                            pending = r;
                            break;
                        }
                        current = user;
                        users++;
                        order.add(user);
                        dups = new int[1];
                        dupCounts.add(dups);
                        lastTs = Long.MIN_VALUE;
                        sameTime.clear();
                    }
                    long ts = r.getLong(1);
                    String action = r.getString(3);
                    String item = r.isNullAt(4) ? null : r.getString(4);
                    if (ts != lastTs) {
                        sameTime.clear();
                        lastTs = ts;
                    }
                    if (!sameTime.add(Arrays.asList(action, item))) {
                        dups[0]++;
                        continue;
                    }
                    String category = r.isNullAt(5) ? null : r.getString(5);
                    double amount = r.isNullAt(6) ? Double.NaN : r.getDouble(6);
                    b.add(-1, user, ts, action, item, category, amount);
                    n++;
                }
                if (users == 0) {
                    return;
                }
                SequenceSet set = b.build();
                Scores s = d.score(set, ProgressListener.NONE);
                for (int i = 0; i < order.size(); i++) {
                    UserSequence seq = set.user(order.get(i));
                    UserScores u = Objects.requireNonNull(s.user(order.get(i)), "no score for a user");
                    ready.add(RowFactory.create(u.userId(), u.score(), seq.length(), dupCounts.get(i)[0],
                            scala.jdk.javaapi.CollectionConverters.asScala(topSteps(s, u, seq, set)).toSeq()));
                }
            }
        };
    }

    /** The user's {@code topSteps} highest step scores (ties: earlier step first), NaN steps skipped. */
    private List<Row> topSteps(Scores s, UserScores u, UserSequence seq, SequenceSet set) {
        double[] st = u.steps();
        if (st == null || topSteps == 0) {
            return List.of();
        }
        Integer[] idx = new Integer[st.length];
        int k = 0;
        for (int i = 0; i < st.length; i++) {
            if (!Double.isNaN(st[i])) {
                idx[k++] = i;
            }
        }
        Integer[] valid = Arrays.copyOf(idx, k);
        Arrays.sort(valid, (x, y) -> {
            int c = Double.compare(st[y], st[x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        List<Row> out = new ArrayList<>(Math.min(topSteps, k));
        for (int r = 0; r < Math.min(topSteps, k); r++) {
            int i = valid[r];
            out.add(RowFactory.create(i, seq.timestamp(i), set.actionName(seq.action(i)),
                    seq.item(i) < 0 ? null : set.itemName(seq.item(i)), st[i],
                    s.expectedText(u, i), r + 1));
        }
        return out;
    }
}

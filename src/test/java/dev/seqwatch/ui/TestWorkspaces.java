package dev.seqwatch.ui;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventBlockWriter;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small scored workspaces for tests, written directly through JDBC and the DAOs: {@code users}
 * users with 5-30 events; every 10th user (u0, u10, ...) behaves oddly ("buy" bursts) and gets high
 * step scores; u0 and u10 are labelled fraud, u1 and u2 normal.
 */
public final class TestWorkspaces {
    private TestWorkspaces() {
    }

    public static Workspace scored(Path dir, int users) {
        Workspace ws = Workspace.open(dir.resolve("test"));
        Random rnd = new Random(7);
        ws.write(c -> {
            new ImportDao().start(c, 1, "test", "0".repeat(64), "csv", null, 1, false);
            String[] actions = {"view", "view", "view", "cart", "fav", "buy"};
            {
                EventBlockWriter w = new EventBlockWriter(c, 1, 1);
                for (int u = 0; u < users; u++) {
                    int n = 5 + rnd.nextInt(26);
                    long ts = 1_700_000_000_000L + rnd.nextInt(86_400_000);
                    for (int i = 0; i < n; i++) {
                        boolean odd = u % 10 == 0 && i > n / 2;
                        String a = odd ? "buy" : actions[rnd.nextInt(actions.length)];
                        ts += odd ? 2_000 : 30_000 + rnd.nextInt(600_000);
                        String item = "i" + rnd.nextInt(50);
                        String cat = "c" + rnd.nextInt(5);
                        w.add("u" + u, ts, a, item, cat, a.equals("buy") ? 5 + rnd.nextInt(100) : Double.NaN);
                    }
                }
                long id = w.finish();
                new ImportDao().finish(c, 1, id - 1, id - 1, id - 1, 0, 0);
            }
            return null;
        });
        SequenceSet seqs = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        List<UserScores> scored = new ArrayList<>();
        Random r2 = new Random(11);
        for (var s : seqs.users()) {
            double[] steps = new double[s.length()];
            int[] expected = new int[s.length() * 2];
            double max = 0;
            for (int i = 0; i < steps.length; i++) {
                boolean odd = s.userId().substring(1).endsWith("0") && seqs.actionName(s.action(i)).equals("buy");
                steps[i] = i == 0 ? Double.NaN : (odd ? 6 + r2.nextDouble() * 3 : r2.nextDouble() * 3);
                if (i > 0) {
                    max = Math.max(max, steps[i]);
                }
                expected[2 * i] = 0;
                expected[2 * i + 1] = 1;
            }
            scored.add(new UserScores(s.userId(), max, steps, expected));
        }
        Scores scores = new Scores("test", List.of("view", "cart"), 2, scored);
        int id = ws.write(c -> {
            ModelDao models = new ModelDao();
            int m = models.add(c, "test", "{}", "{}", "{}", new byte[]{1});
            models.activate(c, m);
            return m;
        });
        new ScoreDao().replace(ws, id, scores, seqs, ProgressListener.NONE);
        ws.write(c -> {
            new LabelDao().append(c, List.of(
                    new LabelDao.NewLabel("u0", true, "order_brushing", null, "tester"),
                    new LabelDao.NewLabel("u10", true, null, null, "tester"),
                    new LabelDao.NewLabel("u1", false, null, null, "tester"),
                    new LabelDao.NewLabel("u2", false, null, null, "tester")));
            return null;
        });
        return ws;
    }
}

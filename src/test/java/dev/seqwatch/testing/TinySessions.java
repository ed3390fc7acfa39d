package dev.seqwatch.testing;

import dev.seqwatch.store.EventBlockWriter;
import dev.seqwatch.store.ImportDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny behaviour log for end-to-end tests: normal users browse (view ... cart ... buy) with human
 * gaps; fraud users are scripted bots (buy buy buy at 2 s) or click farmers (long view-only runs
 * at 1 s). Written straight into a workspace (the import path is tested elsewhere).
 */
public final class TinySessions {
    public record Event(String user, long ts, String action, String item, String category, Double amount) {
    }

    public record Session(List<Event> events, List<String[]> labels) {
    }

    private TinySessions() {
    }

    public static Session generate(int normal, int fraud, long seed) {
        Random r = new Random(seed);
        List<Event> ev = new ArrayList<>();
        List<String[]> labels = new ArrayList<>();
        long t0 = 1_700_000_000_000L;
        String[] browse = {"view", "view", "view", "cart", "view", "fav"};
        for (int u = 0; u < normal; u++) {
            String id = "n" + u;
            long t = t0 + r.nextInt(86_400) * 1000L;
            int n = 5 + r.nextInt(20);
            for (int i = 0; i < n; i++) {
                String a = browse[r.nextInt(browse.length)];
                if (i == n - 1 && r.nextDouble() < 0.5) {
                    a = "buy";
                }
                ev.add(new Event(id, t, a, "i" + r.nextInt(200), "c" + r.nextInt(10), a.equals("buy") ? 10 + r.nextInt(90) * 1.0 : null));
                t += (5 + r.nextInt(120)) * 1000L;
            }
            labels.add(new String[]{id, "normal", ""});
        }
        for (int u = 0; u < fraud; u++) {
            String id = "f" + u;
            boolean bot = u % 2 == 0;
            long t = t0 + r.nextInt(86_400) * 1000L;
            int n = 10 + r.nextInt(10);
            for (int i = 0; i < n; i++) {
                String a = bot ? "buy" : "view";
                ev.add(new Event(id, t, a, "i" + r.nextInt(3), "c1", bot ? 1.0 : null));
                t += bot ? 2000L : 1000L;
            }
            labels.add(new String[]{id, "fraud", bot ? "scripted_bot" : "click_farming"});
        }
        return new Session(ev, labels);
    }

    /** Stores the events as one finished import and, when {@code withLabels}, the labels. */
    public static void store(Workspace ws, Session s, boolean withLabels) {
        ws.write(c -> {
            ImportDao dao = new ImportDao();
            int id = dao.nextImportId(c);
            long first = dao.nextEventId(c);
            dao.start(c, id, "tiny.csv", "0".repeat(64), "csv", "{}", first, false);
            EventBlockWriter w = new EventBlockWriter(c, id, first);
            for (Event e : s.events()) {
                w.add(e.user(), e.ts(), e.action(), e.item(), e.category(), e.amount() == null ? Double.NaN : e.amount());
            }
            long eid = w.finish();
            dao.finish(c, id, eid - 1, s.events().size(), s.events().size(), 0, 0);
            if (withLabels) {
                List<LabelDao.NewLabel> ls = new ArrayList<>();
                for (String[] l : s.labels()) {
                    ls.add(new LabelDao.NewLabel(l[0], l[1].equals("fraud"), l[2].isEmpty() ? null : l[2], null, "test"));
                }
                new LabelDao().append(c, ls);
            }
            return null;
        });
    }

    /** Opens (or creates) the workspace at {@code base} for a test. */
    public static Workspace openFresh(Path base) {
        return Workspace.open(base);
    }

    public static Path writeLabels(Path file, Session s) throws IOException {
        StringBuilder sb = new StringBuilder("user_id,label,fraud_type\n");
        for (String[] l : s.labels()) {
            sb.append(l[0]).append(',').append(l[1]).append(',').append(l[2]).append('\n');
        }
        return Files.writeString(file, sb.toString());
    }
}

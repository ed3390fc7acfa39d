package dev.seqwatch.ui.bench;

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
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.CurrentThreadTaskExecutor;
import dev.seqwatch.ui.heatmap.StepScoreColors;
import dev.seqwatch.ui.heatmap.StepScoreHeatmap;
import dev.seqwatch.ui.thresholds.ThresholdViewModel;
import dev.seqwatch.workflow.InvestigationService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code seqwatch bench ui}: the workbench's interactive paths without rendering. Builds (or reuses)
 * a synthetic scored workspace, then measures (medians) the threshold slider path from a property
 * change to published figures through the real {@link ThresholdViewModel} (100k users by default),
 * the heatmap redraw of 1,000 x 200 cells into a pixel buffer, and workspace open + queue load.
 */
public final class UiBench {
    private final int users;
    private final int eventsPerUser;
    private final int runs;
    private final Path dir;

    public UiBench(int users, int eventsPerUser, int runs, Path dir) {
        this.users = users;
        this.eventsPerUser = eventsPerUser;
        this.runs = runs;
        this.dir = dir;
    }

    /**
     * Open figures on an existing workspace (e.g. a 10M-event import): open, queue load (what the
     * window waits for), then the background loads of the first view (heatmap matrix of the top
     * 1,000 users x 200 steps, step-score summary for the step slider), and the heap after a GC.
     */
    public void runOpen(Path workspace) {
        if (!Files.exists(Workspace.fileOf(workspace))) {
            throw new dev.seqwatch.common.UserFacingException(workspace + ": no such workspace");
        }
        long events;
        int model;
        try (Workspace ws = Workspace.open(workspace)) {
            events = ws.read(c -> new EventDao().countEvents(c));
            model = ws.read(c -> new ModelDao().active(c)).map(ModelDao.ModelRecord::id).orElse(-1);
        }
        double[] open = new double[runs];
        double[] queue = new double[runs];
        double[] heat = new double[runs];
        double[] summary = new double[runs];
        long heap = 0;
        int users = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            try (Workspace ws = Workspace.open(workspace)) {
                long t1 = System.nanoTime();
                InvestigationService svc = new InvestigationService(ws, "bench");
                InvestigationService.QueueSnapshot q = svc.loadQueue();
                long t2 = System.nanoTime();
                users = q.users().size();
                if (model >= 0) {
                    svc.stepMatrix(model, 1000, 200);
                }
                long t3 = System.nanoTime();
                if (model >= 0) {
                    svc.stepScoreSummary(model);
                }
                long t4 = System.nanoTime();
                open[r] = (t1 - t0) / 1e6;
                queue[r] = (t2 - t1) / 1e6;
                heat[r] = (t3 - t2) / 1e6;
                summary[r] = (t4 - t3) / 1e6;
                if (r == runs - 1) {
                    System.gc();
                    heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                    java.util.Objects.requireNonNull(q);
                }
            }
        }
        System.out.printf(Locale.ROOT, "workspace %s: %,d events, %,d ranked users, active model %s%n", Workspace.fileOf(workspace), events, users,
                model < 0 ? "none" : "#" + model);
        System.out.printf(Locale.ROOT, "open: median %.0f ms; queue load: median %.0f ms; open + queue (the window is usable):"
                + " median %.0f ms (target 3,000 ms); runs %s%n", median(open), median(queue), median(sum(open, queue)),
                Arrays.toString(Arrays.stream(sum(open, queue)).mapToLong(Math::round).toArray()));
        System.out.printf(Locale.ROOT, "then in the background: heatmap matrix (top 1,000 x 200): median %.0f ms;"
                + " step-score summary (step slider): median %.0f ms; heap in use with the queue loaded: %,d MB%n",
                median(heat), median(summary), heap >> 20);
    }

    public void run() {
        try {
            Path d = dir != null ? dir : Files.createTempDirectory("seqwatch-bench-ui");
            Path base = d.resolve("bench-ui-" + users + "x" + eventsPerUser);
            if (!Files.exists(Workspace.fileOf(base))) {
                long t0 = System.nanoTime();
                try (Workspace ws = Workspace.open(base)) {
                    build(ws);
                }
                System.out.printf(Locale.ROOT, "built synthetic workspace %s (%,d users, %,d events) in %.1f s%n",
                        base, users, (long) users * eventsPerUser, (System.nanoTime() - t0) / 1e9);
            }
            benchOpen(base);
            benchSlider(base);
            benchHeatmap();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void benchOpen(Path base) {
        double[] open = new double[runs];
        double[] queue = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            try (Workspace ws = Workspace.open(base)) {
                long t1 = System.nanoTime();
                new InvestigationService(ws, "bench").loadQueue();
                long t2 = System.nanoTime();
                open[r] = (t1 - t0) / 1e6;
                queue[r] = (t2 - t1) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "workspace open: median %.0f ms; queue load (%,d ranked users + labels): median %.0f ms;"
                + " together %.0f ms (%,d events)%n", median(open), users, median(queue), median(sum(open, queue)),
                (long) users * eventsPerUser);
    }

    private void benchSlider(Path base) {
        try (Workspace ws = Workspace.open(base)) {
            InvestigationService svc = new InvestigationService(ws, "bench");
            CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor();
            WorkspaceModel model = new WorkspaceModel(svc, tasks);
            // synchronous executors: the time measured is the work between the slider's value change
            // and the published figures/texts, the same code the FX thread and slider worker run
            ThresholdViewModel vm = new ThresholdViewModel(model, Runnable::run, Runnable::run);
            long t0 = System.nanoTime();
            model.apply(svc.loadQueue());
            System.out.printf(Locale.ROOT, "threshold table (%,d users) + all %,d step scores loaded: %.0f ms (background tasks, once per model)%n",
                    model.rows().size(), (long) users * (eventsPerUser - 1), (System.nanoTime() - t0) / 1e6);
            double lo = vm.tableProperty().get().min();
            double hi = vm.tableProperty().get().max();
            int moves = 200;
            for (int i = 0; i < 2000; i++) { // JIT warm-up, as after a few seconds of use
                model.userThresholdProperty().set(lo + (hi - lo) * (i % moves) / moves);
            }
            double[] perMove = new double[runs];
            double[] worst = new double[runs];
            for (int r = 0; r < runs; r++) {
                double w = 0;
                long start = System.nanoTime();
                for (int i = 0; i < moves; i++) {
                    long m0 = System.nanoTime();
                    model.userThresholdProperty().set(lo + (hi - lo) * ((i * 37 + r) % moves) / moves);
                    if (vm.figuresProperty().get() == null) {
                        throw new IllegalStateException("no figures published");
                    }
                    w = Math.max(w, (System.nanoTime() - m0) / 1e6);
                }
                perMove[r] = (System.nanoTime() - start) / 1e6 / moves;
                worst[r] = w;
            }
            System.out.printf(Locale.ROOT, "slider move -> flagged count, P/R/F1, step counts, texts (%,d users): median %.3f ms per move,"
                    + " median worst of %d moves %.3f ms (target 16 ms)%n", model.rows().size(), median(perMove), moves, median(worst));
            if (!tasks.unhandledErrors().isEmpty()) {
                throw new IllegalStateException(tasks.unhandledErrors().get(0));
            }
        }
    }

    private void benchHeatmap() {
        int rows = 1000;
        int steps = 200;
        Random rnd = new Random(3);
        float[] m = new float[rows * steps];
        short[] a = new short[m.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = i % steps == 0 ? Float.NaN : (float) (rnd.nextDouble() * 10);
            a[i] = (short) rnd.nextInt(4);
        }
        InvestigationService.StepMatrix sm = new InvestigationService.StepMatrix(new String[rows], steps, m, a,
                List.of("view", "cart", "fav", "buy"));
        Arrays.fill(sm.userIds(), "u");
        int[] px = new int[m.length];
        double[] scale = new double[runs];
        double[] t = new double[runs * 5];
        StepScoreColors c = null;
        for (int r = 0; r < scale.length; r++) {
            long t0 = System.nanoTime();
            c = new StepScoreColors(StepScoreColors.robustMax(m));
            scale[r] = (System.nanoTime() - t0) / 1e6;
        }
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            StepScoreHeatmap.render(sm, c, 0xfff4f4f4, 0xff9e9e9e, px);
            t[r] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf(Locale.ROOT, "heatmap redraw 1,000 x 200 into the pixel buffer: median %.2f ms (target 100 ms);"
                + " colour scale (99th percentile, once per load): median %.2f ms%n", median(t), median(scale));
        benchHeatmapOnFxThread(sm, c, px);
    }

    /** The whole redraw as the view does it (pixels + WritableImage upload) on the FX thread, when a display exists. */
    private void benchHeatmapOnFxThread(InvestigationService.StepMatrix sm, StepScoreColors c, int[] px) {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        try {
            javafx.application.Platform.startup(started::countDown);
            started.await();
        } catch (RuntimeException | InterruptedException | UnsatisfiedLinkError e) {
            System.out.println("heatmap redraw on the FX thread: not measured (no display: " + e.getMessage()
                    + "); run under xvfb-run for it");
            return;
        }
        double[] t = new double[runs * 5];
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        javafx.application.Platform.runLater(() -> {
            javafx.scene.image.WritableImage img = new javafx.scene.image.WritableImage(sm.steps(), sm.rows());
            for (int r = 0; r < t.length; r++) {
                long t0 = System.nanoTime();
                StepScoreHeatmap.render(sm, c, 0xfff4f4f4, 0xff9e9e9e, px);
                img.getPixelWriter().setPixels(0, 0, sm.steps(), sm.rows(),
                        javafx.scene.image.PixelFormat.getIntArgbInstance(), px, 0, sm.steps());
                t[r] = (System.nanoTime() - t0) / 1e6;
            }
            done.complete(null);
        });
        done.join();
        javafx.application.Platform.exit();
        System.out.printf(Locale.ROOT, "heatmap redraw 1,000 x 200 on the FX thread (pixels + WritableImage upload):"
                + " median %.2f ms (target 100 ms)%n", median(t));
    }

    private void build(Workspace ws) {
        Random rnd = new Random(1);
        String[] actions = {"view", "view", "view", "cart", "fav", "buy"};
        ws.write(c -> {
            new ImportDao().start(c, 1, "bench-ui synthetic", "0".repeat(64), "csv", null, 1, false);
            long id;
            EventBlockWriter w = new EventBlockWriter(c, 1, 1);
            for (int u = 0; u < users; u++) {
                long ts = 1_700_000_000_000L + rnd.nextInt(86_400_000);
                for (int i = 0; i < eventsPerUser; i++) {
                    ts += 1000 + rnd.nextInt(600_000);
                    w.add("u" + u, ts, actions[rnd.nextInt(actions.length)], "i" + rnd.nextInt(5000),
                            "c" + rnd.nextInt(50), Double.NaN);
                }
            }
            id = w.finish();
            new ImportDao().finish(c, 1, id - 1, id - 1, id - 1, 0, 0);
            return null;
        });
        SequenceSet seqs = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        List<UserScores> scored = new ArrayList<>(seqs.size());
        for (var s : seqs.users()) {
            double[] st = new double[s.length()];
            double max = 0;
            for (int i = 0; i < st.length; i++) {
                st[i] = i == 0 ? Double.NaN : -Math.log(rnd.nextDouble() * 0.999 + 0.001);
                max = i == 0 ? max : Math.max(max, st[i]);
            }
            scored.add(new UserScores(s.userId(), max, st, null));
        }
        Scores scores = new Scores("synthetic", List.of(), 0, scored);
        List<LabelDao.NewLabel> labels = new ArrayList<>();
        for (int u = 0; u < users; u += 50) {
            labels.add(new LabelDao.NewLabel("u" + u, u % 100 == 0, null, null, "bench"));
        }
        int id = ws.write(c -> {
            ModelDao models = new ModelDao();
            int m = models.add(c, "synthetic", "{}", "{}", "{}", new byte[]{0});
            models.activate(c, m);
            new LabelDao().append(c, labels);
            return m;
        });
        new ScoreDao().replace(ws, id, scores, seqs, ProgressListener.NONE);
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}

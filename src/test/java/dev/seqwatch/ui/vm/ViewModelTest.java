package dev.seqwatch.ui.vm;

import dev.seqwatch.common.Label;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.TestWorkspaces;
import dev.seqwatch.ui.app.QueueRow;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.CurrentThreadTaskExecutor;
import dev.seqwatch.ui.heatmap.HeatmapViewModel;
import dev.seqwatch.ui.labelling.LabellingViewModel;
import dev.seqwatch.ui.queue.QueueFilter;
import dev.seqwatch.ui.queue.QueueViewModel;
import dev.seqwatch.ui.thresholds.ThresholdViewModel;
import dev.seqwatch.ui.timeline.TimelineViewModel;
import dev.seqwatch.workflow.InvestigationService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The view-models on a real (small) workspace, synchronously, without the JavaFX toolkit. */
class ViewModelTest {
    @TempDir
    static Path dir;
    static Workspace ws;

    CurrentThreadTaskExecutor tasks;
    WorkspaceModel model;

    @BeforeAll
    static void open() {
        ws = TestWorkspaces.scored(dir, 120);
    }

    @AfterAll
    static void close() {
        ws.close();
    }

    @BeforeEach
    void setUp() {
        tasks = new CurrentThreadTaskExecutor();
        model = new WorkspaceModel(new InvestigationService(ws, "alice"), tasks);
    }

    @Test
    void queueIsRankedAndFiltersByLabelFlagAndSearch() {
        QueueViewModel q = new QueueViewModel(model);
        model.reload(null);
        assertThat(q.visibleRows()).hasSize(120);
        assertThat(q.visibleRows().get(0).rank()).isEqualTo(1);
        assertThat(q.visibleRows()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));

        q.labelFilterProperty().set(QueueFilter.FRAUD);
        assertThat(q.visibleRows()).extracting(QueueRow::userId).containsExactlyInAnyOrder("u0", "u10");
        q.labelFilterProperty().set(QueueFilter.fraudType("order_brushing"));
        assertThat(q.visibleRows()).extracting(QueueRow::userId).containsExactly("u0");
        q.labelFilterProperty().set(QueueFilter.UNLABELLED);
        assertThat(q.visibleRows()).hasSize(116);

        q.labelFilterProperty().set(QueueFilter.ALL);
        model.userThresholdProperty().set(q.visibleRows().get(4).score());
        q.flaggedOnlyProperty().set(true);
        assertThat(q.visibleRows()).hasSizeGreaterThanOrEqualTo(5).allMatch(r -> r.score() >= q.visibleRows().get(4).score());

        q.flaggedOnlyProperty().set(false);
        q.searchProperty().set("U11");
        assertThat(q.visibleRows()).extracting(QueueRow::userId).contains("u11", "u110").allMatch(u -> u.contains("u11"));
        assertThat(tasks.unhandledErrors()).isEmpty();
    }

    @Test
    void thresholdsGiveCountsAndMetricsAtTheSliderPosition() {
        ThresholdViewModel t = new ThresholdViewModel(model, Runnable::run, Runnable::run);
        model.reload(null);
        assertThat(t.tableProperty().get()).isNotNull();
        // labels exist (u0, u10 fraud): the start threshold is the best-F1 one, which catches both
        var f = t.figuresProperty().get();
        assertThat(f.labelled()).isTrue();
        assertThat(f.users().recall()).isEqualTo(1.0);

        model.userThresholdProperty().set(t.tableProperty().get().max() + 1);
        assertThat(t.figuresProperty().get().users().flagged()).isZero();
        assertThat(t.usersTextProperty().get()).startsWith("0 of 120 users flagged");

        model.userThresholdProperty().set(t.tableProperty().get().min());
        assertThat(t.figuresProperty().get().users().flagged()).isEqualTo(120);
        var labels = model.labelSetProperty().get();
        double fraudShare = (double) labels.fraudUsers().size() / labels.size();
        assertThat(t.figuresProperty().get().users().precision()).isEqualTo(fraudShare); // everyone flagged
        assertThat(t.curveProperty().get()).isNotEmpty();

        model.stepThresholdProperty().set(6.0);
        var steps = t.figuresProperty().get();
        assertThat(steps.flaggedSteps()).isPositive();
        assertThat(steps.usersWithFlaggedStep()).isBetween(1, 12); // only every 10th user has steps above 6
    }

    @Test
    void flagTheTopNTypeAThresholdAndResetToTheDefault() {
        ThresholdViewModel t = new ThresholdViewModel(model, Runnable::run, Runnable::run);
        model.reload(null);
        var table = t.tableProperty().get();
        double start = model.userThresholdProperty().get();
        // the test model's file is no real model file, so it records no calibration: best F1 on the labels, and why
        assertThat(t.userDefaultProperty().get().source()).startsWith("best F1 on the current labels (")
                .contains("not a Seqwatch model file");
        assertThat(start).isEqualTo(table.bestF1Threshold());
        assertThat(t.userStepProperty().get()).isCloseTo((table.max() - table.min()) / 100, org.assertj.core.data.Offset.offset(1e-12));

        assertThat(t.flagTop("10")).isTrue();
        assertThat(model.userThresholdProperty().get()).isEqualTo(model.rows().get(9).score());
        assertThat(t.figuresProperty().get().users().flagged()).isEqualTo(10);
        assertThat(t.messageProperty().get()).startsWith("Flagging the top 10 users");

        assertThat(t.flagTop("0")).isFalse();
        assertThat(t.messageProperty().get()).contains("0 is out of range").contains("1 to 120");
        assertThat(t.flagTop("ten")).isFalse();
        assertThat(t.messageProperty().get()).contains("'ten' is not a whole number");
        assertThat(model.userThresholdProperty().get()).isEqualTo(model.rows().get(9).score()); // refused input changes nothing

        assertThat(t.commitUserThreshold("0,5x")).isFalse();
        assertThat(t.messageProperty().get()).contains("'0,5x' is not a number");
        assertThat(t.commitUserThreshold(String.valueOf(table.max() + 1))).isFalse();
        assertThat(t.messageProperty().get()).contains("outside the scores");
        double third = model.rows().get(2).score();
        assertThat(t.commitUserThreshold(String.valueOf(third))).isTrue();
        assertThat(t.figuresProperty().get().users().flagged()).isEqualTo(3);

        t.resetUserThreshold();
        assertThat(model.userThresholdProperty().get()).isEqualTo(start);
        assertThat(t.messageProperty().get()).startsWith("User threshold reset to").contains("best F1");

        double stepDefault = model.stepThresholdProperty().get();
        assertThat(t.commitStepThreshold("6.5")).isTrue();
        assertThat(model.stepThresholdProperty().get()).isEqualTo(6.5);
        assertThat(t.commitStepThreshold("-1")).isFalse();
        t.resetStepThreshold();
        assertThat(model.stepThresholdProperty().get()).isEqualTo(stepDefault);
        assertThat(t.stepStepProperty().get()).isCloseTo(t.stepMaxProperty().get() / 100, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void beforeAnyModelTheQueueListsImportedUsersByEventCount(@TempDir Path own) {
        dev.seqwatch.testing.TinySessions.Session session = dev.seqwatch.testing.TinySessions.generate(12, 3, 4);
        try (Workspace fresh = Workspace.open(own.resolve("fresh"))) {
            WorkspaceModel m = new WorkspaceModel(new InvestigationService(fresh, "alice"), tasks);
            QueueViewModel q = new QueueViewModel(m);
            ThresholdViewModel t = new ThresholdViewModel(m, Runnable::run, Runnable::run);
            m.reload(null);
            assertThat(q.summaryProperty().get()).isEqualTo("No users yet: import events");
            assertThat(q.visibleRows()).isEmpty();

            dev.seqwatch.testing.TinySessions.store(fresh, session, false); // as an import does, then reload
            m.reload(null);
            java.util.Map<String, Long> counts = session.events().stream().collect(java.util.stream.Collectors.groupingBy(
                    dev.seqwatch.testing.TinySessions.Event::user, java.util.stream.Collectors.counting()));
            assertThat(q.visibleRows()).hasSize(counts.size());
            assertThat(q.unscored()).isTrue();
            assertThat(q.summaryProperty().get()).isEqualTo(String.format(java.util.Locale.ROOT, "%,d users imported (%,d events), "
                    + "not scored yet: listed by event count; train a model in Models to rank them",
                    counts.size(), session.events().size()));
            for (int i = 0; i < q.visibleRows().size(); i++) {
                QueueRow r = q.visibleRows().get(i);
                assertThat(r.rank()).isEqualTo(i + 1);
                assertThat(r.scored()).isFalse();
                assertThat((long) r.events()).as(r.userId()).isEqualTo(counts.get(r.userId()));
                if (i > 0) {
                    QueueRow prev = q.visibleRows().get(i - 1);
                    assertThat(prev.events() > r.events()
                            || prev.events() == r.events() && prev.userId().compareTo(r.userId()) < 0).isTrue();
                }
            }
            // unscored users are never flagged, and the threshold panel has no scores to offer
            assertThat(q.visibleRows()).noneMatch(m::isFlagged);
            assertThat(t.figuresProperty().get() == null || t.figuresProperty().get().users().flagged() == 0).isTrue();
            // a user of the list can be opened and labelled before any model
            LabellingViewModel l = new LabellingViewModel(m);
            String first = q.visibleRows().get(0).userId();
            m.open(first, -1);
            l.labelFraud();
            assertThat(m.row(first).label().fraud()).isTrue();
            q.labelFilterProperty().set(dev.seqwatch.ui.queue.QueueFilter.ALL);
        }
    }

    @Test
    void topNWithTiedScoresSaysWhoShareTheScore() {
        ThresholdViewModel t = new ThresholdViewModel(model, Runnable::run, Runnable::run);
        double[] s = {5, 4, 3, 3, 3, 1};
        List<dev.seqwatch.store.ScoreDao.UserScoreRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            rows.add(new dev.seqwatch.store.ScoreDao.UserScoreRow("t" + i, s[i], i + 1));
        }
        model.apply(new InvestigationService.QueueSnapshot(java.util.Optional.empty(), rows,
                dev.seqwatch.common.LabelSet.empty(), 60, 6));
        // no labels, no model: the default is the score of the top 5% (rank 1 of 6)
        assertThat(t.userDefaultProperty().get().value()).isEqualTo(5.0);
        assertThat(t.userDefaultProperty().get().source()).startsWith("score of the top 5% (rank 1");
        assertThat(t.flagTop(3)).isTrue();
        assertThat(model.userThresholdProperty().get()).isEqualTo(3.0);
        assertThat(t.figuresProperty().get().users().flagged()).isEqualTo(5);
        assertThat(t.messageProperty().get()).isEqualTo("Top 3 asked, 5 flagged: ranks 3 to 5 share the score 3.0000");
    }

    @Test
    void labellingWritesAuditedRowsAndUndoRestoresThePreviousLabel() {
        LabellingViewModel l = new LabellingViewModel(model);
        model.reload(null);
        model.open("u1", -1); // labelled normal by "tester"
        assertThat(l.currentProperty().get()).isEqualTo("normal");

        l.noteProperty().set("same item 40 times");
        l.labelFraudType(2);
        assertThat(model.row("u1").label().fraudType()).isEqualTo("order_brushing");
        assertThat(l.noteProperty().get()).isEmpty();
        List<Label> h = ws.read(c -> new LabelDao().history(c, "u1"));
        assertThat(h).hasSize(2);
        assertThat(h.get(1).analyst()).isEqualTo("alice");
        assertThat(h.get(1).note()).isEqualTo("same item 40 times");
        assertThat(h.get(1).supersedes()).isEqualTo(h.get(0).id());

        l.undo();
        h = ws.read(c -> new LabelDao().history(c, "u1"));
        assertThat(h).hasSize(3);
        assertThat(h.get(2).fraud()).isFalse();
        assertThat(model.row("u1").label().fraud()).isFalse();
        assertThat(l.history()).hasSize(3);
        assertThat(l.canUndoProperty().get()).isFalse();

        model.open("u7", -1); // unlabelled: undo of its first label retracts it, as a new row
        assertThat(l.canRetractProperty().get()).isFalse();
        l.labelNormal();
        assertThat(l.canRetractProperty().get()).isTrue();
        l.undo();
        assertThat(l.messageProperty().get()).isEqualTo("Undone: u7 is unlabelled again");
        List<Label> u7 = ws.read(c -> new LabelDao().history(c, "u7"));
        assertThat(u7).hasSize(2);
        assertThat(u7.get(1).retraction()).isTrue();
        assertThat(u7.get(1).supersedes()).isEqualTo(u7.get(0).id());
        assertThat(u7.get(1).analyst()).isEqualTo("alice");
        assertThat(l.currentProperty().get()).isEqualTo("unlabelled");
        assertThat(model.row("u7").label()).isNull();
        assertThat(model.labelSetProperty().get().isLabelled("u7")).isFalse();
        assertThat(ws.read(c -> new LabelDao().current(c)).isLabelled("u7")).isFalse();
        assertThat(l.canUndoProperty().get()).isFalse();
        assertThat(l.canRetractProperty().get()).isFalse();
        assertThat(l.history().get(0)).contains("retracted (unlabelled)");
        l.undo();
        assertThat(l.messageProperty().get()).contains("Nothing to undo for u7");
        assertThat(historySize("u7")).isEqualTo(2);
    }

    @Test
    void retractTakesBackAnOlderLabelAndUndoRestoresIt() {
        LabellingViewModel l = new LabellingViewModel(model);
        model.reload(null);
        model.open("u2", -1); // labelled by "tester" before this session: nothing to undo, but retractable
        Label before = model.currentLabel("u2");
        assertThat(before).isNotNull();
        assertThat(l.canUndoProperty().get()).isFalse();
        assertThat(l.canRetractProperty().get()).isTrue();
        int rows = historySize("u2");
        l.noteProperty().set("labelled by mistake");
        l.retract();
        assertThat(historySize("u2")).isEqualTo(rows + 1);
        Label r = ws.read(c -> new LabelDao().history(c, "u2")).get(rows);
        assertThat(r.retraction()).isTrue();
        assertThat(r.note()).isEqualTo("labelled by mistake");
        assertThat(model.row("u2").label()).isNull();
        assertThat(l.messageProperty().get()).contains("Retracted").contains("u2");
        l.retract(); // nothing left to take back: no row
        assertThat(historySize("u2")).isEqualTo(rows + 1);
        assertThat(l.messageProperty().get()).isEqualTo("u2 is unlabelled: nothing to retract");
        assertThat(l.canUndoProperty().get()).isTrue();
        l.undo();
        assertThat(historySize("u2")).isEqualTo(rows + 2);
        assertThat(model.row("u2").label().fraud()).isEqualTo(before.fraud());
        assertThat(ws.read(c -> new LabelDao().current(c)).get("u2").fraud()).isEqualTo(before.fraud());
    }

    private int historySize(String user) {
        List<Label> h = ws.read(c -> new LabelDao().history(c, user));
        return h.size();
    }

    @Test
    void aRepeatedLabelWritesNoRowAndUndoIsForTheUserShownOnly() {
        LabellingViewModel l = new LabellingViewModel(model);
        model.reload(null);
        model.open("u4", -1);
        l.labelNormal();
        int base = historySize("u4");
        l.labelNormal(); // the label it already has: no audit row
        assertThat(historySize("u4")).isEqualTo(base);
        assertThat(l.messageProperty().get()).contains("already normal");

        l.labelFraud();
        assertThat(l.canUndoProperty().get()).isTrue();
        model.open("u5", -1);
        assertThat(l.messageProperty().get()).isEmpty(); // the status line never names the previous user
        assertThat(l.canUndoProperty().get()).isFalse(); // the change was on u4, not on the user shown
        l.undo();
        assertThat(l.messageProperty().get()).contains("Nothing to undo for u5");
        assertThat(historySize("u4")).isEqualTo(base + 1);
        model.open("u4", -1);
        assertThat(l.canUndoProperty().get()).isTrue();
        l.undo();
        assertThat(historySize("u4")).isEqualTo(base + 2);
        assertThat(model.row("u4").label().fraud()).isFalse();
    }

    @Test
    void timelineLoadsTheSelectedUserAndDescribesSteps() {
        TimelineViewModel t = new TimelineViewModel(model);
        model.reload(null);
        model.open("u10", 3);
        var tl = t.timelineProperty().get();
        assertThat(tl.userId()).isEqualTo("u10");
        assertThat(tl.steps()).isNotEmpty();
        assertThat(Double.isNaN(tl.steps().get(0).score())).isTrue();
        assertThat(tl.steps().get(3).expected()).isEqualTo("view, cart");
        assertThat(t.headerProperty().get()).contains("u10").contains("events");
        assertThat(t.stepTextProperty().get()).startsWith("Step 4: ").contains("step score").contains("expected: view, cart");
    }

    @Test
    void heatmapLoadsWhenShownAndCellClickOpensUserAtStep() {
        HeatmapViewModel h = new HeatmapViewModel(model);
        model.reload(null);
        assertThat(h.matrixProperty().get()).isNull(); // lazy
        h.setVisible(true);
        var m = h.matrixProperty().get();
        assertThat(m.rows()).isEqualTo(120);
        assertThat(m.steps()).isBetween(5, 30);
        assertThat(m.userIds()[0]).isEqualTo(model.rows().get(0).userId());
        assertThat(h.open(2, 1)).isTrue();
        assertThat(model.selectedUserProperty().get()).isEqualTo(m.userIds()[2]);
        assertThat(model.selectedStepProperty().get()).isEqualTo(1);
        assertThat(h.describe(2, 1)).contains("rank 3").contains("step 2");
    }
}

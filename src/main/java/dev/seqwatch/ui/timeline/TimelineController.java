package dev.seqwatch.ui.timeline;

import dev.seqwatch.ui.common.Theme;
import dev.seqwatch.ui.heatmap.ScoreLegend;
import dev.seqwatch.ui.heatmap.StepScoreColors;
import dev.seqwatch.workflow.InvestigationService.TimelineStep;
import dev.seqwatch.workflow.InvestigationService.UserTimeline;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;

/** The selected user's timeline chart, its header and the selected step's details. */
public final class TimelineController {
    private final TimelineViewModel vm;
    private final Theme theme;
    private final ScoreLegend legend = new ScoreLegend();
    private TimelineChart chart;

    @FXML private Label header;
    @FXML private ToggleButton evenSpacing;
    @FXML private StackPane chartHost;
    @FXML private HBox legendHost;
    @FXML private Label stepText;

    public TimelineController(TimelineViewModel vm, Theme theme) {
        this.vm = vm;
        this.theme = theme;
    }

    @FXML
    private void initialize() {
        chart = new TimelineChart(vm::selectStep);
        theme.follow(chart::setTheme);
        chartHost.getChildren().add(chart);
        legendHost.getChildren().add(legend);
        header.textProperty().bind(vm.headerProperty());
        stepText.textProperty().bind(vm.stepTextProperty());
        evenSpacing.selectedProperty().bindBidirectional(vm.evenSpacingProperty());
        vm.timelineProperty().addListener(o -> redraw());
        vm.evenSpacingProperty().addListener(o -> redraw());
        vm.model().stepThresholdProperty().addListener(o -> redraw());
        vm.model().selectedStepProperty().addListener(o -> {
            int i = vm.model().selectedStepProperty().get();
            if (chart.isHandlingClick() || i < 0) {
                chart.markStep(i, evenSpacing.isSelected());
            } else {
                chart.markAndZoom(i, evenSpacing.isSelected()); // from the heatmap or the S key
            }
        });
    }

    private void redraw() {
        UserTimeline t = vm.timelineProperty().get();
        StepScoreColors c = new StepScoreColors(scaleMax(t));
        legend.setScale(c);
        chart.setData(t, evenSpacing.isSelected(), c);
        chart.markAndZoom(vm.model().selectedStepProperty().get(), evenSpacing.isSelected());
    }

    /** Red means "at or above the step threshold", so colours mean the same across users and in the heatmap. */
    private double scaleMax(UserTimeline t) {
        double st = vm.model().stepThresholdProperty().get();
        if (!Double.isNaN(st) && st > 0) {
            return st;
        }
        double max = 0;
        if (t != null) {
            for (TimelineStep s : t.steps()) {
                if (!Double.isNaN(s.score())) {
                    max = Math.max(max, s.score());
                }
            }
        }
        return max > 0 ? max : 1;
    }

    @FXML
    private void resetZoom() {
        chart.restoreAutoBounds();
    }
}

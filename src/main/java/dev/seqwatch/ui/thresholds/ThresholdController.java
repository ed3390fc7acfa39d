package dev.seqwatch.ui.thresholds;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.StackPane;

import dev.seqwatch.ui.common.Theme;

/** Two sliders bound to the workspace thresholds; the figures come from {@link ThresholdViewModel}. */
public final class ThresholdController {
    private final ThresholdViewModel vm;
    private final PrCurveChart pr = new PrCurveChart();

    @FXML private Slider userSlider;
    @FXML private Slider stepSlider;
    @FXML private Label usersText;
    @FXML private Label metricsText;
    @FXML private Label stepsText;
    @FXML private StackPane prHost;

    private static final javafx.util.StringConverter<Double> TWO_DECIMALS = new javafx.util.StringConverter<>() {
        @Override
        public String toString(Double v) {
            return v == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", v);
        }

        @Override
        public Double fromString(String s) {
            return Double.valueOf(s);
        }
    };

    public ThresholdController(ThresholdViewModel vm, Theme theme) {
        this.vm = vm;
        theme.follow(pr::setTheme);
    }

    @FXML
    private void initialize() {
        prHost.getChildren().add(pr);
        vm.tableProperty().addListener((o, a, t) -> {
            if (t != null) {
                userSlider.setMin(t.min());
                userSlider.setMax(t.max() > t.min() ? t.max() : t.min() + 1);
                userSlider.setMajorTickUnit((userSlider.getMax() - userSlider.getMin()) / 4);
            }
        });
        // "2.761" and "3.961" read as noise: two decimals are enough for a scale
        userSlider.setLabelFormatter(TWO_DECIMALS);
        stepSlider.setLabelFormatter(TWO_DECIMALS);
        stepSlider.maxProperty().bind(vm.stepMaxProperty());
        userSlider.valueProperty().bindBidirectional(vm.model().userThresholdProperty());
        stepSlider.valueProperty().bindBidirectional(vm.model().stepThresholdProperty());
        usersText.textProperty().bind(vm.usersTextProperty());
        metricsText.textProperty().bind(vm.metricsTextProperty());
        stepsText.textProperty().bind(vm.stepsTextProperty());
        vm.curveProperty().addListener((o, a, c) -> pr.setCurve(c));
        vm.figuresProperty().addListener((o, a, f) -> pr.setCurrent(f == null ? null : f.users()));
        pr.visibleProperty().bind(vm.figuresProperty().isNotNull());
    }
}

package dev.seqwatch.ui.thresholds;

import javafx.beans.property.DoubleProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;

import dev.seqwatch.ui.common.Theme;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * Two sliders bound to the workspace thresholds, each with a number field; one arrow key moves a
 * slider by a hundredth of its range; "Flag the top N" and the resets; the figures come from
 * {@link ThresholdViewModel}.
 */
public final class ThresholdController {
    private final ThresholdViewModel vm;
    private final PrCurveChart pr = new PrCurveChart();

    @FXML private Slider userSlider;
    @FXML private Slider stepSlider;
    @FXML private TextField userField;
    @FXML private TextField stepField;
    @FXML private TextField topNField;
    @FXML private Button flagTopButton;
    @FXML private Button resetUserButton;
    @FXML private Button resetStepButton;
    @FXML private Label usersText;
    @FXML private Label defaultText;
    @FXML private Label metricsText;
    @FXML private Label stepsText;
    @FXML private Label thresholdMessage;
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
        // the default block increment (10) sent one arrow key from 0.885 to an end of a 0..1 range
        userSlider.blockIncrementProperty().bind(vm.userStepProperty());
        stepSlider.blockIncrementProperty().bind(vm.stepStepProperty());
        // "2.761" and "3.961" read as noise: two decimals are enough for a scale
        userSlider.setLabelFormatter(TWO_DECIMALS);
        stepSlider.setLabelFormatter(TWO_DECIMALS);
        stepSlider.maxProperty().bind(vm.stepMaxProperty());
        userSlider.valueProperty().bindBidirectional(vm.model().userThresholdProperty());
        stepSlider.valueProperty().bindBidirectional(vm.model().stepThresholdProperty());
        numberField(userField, vm.model().userThresholdProperty(), vm::commitUserThreshold);
        numberField(stepField, vm.model().stepThresholdProperty(), vm::commitStepThreshold);
        topNField.setOnAction(e -> flagTop());
        flagTopButton.disableProperty().bind(vm.tableProperty().isNull());
        resetUserButton.disableProperty().bind(vm.userDefaultProperty().isNull());
        resetStepButton.disableProperty().bind(vm.stepMaxProperty().lessThanOrEqualTo(0));
        defaultText.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            ThresholdViewModel.Default d = vm.userDefaultProperty().get();
            return d == null ? "" : String.format(Locale.ROOT, "Calibrated / default: %.4f, %s", d.value(), d.source());
        }, vm.userDefaultProperty()));
        usersText.textProperty().bind(vm.usersTextProperty());
        metricsText.textProperty().bind(vm.metricsTextProperty());
        stepsText.textProperty().bind(vm.stepsTextProperty());
        thresholdMessage.textProperty().bind(vm.messageProperty());
        vm.curveProperty().addListener((o, a, c) -> pr.setCurve(c));
        vm.figuresProperty().addListener((o, a, f) -> pr.setCurrent(f == null ? null : f.users()));
        pr.visibleProperty().bind(vm.figuresProperty().isNotNull());
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Shows the threshold while the field is not being edited; Enter or leaving the field commits it. */
    private static void numberField(TextField f, DoubleProperty value, Predicate<String> commit) {
        f.setText(format(value.get()));
        value.addListener((o, a, b) -> {
            if (!f.isFocused()) {
                f.setText(format(b.doubleValue()));
                f.getStyleClass().remove("field-error");
            }
        });
        Runnable apply = () -> {
            if (f.getText().equals(format(value.get()))) {
                f.getStyleClass().remove("field-error");
                return;
            }
            if (commit.test(f.getText())) {
                f.getStyleClass().remove("field-error");
                f.setText(format(value.get()));
            } else if (!f.getStyleClass().contains("field-error")) {
                f.getStyleClass().add("field-error");
            }
        };
        f.setOnAction(e -> apply.run());
        f.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                apply.run();
                if (f.getStyleClass().contains("field-error")) {
                    // an invalid entry is not kept behind the analyst's back: the field shows the threshold in force
                    f.setText(format(value.get()));
                    f.getStyleClass().remove("field-error");
                }
            }
        });
    }

    @FXML
    private void flagTop() {
        vm.flagTop(topNField.getText());
    }

    @FXML
    private void resetUser() {
        vm.resetUserThreshold();
    }

    @FXML
    private void resetStep() {
        vm.resetStepThreshold();
    }
}

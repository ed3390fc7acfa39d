package dev.seqwatch.ui.labelling;

import dev.seqwatch.common.Label;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;

/** Buttons mirror the keys (N, F, 1-6, U); the keys themselves are handled by the main window. */
public final class LabellingController {
    private final LabellingViewModel vm;

    @FXML private javafx.scene.control.Label current;
    @FXML private TextField note;
    @FXML private FlowPane typeButtons;
    @FXML private Button undoButton;
    @FXML private Button retractButton;
    @FXML private ListView<String> history;
    @FXML private javafx.scene.control.Label message;

    public LabellingController(LabellingViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        current.textProperty().bind(vm.currentProperty());
        note.textProperty().bindBidirectional(vm.noteProperty());
        message.textProperty().bind(vm.messageProperty());
        undoButton.disableProperty().bind(vm.canUndoProperty().not());
        retractButton.disableProperty().bind(vm.canRetractProperty().not());
        history.setItems(vm.history());
        // a row holds time, label, analyst and note: wrap instead of cutting it at the panel's edge
        history.setCellFactory(lv -> new javafx.scene.control.ListCell<>() {
            {
                setWrapText(true);
                prefWidthProperty().bind(lv.widthProperty().subtract(18));
            }

            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
            }
        });
        for (int i = 0; i < Label.FRAUD_TYPES.size(); i++) {
            int key = i + 1;
            Button b = new Button(key + "  " + Label.FRAUD_TYPES.get(i).replace('_', ' '));
            b.getStyleClass().add("fraud-type-button");
            b.setFocusTraversable(false);
            b.setOnAction(e -> vm.labelFraudType(key));
            typeButtons.getChildren().add(b);
        }
        current.textProperty().addListener((o, a, b) -> {
            current.getStyleClass().removeAll("label-fraud", "label-normal");
            if (b.startsWith("fraud")) {
                current.getStyleClass().add("label-fraud");
            } else if (b.equals("normal")) {
                current.getStyleClass().add("label-normal");
            }
        });
        // Enter in the note field keeps the note and returns to the keys
        note.setOnAction(e -> note.getParent().requestFocus());
    }

    @FXML
    private void normal() {
        vm.labelNormal();
    }

    @FXML
    private void fraud() {
        vm.labelFraud();
    }

    @FXML
    private void undo() {
        vm.undo();
    }

    @FXML
    private void retract() {
        vm.retract();
    }

    public void focusNote() {
        note.requestFocus();
    }
}

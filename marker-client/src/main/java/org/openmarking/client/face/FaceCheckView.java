package org.openmarking.client.face;

import java.io.ByteArrayInputStream;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/**
 * The face check: the instruction in large words, a preview of the camera (mirrored, as people
 * expect a preview; the frames sent stay as captured), Start and Retry. Enter starts or retries.
 */
public final class FaceCheckView extends VBox {
    public FaceCheckView(FaceCheckViewModel vm) {
        setId("faceCheckView");
        Label title = new Label("Face check");
        title.setFont(Font.font("System", FontWeight.BOLD, 22));
        Label instruction = new Label();
        instruction.setId("faceInstruction");
        instruction.setFont(Font.font("System", FontWeight.BOLD, 18));
        instruction.setWrapText(true);
        instruction.textProperty().bind(vm.instructionProperty());
        ImageView preview = new ImageView();
        preview.setFitWidth(320);
        preview.setFitHeight(240);
        preview.setPreserveRatio(true);
        preview.setScaleX(-1);
        vm.previewProperty().addListener((o, was, now) -> preview.setImage(now == null ? null : new Image(new ByteArrayInputStream(now))));
        Label status = new Label();
        status.setId("faceStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());

        Button start = new Button("Start");
        start.setId("faceStart");
        start.setFocusTraversable(false);
        start.visibleProperty().bind(vm.phaseProperty().isEqualTo(FaceCheckViewModel.Phase.READY));
        start.managedProperty().bind(start.visibleProperty());
        start.setOnAction(e -> vm.film());
        Button retry = new Button("Retry");
        retry.setId("faceRetry");
        retry.visibleProperty().bind(vm.phaseProperty().isEqualTo(FaceCheckViewModel.Phase.FAILED).and(vm.retryAllowedProperty()));
        retry.managedProperty().bind(retry.visibleProperty());
        retry.setOnAction(e -> vm.retry());
        retry.setFocusTraversable(false);

        Label privacy = new Label("The frames go to the exam board's server only for this check; nothing is saved on this computer.");
        privacy.setStyle("-fx-text-fill: #666;");
        privacy.setWrapText(true);
        HBox buttons = new HBox(8, start, retry);
        buttons.setAlignment(Pos.CENTER);
        getChildren().addAll(title, instruction, preview, status, buttons, privacy);
        setSpacing(14);
        setPadding(new Insets(40));
        setAlignment(Pos.TOP_CENTER);
        setStyle("-fx-background-color: -fx-background;");
        // Enter starts, or retries after a failure. A key handler rather than two default
        // buttons: those share the scene's one Enter accelerator and unset each other.
        setFocusTraversable(true);
        addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() != KeyCode.ENTER && e.getCode() != KeyCode.SPACE) {
                return;
            }
            if (vm.phaseProperty().get() == FaceCheckViewModel.Phase.READY) {
                vm.film();
            } else if (vm.phaseProperty().get() == FaceCheckViewModel.Phase.FAILED) {
                vm.retry();
            }
            e.consume();
        });
    }
}

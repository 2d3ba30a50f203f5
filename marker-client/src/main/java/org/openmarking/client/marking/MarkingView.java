package org.openmarking.client.marking;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.openmarking.client.api.Wire.Clause;
import org.openmarking.client.api.Wire.CriteriaInForce;
import org.openmarking.client.api.Wire.EscalationReason;
import org.openmarking.domain.Mark;

/**
 * The marking screen: the answer large on the left, the criteria in force and the five marks
 * on the right. Everything works from the keyboard:
 *
 * <pre>
 *   1..5        the marks 0, 1/3, 1/2, 2/3, 1   (Enter or the same key again confirms, Esc cancels)
 *   E           escalate (Up/Down pick a reason, Enter sends, Esc cancels)
 *   P           pause / resume
 *   + / -       zoom       W  fit to width     R  rotate      arrows  pan
 * </pre>
 */
public final class MarkingView extends BorderPane {
    private final MarkingViewModel vm;
    private final AnswerImageView image;
    private final VBox escalatePanel = new VBox(6);
    private final ListView<EscalationReason> reasons = new ListView<>();
    private final TextField note = new TextField();
    private final Button[] markButtons = new Button[MarkingViewModel.MARKS.length];

    public MarkingView(MarkingViewModel vm, Runnable backToTasks) {
        this.vm = vm;
        setId("markingView");
        image = new AnswerImageView(vm.watermarkProperty());

        Label title = new Label((vm.mode() == MarkingViewModel.Mode.CALIBRATION ? "Calibration: " : "Marking: ") + vm.task().title());
        title.setFont(Font.font("System", FontWeight.BOLD, 16));
        Label lease = new Label();
        lease.setId("lease");
        lease.textProperty().bind(vm.leaseTextProperty());
        Label counter = new Label();
        counter.setId("counter");
        counter.textProperty().bind(Bindings.createStringBinding(() -> vm.mode() == MarkingViewModel.Mode.LIVE
                ? vm.markedThisSessionProperty().get() + " marked this session"
                + (vm.escalatedThisSessionProperty().get() > 0 ? ", " + vm.escalatedThisSessionProperty().get() + " escalated" : "")
                : "", vm.markedThisSessionProperty(), vm.escalatedThisSessionProperty()));
        Label ready = new Label();
        ready.setId("nextReady");
        ready.textProperty().bind(Bindings.when(vm.nextReadyProperty()).then("next answer ready").otherwise(""));
        Button back = new Button("Back to tasks");
        back.setId("backToTasks");
        back.setFocusTraversable(false);
        back.setOnAction(e -> {
            vm.close();
            backToTasks.run();
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(16, title, spacer, ready, lease, counter, back);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 10, 6, 10));
        setTop(top);

        setCenter(image);
        setRight(sidePanel());
        Label status = new Label();
        status.setId("markingStatus");
        status.textProperty().bind(vm.statusProperty());
        status.setWrapText(true);
        status.setPadding(new Insets(4, 10, 4, 10));
        setBottom(status);

        vm.currentProperty().addListener((o, was, now) -> showAnswer());
        vm.pausedProperty().addListener((o, was, now) -> showAnswer());
        showAnswer();
        addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        setFocusTraversable(true);
        sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                requestFocus();
            }
        });
    }

    private Node sidePanel() {
        Label version = new Label();
        version.setId("criteriaVersion");
        version.setFont(Font.font("System", FontWeight.BOLD, 13));
        Label noteText = new Label();
        noteText.setWrapText(true);
        VBox clauses = new VBox(6);
        clauses.setId("criteria");
        vm.criteriaProperty().addListener((o, was, c) -> showCriteria(c, version, noteText, clauses));
        showCriteria(vm.criteriaProperty().get(), version, noteText, clauses);
        ScrollPane criteriaScroll = new ScrollPane(new VBox(6, version, noteText, clauses));
        criteriaScroll.setFitToWidth(true);
        criteriaScroll.setFocusTraversable(false);
        VBox.setVgrow(criteriaScroll, Priority.ALWAYS);

        HBox marks = new HBox(4);
        for (int i = 0; i < markButtons.length; i++) {
            Mark m = MarkingViewModel.MARKS[i];
            Button b = new Button(m + "\n[" + (i + 1) + "]");
            b.setId("mark-" + (i + 1));
            b.setFocusTraversable(false);
            b.setMinWidth(54);
            b.setFont(Font.font("System", FontWeight.BOLD, 15));
            b.setOnAction(e -> vm.choose(m));
            b.disableProperty().bind(vm.currentProperty().isNull().or(vm.pausedProperty()));
            markButtons[i] = b;
            marks.getChildren().add(b);
        }
        vm.pendingMarkProperty().addListener((o, was, now) -> {
            for (int i = 0; i < markButtons.length; i++) {
                markButtons[i].setStyle(MarkingViewModel.MARKS[i] == now ? "-fx-base: #f0c040;" : "");
            }
        });
        CheckBox confirm = new CheckBox("Confirm each mark");
        confirm.setId("confirmMarks");
        confirm.setFocusTraversable(false);
        confirm.selectedProperty().bindBidirectional(vm.confirmMarksProperty());

        Button escalate = new Button("Escalate... [E]");
        escalate.setId("escalate");
        escalate.setFocusTraversable(false);
        escalate.disableProperty().bind(vm.currentProperty().isNull());
        escalate.setOnAction(e -> openEscalation());
        Button pause = new Button();
        pause.setId("pause");
        pause.setFocusTraversable(false);
        pause.textProperty().bind(Bindings.when(vm.pausedProperty()).then("Resume [P]").otherwise("Pause [P]"));
        pause.setOnAction(e -> vm.togglePause());
        Button fit = toolButton("Fit width [W]", image::fitWidth);
        Button rotate = toolButton("Rotate [R]", image::rotate);
        Button zoomIn = toolButton("+", () -> image.zoomBy(1.25));
        Button zoomOut = toolButton("-", () -> image.zoomBy(0.8));

        reasons.getItems().setAll(EscalationReason.values());
        reasons.setId("escalationReasons");
        reasons.setPrefHeight(5 * 26);
        note.setId("escalationNote");
        note.setPromptText("note for the senior examiner (optional)");
        Button send = new Button("Send to senior examiner");
        send.setId("escalationSend");
        send.setOnAction(e -> sendEscalation());
        Button cancel = new Button("Cancel");
        cancel.setOnAction(e -> closeEscalation());
        escalatePanel.getChildren().setAll(new Label("Why can't this answer be marked?"), reasons, note, new HBox(6, send, cancel));
        escalatePanel.setVisible(false);
        escalatePanel.setManaged(false);
        reasons.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                sendEscalation();
                e.consume();
            }
        });
        note.setOnAction(e -> sendEscalation());

        VBox side = new VBox(8, criteriaScroll, marks, confirm, new HBox(6, escalate, pause), new HBox(6, fit, rotate, zoomIn, zoomOut),
                escalatePanel);
        side.setPadding(new Insets(8));
        side.setPrefWidth(340);
        side.setMinWidth(300);
        return side;
    }

    private Button toolButton(String text, Runnable action) {
        Button b = new Button(text);
        b.setFocusTraversable(false);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static void showCriteria(CriteriaInForce c, Label version, Label note, VBox clauses) {
        clauses.getChildren().clear();
        if (c == null) {
            version.setText("Loading the criteria...");
            note.setText("");
            return;
        }
        version.setText("Criteria, version " + c.version());
        note.setText(c.note() == null || c.note().isBlank() ? "" : c.note());
        for (Clause cl : c.clauses()) {
            Label l = new Label(cl.number() + ". " + cl.text() + "  \u2192 " + cl.mark());
            l.setWrapText(true);
            l.setMaxWidth(310);
            clauses.getChildren().add(l);
        }
    }

    private void showAnswer() {
        MarkingViewModel.Answer a = vm.currentProperty().get();
        if (a == null) {
            image.clear(vm.mode() == MarkingViewModel.Mode.CALIBRATION && vm.calibrationDoneProperty().get() ? ""
                    : "Waiting for the next answer...");
        } else if (vm.pausedProperty().get()) {
            image.clear("Paused.");
        } else {
            image.show(a.image());
        }
        if (a == null) {
            closeEscalation();
        }
    }

    private void openEscalation() {
        if (vm.currentProperty().get() == null) {
            return;
        }
        vm.cancelPending();
        escalatePanel.setVisible(true);
        escalatePanel.setManaged(true);
        reasons.getSelectionModel().selectFirst();
        reasons.requestFocus();
    }

    private void closeEscalation() {
        escalatePanel.setVisible(false);
        escalatePanel.setManaged(false);
        note.clear();
        requestFocus();
    }

    private void sendEscalation() {
        EscalationReason r = reasons.getSelectionModel().getSelectedItem();
        if (r != null) {
            vm.escalate(r, note.getText());
        }
        closeEscalation();
    }

    private void onKey(KeyEvent e) {
        if (escalatePanel.isVisible()) {
            if (e.getCode() == KeyCode.ESCAPE) {
                closeEscalation();
                e.consume();
            }
            return; // typing a note or choosing a reason: no marking shortcuts
        }
        if (getScene() != null && getScene().getFocusOwner() instanceof TextInputControl) {
            return;
        }
        int digit = digit(e.getCode());
        boolean handled = true;
        if (digit >= 1 && digit <= MarkingViewModel.MARKS.length) {
            vm.choose(MarkingViewModel.MARKS[digit - 1]);
        } else {
            switch (e.getCode()) {
                case ENTER -> vm.confirm();
                case ESCAPE -> vm.cancelPending();
                case E -> openEscalation();
                case P -> vm.togglePause();
                case W -> image.fitWidth();
                case R -> image.rotate();
                case PLUS, ADD, EQUALS -> image.zoomBy(1.25);
                case MINUS, SUBTRACT -> image.zoomBy(0.8);
                case LEFT -> image.pan(60, 0);
                case RIGHT -> image.pan(-60, 0);
                case UP -> image.pan(0, 60);
                case DOWN -> image.pan(0, -60);
                default -> handled = false;
            }
        }
        if (handled) {
            e.consume();
        }
    }

    private static int digit(KeyCode c) {
        return switch (c) {
            case DIGIT1, NUMPAD1 -> 1;
            case DIGIT2, NUMPAD2 -> 2;
            case DIGIT3, NUMPAD3 -> 3;
            case DIGIT4, NUMPAD4 -> 4;
            case DIGIT5, NUMPAD5 -> 5;
            default -> 0;
        };
    }

    /** The response on screen, or "" (for tests; the marker never sees response ids). */
    public String currentResponseId() {
        MarkingViewModel.Answer a = vm.currentProperty().get();
        return a == null || !image.hasImage() ? "" : a.allocation().responseId();
    }

    /** The image component (for tests of zoom and rotation). */
    public AnswerImageView imageView() {
        return image;
    }
}

package org.openmarking.client.tasks;

import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.openmarking.client.api.Wire.TaskInfo;

/**
 * The marker's tasks with progress; each row offers Calibrate or Mark, and the calibration
 * feedback. From the keyboard: Up/Down choose a task, Enter opens it, F shows its feedback.
 */
public final class TaskListView extends VBox {
    private final VBox rows = new VBox(10);
    private int selected;

    public TaskListView(TaskListViewModel vm, Consumer<TaskInfo> open, Consumer<TaskInfo> feedback) {
        setId("taskListView");
        Label title = new Label("Your marking tasks");
        title.setFont(Font.font("System", FontWeight.BOLD, 20));
        Button refresh = new Button("Refresh");
        refresh.setId("refreshTasks");
        refresh.setOnAction(e -> vm.refresh());
        refresh.setFocusTraversable(false);
        Label status = new Label();
        status.setId("tasksStatus");
        status.textProperty().bind(vm.statusProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(10, title, spacer, refresh);
        header.setAlignment(Pos.CENTER_LEFT);
        ScrollPane scroll = new ScrollPane(rows);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        Label keys = new Label("Up/Down choose a task, Enter opens it, F shows its calibration feedback");
        keys.setStyle("-fx-text-fill: #777;");
        getChildren().addAll(header, keys, status, scroll);
        setSpacing(10);
        setPadding(new Insets(20));
        vm.tasks().addListener((ListChangeListener<TaskInfo>) c -> render(vm, open, feedback));
        render(vm, open, feedback);
        setFocusTraversable(true);
        addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            int n = vm.tasks().size();
            if (n == 0) {
                return;
            }
            switch (e.getCode()) {
                case DOWN -> select(Math.min(n - 1, selected + 1));
                case UP -> select(Math.max(0, selected - 1));
                case ENTER -> open.accept(vm.tasks().get(selected));
                case F -> feedback.accept(vm.tasks().get(selected));
                default -> {
                    return;
                }
            }
            e.consume();
        });
        sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                requestFocus();
            }
        });
    }

    private void select(int index) {
        selected = index;
        for (int i = 0; i < rows.getChildren().size(); i++) {
            rows.getChildren().get(i).setStyle(rowStyle(i == selected));
        }
    }

    private static String rowStyle(boolean chosen) {
        return "-fx-background-color: " + (chosen ? "#e3f2fd" : "white") + "; -fx-border-color: " + (chosen ? "#1e88e5" : "#ddd")
                + "; -fx-border-radius: 4; -fx-background-radius: 4;";
    }

    /** A task id usable in a CSS id selector (dots would read as style classes). */
    public static String cssId(String taskId) {
        return taskId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The task row chosen with the keyboard (0 is the first). */
    public int selectedIndex() {
        return selected;
    }

    private void render(TaskListViewModel vm, Consumer<TaskInfo> open, Consumer<TaskInfo> feedback) {
        rows.getChildren().clear();
        selected = Math.max(0, Math.min(selected, vm.tasks().size() - 1));
        for (TaskInfo t : vm.tasks()) {
            Label name = new Label(t.title());
            name.setFont(Font.font("System", FontWeight.BOLD, 14));
            Label id = new Label(t.taskId());
            id.setStyle("-fx-text-fill: #777;");
            ProgressBar bar = new ProgressBar(t.progress());
            bar.setPrefWidth(260);
            Label progress = new Label(TaskListViewModel.progressText(t));
            Button action = new Button(TaskListViewModel.actionFor(t));
            action.setId("open-" + cssId(t.taskId()));
            action.setOnAction(e -> open.accept(t));
            action.setFocusTraversable(false);
            Button fb = new Button("Calibration feedback");
            fb.setId("feedback-" + cssId(t.taskId()));
            fb.setOnAction(e -> feedback.accept(t));
            fb.setFocusTraversable(false);
            fb.setVisible(t.calibrationRequired());
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox row = new HBox(12, new VBox(2, name, id), spacer, new VBox(4, bar, progress), action, fb);
            row.setAlignment(Pos.CENTER_LEFT);
            row.setPadding(new Insets(8));
            row.setStyle(rowStyle(rows.getChildren().size() == selected));
            rows.getChildren().add(row);
        }
    }
}

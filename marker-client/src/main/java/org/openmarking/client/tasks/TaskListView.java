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

/** The marker's tasks with progress; each row offers Calibrate or Mark, and the calibration feedback. */
public final class TaskListView extends VBox {
    private final VBox rows = new VBox(10);

    public TaskListView(TaskListViewModel vm, Consumer<TaskInfo> open, Consumer<TaskInfo> feedback) {
        setId("taskListView");
        Label title = new Label("Your marking tasks");
        title.setFont(Font.font("System", FontWeight.BOLD, 20));
        Button refresh = new Button("Refresh");
        refresh.setId("refreshTasks");
        refresh.setOnAction(e -> vm.refresh());
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
        getChildren().addAll(header, status, scroll);
        setSpacing(10);
        setPadding(new Insets(20));
        vm.tasks().addListener((ListChangeListener<TaskInfo>) c -> render(vm, open, feedback));
        render(vm, open, feedback);
    }

    private void render(TaskListViewModel vm, Consumer<TaskInfo> open, Consumer<TaskInfo> feedback) {
        rows.getChildren().clear();
        boolean first = true;
        for (TaskInfo t : vm.tasks()) {
            Label name = new Label(t.title());
            name.setFont(Font.font("System", FontWeight.BOLD, 14));
            Label id = new Label(t.taskId());
            id.setStyle("-fx-text-fill: #777;");
            ProgressBar bar = new ProgressBar(t.progress());
            bar.setPrefWidth(260);
            Label progress = new Label(TaskListViewModel.progressText(t));
            Button action = new Button(TaskListViewModel.actionFor(t));
            action.setId("open-" + t.taskId());
            action.setOnAction(e -> open.accept(t));
            if (first) {
                action.setDefaultButton(true);
                first = false;
            }
            Button fb = new Button("Calibration feedback");
            fb.setId("feedback-" + t.taskId());
            fb.setOnAction(e -> feedback.accept(t));
            fb.setVisible(t.calibrationRequired());
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox row = new HBox(12, new VBox(2, name, id), spacer, new VBox(4, bar, progress), action, fb);
            row.setAlignment(Pos.CENTER_LEFT);
            row.setPadding(new Insets(8));
            row.setStyle("-fx-background-color: white; -fx-border-color: #ddd; -fx-border-radius: 4; -fx-background-radius: 4;");
            rows.getChildren().add(row);
        }
    }
}

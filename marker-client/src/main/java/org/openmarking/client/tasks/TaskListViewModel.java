package org.openmarking.client.tasks;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.client.background.BackgroundExecutor;

/** The marker's assigned tasks with progress, and which need calibration first. */
public final class TaskListViewModel {
    private final MarkerApi api;
    private final BackgroundExecutor bg;
    private final ObservableList<TaskInfo> tasks = FXCollections.observableArrayList();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");

    public TaskListViewModel(MarkerApi api, BackgroundExecutor bg) {
        this.api = api;
        this.bg = bg;
    }

    public void refresh() {
        loading.set(true);
        bg.run(api::tasks, list -> {
            loading.set(false);
            tasks.setAll(list);
            status.set(list.isEmpty() ? "No tasks are assigned to you yet." : "");
        }, e -> {
            loading.set(false);
            status.set("Could not load your tasks: " + e.getMessage());
        });
    }

    /** What the task's button says: calibrate first, or mark. */
    public static String actionFor(TaskInfo t) {
        return t.canMark() ? "Mark" : "Calibrate";
    }

    public static String progressText(TaskInfo t) {
        String standing = switch (t.state() == null ? "" : t.state()) {
            case "suspended" -> "suspended from this task";
            case "held" -> "calibration waiting for a chief examiner";
            default -> t.calibrationRequired() ? (t.calibrated() ? "calibrated" : "calibration required")
                    : t.calibrated() ? "calibrated" : "ready to mark";
        };
        return t.done() + (t.target() > 0 ? " of " + t.target() : "") + " marked; " + standing;
    }

    public ObservableList<TaskInfo> tasks() {
        return tasks;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    public StringProperty statusProperty() {
        return status;
    }
}

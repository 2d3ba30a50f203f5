package org.openmarking.client.calibration;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.CalibrationFeedback;
import org.openmarking.client.api.Wire.CalibrationFeedbackItem;
import org.openmarking.client.background.BackgroundExecutor;

/** Feedback after a calibration set: each item with the marker's mark, the definitive mark and the rationale. */
public final class CalibrationFeedbackViewModel {
    private final MarkerApi api;
    private final BackgroundExecutor bg;
    private final ObjectProperty<CalibrationFeedback> feedback = new SimpleObjectProperty<>();
    private final ObservableList<CalibrationFeedbackItem> items = FXCollections.observableArrayList();
    private final StringProperty headline = new SimpleStringProperty("");

    public CalibrationFeedbackViewModel(MarkerApi api, BackgroundExecutor bg) {
        this.api = api;
        this.bg = bg;
    }

    public void load(String taskId) {
        headline.set("Loading the feedback for " + taskId + "...");
        bg.run(() -> api.calibrationFeedback(taskId), f -> {
            if (f.isEmpty()) {
                headline.set("No calibration feedback for " + taskId + " yet.");
                items.clear();
            } else {
                show(f.get());
            }
        }, e -> headline.set("Could not load the feedback: " + e.getMessage()));
    }

    void show(CalibrationFeedback f) {
        feedback.set(f);
        items.setAll(f.items());
        long agreed = f.items().stream().filter(CalibrationFeedbackItem::agrees).count();
        // The server's own summary says how the set was judged; without one, the count of exact agreements.
        headline.set((f.passed() ? "Calibration passed" : "Calibration not passed") + " for " + f.taskId() + ": "
                + (f.summary().isBlank() ? agreed + " of " + f.items().size() + " marks agree with the definitive marks." : f.summary()));
    }

    public ObjectProperty<CalibrationFeedback> feedbackProperty() {
        return feedback;
    }

    public ObservableList<CalibrationFeedbackItem> items() {
        return items;
    }

    public StringProperty headlineProperty() {
        return headline;
    }
}

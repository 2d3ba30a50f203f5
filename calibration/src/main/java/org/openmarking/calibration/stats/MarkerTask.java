package org.openmarking.calibration.stats;

import java.util.Objects;

/** A marker on a task: the unit every marking-quality figure is kept for. */
public record MarkerTask(String markerId, String taskId) {
    public MarkerTask {
        Objects.requireNonNull(markerId, "markerId");
        Objects.requireNonNull(taskId, "taskId");
    }
}

package org.openmarking.calibration.stats;

import java.time.Instant;
import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * A mark record: one mark a marker gave to one response of a task, and when. Only marks that count
 * belong here; the caller leaves out withdrawn marks.
 *
 * @param markerId   who marked
 * @param taskId     the task (question)
 * @param responseId the opaque response id
 * @param mark       the mark given
 * @param markedAt   when the mark was submitted
 */
public record MarkRecord(String markerId, String taskId, String responseId, Mark mark, Instant markedAt) {
    public MarkRecord {
        Objects.requireNonNull(markerId, "markerId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(responseId, "responseId");
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(markedAt, "markedAt");
    }

    public MarkerTask markerTask() {
        return new MarkerTask(markerId, taskId);
    }
}

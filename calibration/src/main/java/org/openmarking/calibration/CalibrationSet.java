package org.openmarking.calibration;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A calibration set: the pre-marked answers a marker marks in one calibration attempt on a task.
 *
 * <p>A task has several sets, numbered by {@code ordinal} (1 = first, 2 = second, ...), because a
 * marker who fails must be given a different set: re-marking the same answers would test memory,
 * not judgement.
 *
 * @param id      unique id of the set
 * @param taskId  the task (question) whose criteria the set calibrates
 * @param ordinal 1 for the set normally given first, 2 for the second, and so on
 * @param items   the items in the order shown; response ids are distinct
 */
public record CalibrationSet(String id, String taskId, int ordinal, List<CalibrationItem> items) {
    public CalibrationSet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(taskId, "taskId");
        items = List.copyOf(items);
        if (id.isBlank() || taskId.isBlank()) {
            throw new IllegalArgumentException("a calibration set needs an id and a task id");
        }
        if (ordinal < 1) {
            throw new IllegalArgumentException("set " + id + ": ordinal " + ordinal + " is not 1 or more");
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("set " + id + " has no items");
        }
        Set<String> seen = new HashSet<>();
        for (CalibrationItem item : items) {
            if (!seen.add(item.responseId())) {
                throw new IllegalArgumentException("set " + id + " holds response " + item.responseId() + " twice");
            }
        }
    }

    public static CalibrationSet of(String id, String taskId, int ordinal, List<CalibrationItem> items) {
        return new CalibrationSet(id, taskId, ordinal, items);
    }

    public int size() {
        return items.size();
    }

    /**
     * The responses of this set that {@code other} holds too, in this set's order. A task's sets
     * must share none: a marker who fails is given another set, and after the first attempt they
     * were shown its definitive marks and rationales, so an answer met again would test memory.
     */
    public List<String> sharedWith(CalibrationSet other) {
        Set<String> theirs = new HashSet<>();
        other.items().forEach(i -> theirs.add(i.responseId()));
        return items.stream().map(CalibrationItem::responseId).filter(theirs::contains).toList();
    }
}

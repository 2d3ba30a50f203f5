package org.openmarking.domain.criteria;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The history of a task's criteria versions, oldest first; the newest is in force.
 *
 * <p>Versions are never edited or removed, so a mark can always be traced to the exact
 * wording the marker saw.
 */
public record Criteria(String taskId, List<CriteriaVersion> versions) {
    public Criteria {
        versions = List.copyOf(versions);
        for (int i = 0; i < versions.size(); i++) {
            CriteriaVersion v = versions.get(i);
            if (!v.taskId().equals(taskId) || v.version() != i + 1) {
                throw new IllegalArgumentException("criteria versions of task " + taskId + " must be numbered 1.." + versions.size()
                        + " in order; found version " + v.version() + " of task " + v.taskId() + " at position " + (i + 1));
            }
        }
    }

    public static Criteria empty(String taskId) {
        return new Criteria(taskId, List.of());
    }

    public Optional<CriteriaVersion> inForce() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /** True when a mark made under {@code version} may still be accepted. */
    public boolean isInForce(int version) {
        return inForce().map(v -> v.version() == version).orElse(false);
    }

    /** A new history with the next version appended. */
    public Criteria publish(CriteriaVersion next) {
        List<CriteriaVersion> all = new ArrayList<>(versions);
        all.add(next);
        return new Criteria(taskId, all);
    }
}

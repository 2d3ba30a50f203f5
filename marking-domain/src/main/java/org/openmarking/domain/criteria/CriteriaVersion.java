package org.openmarking.domain.criteria;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One published version of a task's marking criteria.
 *
 * <p>The board refines criteria before and during marking; each refinement is a new
 * version with a note of what changed. A marker always sees the version in force, and a
 * version can demand that markers recalibrate before they go on.
 *
 * @param version 1 for the first published criteria, then 2, 3, ...
 */
public record CriteriaVersion(String taskId, int version, Instant publishedAt, String publishedBy, String note,
                              List<Clause> clauses, boolean requiresRecalibration) {
    public CriteriaVersion {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(publishedAt, "publishedAt");
        if (version < 1) {
            throw new IllegalArgumentException("criteria versions start at 1, got " + version);
        }
        if (clauses == null || clauses.isEmpty()) {
            throw new IllegalArgumentException("criteria need at least one clause");
        }
        clauses = List.copyOf(clauses);
        Set<Integer> seen = new HashSet<>();
        for (Clause c : clauses) {
            if (!seen.add(c.number())) {
                throw new IllegalArgumentException("clause " + c.number() + " appears twice");
            }
        }
        note = note == null ? "" : note;
        publishedBy = publishedBy == null ? "" : publishedBy;
    }

    public Optional<Clause> clause(int number) {
        return clauses.stream().filter(c -> c.number() == number).findFirst();
    }
}

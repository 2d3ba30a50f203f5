package org.openmarking.domain.criteria;

import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * A numbered clause of a task's marking criteria: what an answer must show, and the mark
 * it earns. Appeals cite clauses by number, so numbers are stable within a version.
 */
public record Clause(int number, String text, Mark mark) {
    public Clause {
        Objects.requireNonNull(mark, "mark");
        if (number < 1) {
            throw new IllegalArgumentException("clause numbers start at 1, got " + number);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("clause " + number + " has no text");
        }
    }
}

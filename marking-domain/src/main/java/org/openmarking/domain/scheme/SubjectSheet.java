package org.openmarking.domain.scheme;

import java.util.Map;
import java.util.Set;
import org.openmarking.domain.Mark;

/**
 * One candidate's outcome on one subject's items, as the scorer needs it.
 *
 * @param correct numbers of the closed and coded items answered correctly (others earn 0)
 * @param written the final mark of every written item
 */
public record SubjectSheet(Set<Integer> correct, Map<Integer, Mark> written) {
    public SubjectSheet {
        correct = correct == null ? Set.of() : Set.copyOf(correct);
        written = written == null ? Map.of() : Map.copyOf(written);
    }
}

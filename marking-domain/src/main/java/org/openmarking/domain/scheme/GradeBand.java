package org.openmarking.domain.scheme;

/**
 * A grade read from a range of raw points, e.g. 8-17 correct answers give grade 3.
 *
 * @param from lowest raw points for this grade, inclusive
 * @param to highest raw points for this grade, inclusive
 */
public record GradeBand(int from, int to, int grade) {
    public GradeBand {
        if (from < 0 || to < from) {
            throw new SchemeException("", "band " + from + "-" + to + " is empty or negative");
        }
    }
}

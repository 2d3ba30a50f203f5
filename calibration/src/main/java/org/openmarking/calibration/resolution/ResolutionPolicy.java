package org.openmarking.calibration.resolution;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

/**
 * A double-marking resolution policy: how many independent marks a response needs, what counts
 * as agreement, and what happens when markers disagree.
 *
 * <p>The rules, in order ({@link #resolve}):
 * <ol>
 *   <li>Only live marks count; seed and withdrawn marks are ignored.</li>
 *   <li>Fewer independent marks than required: {@code NEEDS_MORE_MARKS(missing)}.</li>
 *   <li>All independent marks within {@code toleranceSteps} of each other: {@code FINAL}. With the
 *       default tolerance 0 they are equal and that mark is final. With a tolerance the final mark
 *       is their mean rounded to the nearest scale value, ties to the lower: the mean because
 *       both markers are equally credible, the scale because no other value exists, the lower on
 *       a tie because a mark must be earned against the criteria.</li>
 *   <li>Otherwise, no senior mark yet: {@code NEEDS_SENIOR} (a blind third marking).</li>
 *   <li>The senior mark agrees (within tolerance) with at least half of the independent marks:
 *       it is final. With two independent marks and tolerance 0 this is "a mark matched by two
 *       of three". The senior's own mark is taken, being the more experienced judgement.</li>
 *   <li>Otherwise: {@code NEEDS_ADJUDICATION} by the chief examiner.</li>
 * </ol>
 *
 * <p>Single marking ({@code independentMarks == 1}) can second-mark a fixed percentage of
 * responses, chosen by a hash of the response id so every server node picks the same ones
 * without talking to each other.
 *
 * @param independentMarks     independent marks every response needs; at least 1 (default 2)
 * @param secondMarkingPercent under single marking, the percentage (0..100) of responses that get
 *                             a second independent mark; must be 0 when {@code independentMarks > 1}
 * @param toleranceSteps       marks at most this many scale steps apart agree (0..3; default 0)
 */
public record ResolutionPolicy(int independentMarks, int secondMarkingPercent, int toleranceSteps) {
    /** Far enough apart that a tolerance of 4 steps would call 0 and 1 agreement. */
    private static final int MAX_TOLERANCE = Mark.SCALE_SIZE - 2;

    public ResolutionPolicy {
        if (independentMarks < 1) {
            throw new IllegalArgumentException("independent marks must be at least 1, not " + independentMarks);
        }
        if (secondMarkingPercent < 0 || secondMarkingPercent > 100) {
            throw new IllegalArgumentException("second-marking percentage " + secondMarkingPercent + " is not between 0 and 100");
        }
        if (independentMarks > 1 && secondMarkingPercent != 0) {
            throw new IllegalArgumentException("a second-marking percentage applies only to single marking, not to "
                    + independentMarks + " independent marks");
        }
        if (toleranceSteps < 0 || toleranceSteps > MAX_TOLERANCE) {
            throw new IllegalArgumentException("tolerance " + toleranceSteps + " is not between 0 and " + MAX_TOLERANCE + " steps");
        }
    }

    /** Two independent marks, exact agreement: the board's default. */
    public static ResolutionPolicy doubleMarking() {
        return new ResolutionPolicy(2, 0, 0);
    }

    /** One mark, with {@code percent} of responses second-marked, exact agreement. */
    public static ResolutionPolicy singleMarking(int percent) {
        return new ResolutionPolicy(1, percent, 0);
    }

    public ResolutionPolicy withTolerance(int steps) {
        return new ResolutionPolicy(independentMarks, secondMarkingPercent, steps);
    }

    /** Whether a singly marked response is among those second-marked; the same answer on every node. */
    public boolean secondMarked(String responseId) {
        Objects.requireNonNull(responseId, "responseId");
        return independentMarks == 1 && ResponseBucket.of(responseId) < secondMarkingPercent;
    }

    /** How many independent marks this response needs. */
    public int requiredMarks(String responseId) {
        return secondMarked(responseId) ? 2 : independentMarks;
    }

    /**
     * Resolves a response's marks under this policy (the rules are listed on the type).
     *
     * @param marks every mark recorded for the response, in any order; more independent marks
     *              than required are all taken into account
     * @throws IllegalArgumentException when two counted marks come from one marker, which would
     *                                  make them not independent
     */
    public Resolution resolve(String responseId, List<GivenMark> marks) {
        List<Mark> independent = new ArrayList<>();
        Optional<Mark> senior = Optional.empty();
        Set<String> markers = new HashSet<>();
        for (GivenMark g : marks) {
            if (!g.counts()) {
                continue;
            }
            if (!markers.add(g.markerId())) {
                throw new IllegalArgumentException("response " + responseId + " has two counted marks by " + g.markerId());
            }
            if (!g.senior()) {
                independent.add(g.mark());
            } else if (senior.isEmpty()) {
                senior = Optional.of(g.mark());
            } else {
                throw new IllegalArgumentException("response " + responseId + " has more than one counted senior mark");
            }
        }
        int missing = requiredMarks(responseId) - independent.size();
        if (missing > 0) {
            return new Resolution.NeedsMoreMarks(missing);
        }
        if (spread(independent) <= toleranceSteps) {
            return new Resolution.Final(nearestToMean(independent));
        }
        if (senior.isEmpty()) {
            return new Resolution.NeedsSenior();
        }
        Mark s = senior.get();
        long matching = independent.stream().filter(m -> m.stepsFrom(s) <= toleranceSteps).count();
        return 2 * matching >= independent.size() ? new Resolution.Final(s) : new Resolution.NeedsAdjudication();
    }

    private static int spread(List<Mark> marks) {
        int lo = marks.stream().mapToInt(Mark::step).min().orElseThrow();
        int hi = marks.stream().mapToInt(Mark::step).max().orElseThrow();
        return hi - lo;
    }

    /** The scale mark nearest the mean of {@code marks}; on a tie the lower. */
    private static Mark nearestToMean(List<Mark> marks) {
        Fraction mean = Mark.sum(marks).divide(Fraction.of(marks.size()));
        Mark best = Mark.ZERO;
        for (Mark m : Mark.values()) {
            if (m.value().subtract(mean).abs().compareTo(best.value().subtract(mean).abs()) < 0) {
                best = m;
            }
        }
        return best;
    }
}

package org.openmarking.calibration.stats;

import java.util.Arrays;
import java.util.Collection;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

/**
 * A distribution of marks: how many times each of the five marks was given.
 *
 * <p>Comparing a marker's distribution with everyone's on the same task shows a marker who avoids
 * the extremes or never gives 1/2, which agreement figures alone can miss when seeds are few.
 */
public final class MarkDistribution {
    private static final MarkDistribution EMPTY = new MarkDistribution(new long[Mark.SCALE_SIZE]);

    private final long[] counts;

    private MarkDistribution(long[] counts) {
        this.counts = counts;
    }

    public static MarkDistribution empty() {
        return EMPTY;
    }

    public static MarkDistribution of(Collection<Mark> marks) {
        long[] c = new long[Mark.SCALE_SIZE];
        for (Mark m : marks) {
            c[m.step()]++;
        }
        return new MarkDistribution(c);
    }

    static MarkDistribution ofCounts(long[] byStep) {
        return new MarkDistribution(byStep.clone());
    }

    public MarkDistribution plus(Mark mark) {
        return new MarkDistribution(Counts.increment(counts, mark.step()));
    }

    public MarkDistribution plus(MarkDistribution other) {
        return new MarkDistribution(Counts.add(counts, other.counts));
    }

    public long count(Mark mark) {
        return counts[mark.step()];
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** The share of marks equal to {@code mark}; zero when empty. */
    public Fraction share(Mark mark) {
        long n = total();
        return n == 0 ? Fraction.ZERO : Fraction.of(count(mark), n);
    }

    /** The mean mark in points; zero when empty. */
    public Fraction mean() {
        long n = total();
        if (n == 0) {
            return Fraction.ZERO;
        }
        long sixths = 0;
        for (Mark m : Mark.values()) {
            sixths += m.sixths() * count(m);
        }
        return Fraction.of(sixths, 6 * n);
    }

    /**
     * The total variation distance to another distribution: half the sum over marks of the
     * difference in shares, from 0 (same shape) to 1 (no mark in common). Zero if either is empty,
     * because there is nothing to compare.
     */
    public Fraction distanceTo(MarkDistribution other) {
        if (total() == 0 || other.total() == 0) {
            return Fraction.ZERO;
        }
        Fraction sum = Fraction.ZERO;
        for (Mark m : Mark.values()) {
            sum = sum.add(share(m).subtract(other.share(m)).abs());
        }
        return sum.multiply(Fraction.of(1, 2));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarkDistribution d && Arrays.equals(counts, d.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MarkDistribution[");
        for (Mark m : Mark.values()) {
            sb.append(m.step() == 0 ? "" : ", ").append(m).append('=').append(count(m));
        }
        return sb.append(']').toString();
    }
}

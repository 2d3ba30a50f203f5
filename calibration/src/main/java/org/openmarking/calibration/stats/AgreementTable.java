package org.openmarking.calibration.stats;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

/**
 * An agreement table: how often a rater gave each mark when the reference (a definitive mark, or
 * a co-marker's mark) was each mark, a 5 x 5 count table over the scale.
 *
 * <p>The table is the whole sufficient statistic: every agreement figure in this package derives
 * from it, exactly, and two tables add cell by cell. So the server can keep one per marker and task
 * and fold in each new mark with {@link #plus(Mark, Mark)} instead of re-reading history.
 *
 * <p>Immutable; every "plus" returns a new table.
 */
public final class AgreementTable {
    private static final int K = Mark.SCALE_SIZE;
    private static final AgreementTable EMPTY = new AgreementTable(new long[K * K]);

    private final long[] cells;

    private AgreementTable(long[] cells) {
        this.cells = cells;
    }

    public static AgreementTable empty() {
        return EMPTY;
    }

    /** A table of one pair, the rater's mark against the reference mark. */
    public static AgreementTable of(Mark rater, Mark reference) {
        return EMPTY.plus(rater, reference);
    }

    /** Adds one pair: the rater's mark against the reference mark. */
    public AgreementTable plus(Mark rater, Mark reference) {
        return new AgreementTable(Counts.increment(cells, index(rater, reference)));
    }

    /** Adds another table cell by cell. */
    public AgreementTable plus(AgreementTable other) {
        return new AgreementTable(Counts.add(cells, other.cells));
    }

    /** How many times the rater gave {@code rater} when the reference was {@code reference}. */
    public long count(Mark rater, Mark reference) {
        return cells[index(rater, reference)];
    }

    /** The number of pairs. */
    public long total() {
        return Arrays.stream(cells).sum();
    }

    /** Pairs no further apart than {@code steps} scale steps; 0 counts exact agreement. */
    public long withinSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps " + steps + " is negative");
        }
        long n = 0;
        for (Mark r : Mark.values()) {
            for (Mark ref : Mark.values()) {
                if (r.stepsFrom(ref) <= steps) {
                    n += count(r, ref);
                }
            }
        }
        return n;
    }

    /** Share of pairs in exact agreement; zero for an empty table. */
    public Fraction exactRate() {
        return rate(withinSteps(0));
    }

    /** Share of pairs within {@code steps} scale steps; zero for an empty table. */
    public Fraction withinRate(int steps) {
        return rate(withinSteps(steps));
    }

    /**
     * Mean of (rater - reference) in points: below zero the rater is severe, above zero lenient.
     * Zero for an empty table.
     */
    public Fraction meanSignedDeviation() {
        return meanInPoints(false);
    }

    /** Mean of |rater - reference| in points; zero for an empty table. */
    public Fraction meanAbsoluteDeviation() {
        return meanInPoints(true);
    }

    /**
     * Cohen's quadratically weighted kappa over the five scale positions (weights (i - j)^2 in
     * scale steps, not in points, so 0 -> 1/3 weighs as much as 1/2 -> 2/3).
     *
     * <p>kappa = 1 - N * sum (i-j)^2 O_ij / sum (i-j)^2 r_i c_j, with O the table, r and c its row and
     * column totals and N the total; exact because every term is an integer.
     *
     * <p>Empty when undefined: for an empty table, and when the chance-expected disagreement is
     * zero, which happens exactly when rater and reference each used one and the same mark
     * throughout (say every pair is 1/2 against 1/2). Agreement is then perfect but there is no
     * variation to tell skill from chance; read {@link #exactRate()} instead. Returning 1 would
     * flatter, returning 0 would condemn, so neither is invented.
     */
    public Optional<Fraction> quadraticWeightedKappa() {
        long n = total();
        long observed = 0;
        long expected = 0;
        long[] rows = new long[K];
        long[] cols = new long[K];
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                long o = cells[i * K + j];
                rows[i] += o;
                cols[j] += o;
                observed += (long) (i - j) * (i - j) * o;
            }
        }
        for (int i = 0; i < K; i++) {
            for (int j = 0; j < K; j++) {
                expected = Math.addExact(expected, Math.multiplyExact((long) (i - j) * (i - j), Math.multiplyExact(rows[i], cols[j])));
            }
        }
        if (n == 0 || expected == 0) {
            return Optional.empty();
        }
        return Optional.of(Fraction.ONE.subtract(Fraction.of(Math.multiplyExact(n, observed), expected)));
    }

    /** How often the rater gave each mark. */
    public MarkDistribution raterDistribution() {
        long[] byStep = new long[K];
        for (int i = 0; i < cells.length; i++) {
            byStep[i / K] += cells[i];
        }
        return MarkDistribution.ofCounts(byStep);
    }

    /** How often each mark was the reference. */
    public MarkDistribution referenceDistribution() {
        long[] byStep = new long[K];
        for (int i = 0; i < cells.length; i++) {
            byStep[i % K] += cells[i];
        }
        return MarkDistribution.ofCounts(byStep);
    }

    private Fraction rate(long part) {
        long n = total();
        return n == 0 ? Fraction.ZERO : Fraction.of(part, n);
    }

    private Fraction meanInPoints(boolean absolute) {
        long n = total();
        if (n == 0) {
            return Fraction.ZERO;
        }
        long sixths = 0;
        for (Mark r : Mark.values()) {
            for (Mark ref : Mark.values()) {
                long d = r.sixths() - ref.sixths();
                sixths += (absolute ? Math.abs(d) : d) * count(r, ref);
            }
        }
        return Fraction.of(sixths, Math.multiplyExact(6, n));
    }

    private static int index(Mark rater, Mark reference) {
        Objects.requireNonNull(rater, "rater");
        Objects.requireNonNull(reference, "reference");
        return rater.step() * K + reference.step();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgreementTable t && Arrays.equals(cells, t.cells);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cells);
    }

    /** Rows are the rater's marks, columns the reference marks, both 0 .. 1. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AgreementTable[");
        for (int i = 0; i < K; i++) {
            sb.append(i == 0 ? "" : "; ").append(Mark.ofStep(i)).append(':');
            for (int j = 0; j < K; j++) {
                sb.append(' ').append(cells[i * K + j]);
            }
        }
        return sb.append(']').toString();
    }
}

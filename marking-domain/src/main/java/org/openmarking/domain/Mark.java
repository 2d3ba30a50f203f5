package org.openmarking.domain;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A mark given to one written open answer: exactly one of 0, 1/3, 1/2, 2/3 or 1
 * (domain.md §3). No other value exists, so this is an enum rather than a number.
 *
 * <p>Arithmetic is exact in sixths (0, 2, 3, 4, 6), the common denominator of the scale.
 * A "scale step" is the distance between neighbouring values on the scale, which is
 * what calibration rules such as "none further than one step away" count.
 */
public enum Mark {
    ZERO(0, "0"),
    ONE_THIRD(2, "1/3"),
    ONE_HALF(3, "1/2"),
    TWO_THIRDS(4, "2/3"),
    FULL(6, "1");

    /** The number of distinct values on the scale; quadratic weighted kappa uses it. */
    public static final int SCALE_SIZE = values().length;

    private static final Mark[] BY_SIXTHS = new Mark[7];

    static {
        for (Mark m : values()) {
            BY_SIXTHS[m.sixths] = m;
        }
    }

    private final int sixths;
    private final String text;

    Mark(int sixths, String text) {
        this.sixths = sixths;
        this.text = text;
    }

    /** The mark in sixths of a point: 0, 2, 3, 4 or 6. */
    public int sixths() {
        return sixths;
    }

    /** The position on the scale, 0 for "0" up to 4 for "1". */
    public int step() {
        return ordinal();
    }

    /** How many scale steps lie between this mark and another (0 to 4). */
    public int stepsFrom(Mark other) {
        return Math.abs(step() - other.step());
    }

    public Fraction value() {
        return Fraction.of(sixths, 6);
    }

    /** The mark at a scale position 0..4. */
    public static Mark ofStep(int step) {
        if (step < 0 || step >= SCALE_SIZE) {
            throw new IllegalArgumentException("scale step " + step + " is not between 0 and " + (SCALE_SIZE - 1));
        }
        return values()[step];
    }

    /** The mark worth this many sixths; 1 and 5 sixths are not on the scale. */
    public static Mark ofSixths(int sixths) {
        if (sixths < 0 || sixths > 6 || BY_SIXTHS[sixths] == null) {
            throw new IllegalArgumentException(sixths + "/6 is not a mark; marks are " + allowed());
        }
        return BY_SIXTHS[sixths];
    }

    /**
     * Parses the written form "0", "1/3", "1/2", "2/3" or "1" (also "2/6", "1.0" and other
     * spellings of the same five values).
     *
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    public static Mark parse(String text) {
        Fraction f;
        try {
            f = Fraction.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a mark; marks are " + allowed());
        }
        Fraction sixths = f.multiply(6);
        if (!sixths.isWhole() || sixths.signum() < 0 || sixths.compareTo(Fraction.of(6)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a mark; marks are " + allowed());
        }
        int s = sixths.numerator().intValueExact();
        if (BY_SIXTHS[s] == null) {
            throw new IllegalArgumentException("'" + text + "' is not a mark; marks are " + allowed());
        }
        return BY_SIXTHS[s];
    }

    /** The five marks as written, "0, 1/3, 1/2, 2/3, 1". */
    public static String allowed() {
        return Arrays.stream(values()).map(Mark::toString).collect(Collectors.joining(", "));
    }

    /** Sum of marks in sixths; exact. */
    public static int sumSixths(List<Mark> marks) {
        return marks.stream().mapToInt(Mark::sixths).sum();
    }

    /** Sum of marks as an exact fraction of a point. */
    public static Fraction sum(List<Mark> marks) {
        return Fraction.of(sumSixths(marks), 6);
    }

    /** The written form: "0", "1/3", "1/2", "2/3" or "1". */
    @Override
    public String toString() {
        return text;
    }
}

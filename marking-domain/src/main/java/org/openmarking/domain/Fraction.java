package org.openmarking.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact rational number, always in lowest terms with a positive denominator.
 *
 * <p>Scores are computed with these and rounded only once, at the end, because the
 * board's coefficients (100/37, 25/8) have no finite binary or decimal expansion.
 */
public final class Fraction implements Comparable<Fraction> {
    public static final Fraction ZERO = new Fraction(BigInteger.ZERO, BigInteger.ONE);
    public static final Fraction ONE = new Fraction(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger numerator;
    private final BigInteger denominator;

    private Fraction(BigInteger numerator, BigInteger denominator) {
        this.numerator = numerator;
        this.denominator = denominator;
    }

    public static Fraction of(long numerator, long denominator) {
        return of(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    public static Fraction of(long whole) {
        return of(whole, 1);
    }

    public static Fraction of(BigInteger numerator, BigInteger denominator) {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() == 0) {
            throw new ArithmeticException("denominator is zero");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (gcd.signum() != 0 && !gcd.equals(BigInteger.ONE)) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
        return new Fraction(numerator, denominator);
    }

    /**
     * Parses "7", "-3", "100/37" or a finite decimal such as "2.5".
     *
     * @throws IllegalArgumentException with the offending text when it is not a number
     */
    public static Fraction parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty number");
        }
        String t = text.strip();
        try {
            int slash = t.indexOf('/');
            if (slash >= 0) {
                return of(new BigInteger(t.substring(0, slash).strip()), new BigInteger(t.substring(slash + 1).strip()));
            }
            BigDecimal d = new BigDecimal(t);
            return d.scale() > 0
                    ? of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()))
                    : of(d.toBigIntegerExact(), BigInteger.ONE);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number or a fraction such as 25/8");
        }
    }

    public BigInteger numerator() {
        return numerator;
    }

    public BigInteger denominator() {
        return denominator;
    }

    public Fraction add(Fraction o) {
        return of(numerator.multiply(o.denominator).add(o.numerator.multiply(denominator)), denominator.multiply(o.denominator));
    }

    public Fraction subtract(Fraction o) {
        return add(o.negate());
    }

    public Fraction multiply(Fraction o) {
        return of(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
    }

    public Fraction multiply(long factor) {
        return multiply(of(factor));
    }

    public Fraction divide(Fraction o) {
        if (o.numerator.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return of(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
    }

    public Fraction negate() {
        return new Fraction(numerator.negate(), denominator);
    }

    public Fraction abs() {
        return signum() < 0 ? negate() : this;
    }

    public int signum() {
        return numerator.signum();
    }

    /** Rounds half up (away from zero on a tie) to {@code scale} decimal places. */
    public BigDecimal round(int scale, RoundingMode mode) {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), scale, mode);
    }

    public BigDecimal roundHalfUp(int scale) {
        return round(scale, RoundingMode.HALF_UP);
    }

    public double toDouble() {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), 17, RoundingMode.HALF_EVEN).doubleValue();
    }

    public boolean isWhole() {
        return denominator.equals(BigInteger.ONE);
    }

    @Override
    public int compareTo(Fraction o) {
        return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fraction f && numerator.equals(f.numerator) && denominator.equals(f.denominator);
    }

    @Override
    public int hashCode() {
        return numerator.hashCode() * 31 + denominator.hashCode();
    }

    /** "3", "-1/2", "100/37". */
    @Override
    public String toString() {
        return isWhole() ? numerator.toString() : numerator + "/" + denominator;
    }
}

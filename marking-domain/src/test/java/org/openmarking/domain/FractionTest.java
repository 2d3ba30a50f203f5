package org.openmarking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FractionTest {

    @Test
    void keepsLowestTermsWithPositiveDenominator() {
        assertEquals("1/2", Fraction.of(3, 6).toString());
        assertEquals("-1/2", Fraction.of(3, -6).toString());
        assertEquals(Fraction.of(5), Fraction.parse("10/2"));
        assertEquals(Fraction.of(5, 2), Fraction.parse("2.5"));
    }

    @Test
    void computesTheBoardsCoefficientsExactly() {
        // 100/37 x 37 = 100 exactly; 25/8 x 32 = 100 exactly
        assertEquals(Fraction.of(100), Fraction.parse("100/37").multiply(37));
        assertEquals(Fraction.of(100), Fraction.parse("25/8").multiply(32));
    }

    @Test
    void roundsHalfUpOnlyWhenAsked() {
        // 25/8 x 21 = 65.625 -> 65.6; 100/37 x 20 = 54.054... -> 54.1
        assertEquals(new BigDecimal("65.6"), Fraction.parse("25/8").multiply(21).roundHalfUp(1));
        assertEquals(new BigDecimal("54.1"), Fraction.parse("100/37").multiply(20).roundHalfUp(1));
        assertEquals(new BigDecimal("0.3"), Fraction.of(1, 4).roundHalfUp(1)); // 0.25 -> 0.3
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Fraction.parse("1/x"));
        assertThrows(IllegalArgumentException.class, () -> Fraction.parse("3/0"));
        assertThrows(ArithmeticException.class, () -> Fraction.ONE.divide(Fraction.ZERO));
    }
}

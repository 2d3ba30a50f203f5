package org.openmarking.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

class AgreementTableTest {

    /** Pairs written "rater:reference", space separated, e.g. "0:0 1/2:2/3". */
    static AgreementTable table(String pairs) {
        AgreementTable t = AgreementTable.empty();
        for (String p : pairs.strip().split(" ")) {
            String[] rr = p.split(":");
            t = t.plus(Mark.parse(rr[0]), Mark.parse(rr[1]));
        }
        return t;
    }

    /*
     * QWK worked by hand. kappa = 1 - N * sum (i-j)^2 O_ij / sum (i-j)^2 r_i c_j, i, j scale steps
     * 0..4 (0, 1/3, 1/2, 2/3, 1), r the rater's counts, c the reference counts.
     *
     * Example A: 0:0, 1/3:1/3, 1/2:2/3, 1:1 -> steps (0,0) (1,1) (2,3) (4,4), N = 4.
     *   observed: only (2,3) disagrees, 1^2 = 1.
     *   r = {0,1,2,4}, c = {0,1,3,4}, one each; sum over a in r, b in c of (a-b)^2:
     *     a=0: 0+1+9+16 = 26; a=1: 1+0+4+9 = 14; a=2: 4+1+1+4 = 10; a=4: 16+9+1+0 = 26; total 76.
     *   kappa = 1 - 4*1/76 = 1 - 1/19 = 18/19.
     *
     * Example B (one step severe throughout): 0:1/3, 1/3:1/2, 1/2:2/3, 2/3:1 -> (0,1) (1,2) (2,3) (3,4).
     *   observed: 4 x 1 = 4. r = {0,1,2,3}, c = {1,2,3,4}:
     *     a=0: 1+4+9+16 = 30; a=1: 0+1+4+9 = 14; a=2: 1+0+1+4 = 6; a=3: 4+1+0+1 = 6; total 56.
     *   kappa = 1 - 4*4/56 = 1 - 2/7 = 5/7.
     *
     * Example C, with repeats: 0:0, 0:1/3, 1/2:1/2, 1/2:1/2, 2/3:1, 1:1 -> (0,0) (0,1) (2,2) (2,2) (3,4) (4,4), N = 6.
     *   observed: (0,1) and (3,4), 1 + 1 = 2.
     *   r: step0 x2, step2 x2, step3 x1, step4 x1; c: step0 x1, step1 x1, step2 x2, step4 x2.
     *     a=0 (x2): 0*1 + 1*1 + 4*2 + 16*2 = 41 -> 82
     *     a=2 (x2): 4*1 + 1*1 + 0*2 +  4*2 = 13 -> 26
     *     a=3 (x1): 9*1 + 4*1 + 1*2 +  1*2 = 17
     *     a=4 (x1): 16*1 + 9*1 + 4*2 + 0*2 = 33        total 158.
     *   kappa = 1 - 6*2/158 = 1 - 6/79 = 73/79.
     *
     * Example D (rater stuck on 1/2): 1/2:0, 1/2:1/2, 1/2:1 -> (2,0) (2,2) (2,4). observed 4+0+4 = 8;
     *   r = step2 x3; c = one each of 0, 2, 4: 3*(4+0+4) = 24; kappa = 1 - 3*8/24 = 0 (chance level).
     *
     * Example E (opposite ends): 0:1, 1:0 -> (0,4) (4,0). observed 16+16 = 32; r c terms: (0-4)^2 + (4-0)^2 = 32;
     *   kappa = 1 - 2*32/32 = -1.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "0:0 1/3:1/3 1/2:2/3 1:1; 18/19",
        "0:1/3 1/3:1/2 1/2:2/3 2/3:1; 5/7",
        "0:0 0:1/3 1/2:1/2 1/2:1/2 2/3:1 1:1; 73/79",
        "1/2:0 1/2:1/2 1/2:1; 0",
        "0:1 1:0; -1",
        // perfect agreement with variation: observed 0, so kappa = 1
        "0:0 1:1 1/2:1/2; 1",
    })
    void quadraticWeightedKappaMatchesHandWorkedValues(String pairs, String kappa) {
        assertEquals(Optional.of(Fraction.parse(kappa)), table(pairs).quadraticWeightedKappa());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"1/2:1/2 1/2:1/2 1/2:1/2", "0:0", "1:1 1:1"})
    void kappaIsUndefinedWhenBothSidesUseOneAndTheSameMark(String pairs) {
        AgreementTable t = table(pairs);
        assertTrue(t.quadraticWeightedKappa().isEmpty());
        assertEquals(Fraction.ONE, t.exactRate());
    }

    @Test
    void emptyTableHasNoKappaAndZeroFigures() {
        AgreementTable t = AgreementTable.empty();
        assertEquals(0, t.total());
        assertTrue(t.quadraticWeightedKappa().isEmpty());
        assertEquals(Fraction.ZERO, t.exactRate());
        assertEquals(Fraction.ZERO, t.meanSignedDeviation());
    }

    /*
     * Example A: exact 3 of 4; all within one step; deviation only on 1/2 vs 2/3 = -1/6 point, over 4 pairs
     *   mean signed = -1/24, mean absolute = 1/24.
     * Example B: no exact; all exactly one step off; deviations in sixths (0-2)+(2-3)+(3-4)+(4-6) = -6,
     *   i.e. -1 point over 4 pairs: mean signed -1/4 (severe), mean absolute 1/4.
     * Lenient marker: 1:2/3 1/3:0 1/2:1/2 -> +2, +2, 0 sixths = +4/6 over 3 = +2/9; within 1 step: all 3;
     *   exact 1/3.
     * Two steps: 0:1/2 1:1 -> 0 vs 1/2 is 2 steps, -3 sixths; exact 1/2; within 1 step 1/2; within 2 steps 1;
     *   mean signed -3/6 / 2 = -1/4; mean absolute 1/4.
     */
    @ParameterizedTest(name = "{0}, tolerance {1}")
    @CsvSource(delimiter = ';', value = {
        "0:0 1/3:1/3 1/2:2/3 1:1; 0; 4; 3/4; 3/4; -1/24; 1/24",
        "0:0 1/3:1/3 1/2:2/3 1:1; 1; 4; 3/4; 1; -1/24; 1/24",
        "0:1/3 1/3:1/2 1/2:2/3 2/3:1; 0; 4; 0; 0; -1/4; 1/4",
        "0:1/3 1/3:1/2 1/2:2/3 2/3:1; 1; 4; 0; 1; -1/4; 1/4",
        "1:2/3 1/3:0 1/2:1/2; 1; 3; 1/3; 1; 2/9; 2/9",
        "0:1/2 1:1; 1; 2; 1/2; 1/2; -1/4; 1/4",
        "0:1/2 1:1; 2; 2; 1/2; 1; -1/4; 1/4",
    })
    void summarisesAgreementAtEachTolerance(String pairs, int tolerance, long count, String exact, String within,
                                            String signed, String absolute) {
        AgreementSummary s = AgreementSummary.of(table(pairs), tolerance);
        assertEquals(count, s.count());
        assertEquals(Fraction.parse(exact), s.exactRate());
        assertEquals(Fraction.parse(within), s.withinToleranceRate());
        assertEquals(Fraction.parse(signed), s.meanSignedDeviation());
        assertEquals(Fraction.parse(absolute), s.meanAbsoluteDeviation());
        assertEquals(tolerance, s.toleranceSteps());
    }

    @Test
    void tablesAddCellByCellAndAreImmutable() {
        AgreementTable a = table("0:0 1/3:1/3");
        AgreementTable b = table("1/2:2/3 1:1");
        assertEquals(table("0:0 1/3:1/3 1/2:2/3 1:1"), a.plus(b));
        assertEquals(2, a.total());
        assertEquals(1, a.plus(b).count(Mark.ONE_HALF, Mark.TWO_THIRDS));
        assertEquals(0, a.plus(b).count(Mark.TWO_THIRDS, Mark.ONE_HALF));
    }

    @Test
    void rejectsBadTolerance() {
        AgreementTable t = table("0:0");
        assertThrows(IllegalArgumentException.class, () -> AgreementSummary.of(t, 5));
        assertThrows(IllegalArgumentException.class, () -> AgreementSummary.of(t, -1));
    }
}

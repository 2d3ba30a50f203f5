package org.openmarking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkTest {

    @ParameterizedTest
    @CsvSource({"0,0", "1/3,2", "1/2,3", "2/3,4", "1,6", "2/6,2", "3/6,3", "1.0,6", "0.5,3", " 2/3 ,4"})
    void parsesEveryWrittenFormOfTheFiveValues(String text, int sixths) {
        assertEquals(sixths, Mark.parse(text).sixths());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1/6", "5/6", "0.3", "0.33", "2", "-1/3", "7/6", "abc", "", "1/0", "1/4", "3/4"})
    void rejectsAnythingOffTheScaleAndSaysWhatIsAllowed(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mark.parse(text));
        assertTrue(e.getMessage().contains("0, 1/3, 1/2, 2/3, 1"), e.getMessage());
    }

    @Test
    void printsTheBoardsNotationAndRoundTrips() {
        for (Mark m : Mark.values()) {
            assertEquals(m, Mark.parse(m.toString()));
        }
        assertEquals("1/3", Mark.ONE_THIRD.toString());
        assertEquals("1", Mark.FULL.toString());
    }

    @Test
    void sumsExactlyInSixths() {
        // 1 + 2/3 + 1/2 + 1/3 + 0 + 0 + 1 = 3.5 exactly
        List<Mark> marks = List.of(Mark.FULL, Mark.TWO_THIRDS, Mark.ONE_HALF, Mark.ONE_THIRD, Mark.ZERO, Mark.ZERO, Mark.FULL);
        assertEquals(21, Mark.sumSixths(marks));
        assertEquals(Fraction.of(7, 2), Mark.sum(marks));
        // three thirds make exactly one point, which binary floating point does not promise
        assertEquals(Fraction.ONE, Mark.sum(List.of(Mark.ONE_THIRD, Mark.ONE_THIRD, Mark.ONE_THIRD)));
    }

    @Test
    void countsScaleSteps() {
        assertEquals(1, Mark.ONE_THIRD.stepsFrom(Mark.ONE_HALF));
        assertEquals(4, Mark.ZERO.stepsFrom(Mark.FULL));
        assertEquals(Mark.TWO_THIRDS, Mark.ofStep(3));
        assertThrows(IllegalArgumentException.class, () -> Mark.ofSixths(5));
        assertThrows(IllegalArgumentException.class, () -> Mark.ofStep(5));
    }
}

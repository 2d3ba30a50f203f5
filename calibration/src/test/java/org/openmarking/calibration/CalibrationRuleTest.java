package org.openmarking.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.calibration.CalibrationFixtures.DEFINITIVE;
import static org.openmarking.calibration.CalibrationFixtures.marks;
import static org.openmarking.calibration.CalibrationFixtures.set;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.domain.Mark;

class CalibrationRuleTest {
    static final CalibrationSet S1 = set("S1", 1, DEFINITIVE);

    @ParameterizedTest(name = "[{index}] rule {0}/{1}/{2}: {3} -> exact {4}, max off {5}, passed {6}")
    @CsvSource(delimiter = ';', value = {
        // all ten right: exact 10, max 0
        "10;8;1; 0 1/3 1/2 2/3 1 1 2/3 1/2 1/3 0; 10;0;true",
        // r1 0->1/3 (1 step), r5 1->2/3 (1 step): exact 8, max 1; passes 8-of-10 within 1
        "10;8;1; 1/3 1/3 1/2 2/3 2/3 1 2/3 1/2 1/3 0; 8;1;true",
        // same attempt fails when no stray is allowed at all
        "10;8;0; 1/3 1/3 1/2 2/3 2/3 1 2/3 1/2 1/3 0; 8;1;false",
        // same attempt fails a 9-of-10 rule
        "10;9;1; 1/3 1/3 1/2 2/3 2/3 1 2/3 1/2 1/3 0; 8;1;false",
        // three items one step off (r1, r2 1/3->1/2, r3 1/2->2/3): exact 7 < 8
        "10;8;1; 1/3 1/2 2/3 2/3 1 1 2/3 1/2 1/3 0; 7;1;false",
        // 9 exact but r5 given 1/2 for a full answer: 1 -> 2/3 -> 1/2 is 2 steps
        "10;8;1; 0 1/3 1/2 2/3 1/2 1 2/3 1/2 1/3 0; 9;2;false",
        // the same attempt passes a lax rule allowing 2 steps
        "10;8;2; 0 1/3 1/2 2/3 1/2 1 2/3 1/2 1/3 0; 9;2;true",
        // all wrong by 4 steps on r1 only (0 -> 1) and everything else right: exact 9, max 4
        "10;0;4; 1 1/3 1/2 2/3 1 1 2/3 1/2 1/3 0; 9;4;true",
    })
    void evaluatesAttemptsAgainstEachRuleSetting(int itemsPerSet, int minExact, int maxStepsOff, String given,
                                                 int exact, int maxOff, boolean passed) {
        AttemptResult r = CalibrationRule.of(itemsPerSet, minExact, maxStepsOff).evaluate(S1, marks(S1, given));
        assertEquals(exact, r.exactCount());
        assertEquals(maxOff, r.maxStepsOff());
        assertEquals(passed, r.passed());
        assertEquals("S1", r.setId());
    }

    @Test
    void feedbackShowsMarkerMarkDefinitiveAndRationaleInItemOrder() {
        AttemptResult r = CalibrationRule.standard().evaluate(S1, marks(S1, "1/3 1/3 1/2 2/3 2/3 1 2/3 1/2 1/3 0"));
        assertEquals(10, r.feedback().size());
        ItemFeedback first = r.feedback().get(0);
        assertEquals("S1-r1", first.responseId());
        assertEquals(Mark.ONE_THIRD, first.markerMark());
        assertEquals(Mark.ZERO, first.definitive());
        assertEquals("criterion 1", first.rationale());
        assertEquals(1, first.stepsOff());
        assertEquals("S1-r10", r.feedback().get(9).responseId());
        assertTrue(r.feedback().get(9).exact());
    }

    @Test
    void refusesAnIncompleteAttemptOrMarksForOtherResponses() {
        CalibrationSet s = S1;
        Map<String, Mark> missing = marks(s, "0 1/3 1/2 2/3 1 1 2/3 1/2 1/3");
        assertThrows(IllegalArgumentException.class, () -> CalibrationRule.standard().evaluate(s, missing));
        Map<String, Mark> extra = marks(s, DEFINITIVE + " 1");
        assertThrows(IllegalArgumentException.class, () -> CalibrationRule.standard().evaluate(s, extra));
    }

    @Test
    void refusesASetOfTheWrongSize() {
        CalibrationSet nine = set("S9", 1, "0 1/3 1/2 2/3 1 1 2/3 1/2 1/3");
        assertThrows(IllegalArgumentException.class, () -> CalibrationRule.standard().check(nine));
    }

    @ParameterizedTest
    @CsvSource({"0,0,1", "10,11,1", "10,-1,1", "10,8,-1", "10,8,5"})
    void rejectsImpossibleSettings(int itemsPerSet, int minExact, int maxStepsOff) {
        assertThrows(IllegalArgumentException.class, () -> CalibrationRule.of(itemsPerSet, minExact, maxStepsOff));
    }

    @Test
    void aSetRejectsDuplicateResponsesAndEmptiness() {
        CalibrationItem a = CalibrationItem.of("r1", Mark.ZERO, "x");
        assertThrows(IllegalArgumentException.class, () -> CalibrationSet.of("S", "T1", 1, List.of(a, a)));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSet.of("S", "T1", 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSet.of("S", "T1", 0, List.of(a)));
    }
}

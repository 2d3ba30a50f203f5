package org.openmarking.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openmarking.calibration.CalibrationFixtures.set;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmarking.domain.Mark;

class CalibrationSetTest {

    @Test
    void sharedWithNamesTheResponsesTwoSetsHoldInCommonInThisSetsOrder() {
        CalibrationSet a = set("A", 1, "0 1/3 1/2");
        CalibrationSet b = set("B", 2, "1 1 1");
        assertEquals(List.of(), a.sharedWith(b));
        CalibrationSet c = CalibrationSet.of("C", "T1", 3, List.of(CalibrationItem.of("B-r1", Mark.FULL, "x"),
                CalibrationItem.of("A-r3", Mark.ONE_HALF, "y"), CalibrationItem.of("A-r1", Mark.ZERO, "z")));
        assertEquals(List.of("A-r1", "A-r3"), a.sharedWith(c));
        assertEquals(List.of("A-r3", "A-r1"), c.sharedWith(a));
        assertEquals(List.of("B-r1"), c.sharedWith(b));
    }
}

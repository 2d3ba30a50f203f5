package org.openmarking.calibration.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.calibration.CalibrationFixtures.DEFINITIVE;
import static org.openmarking.calibration.CalibrationFixtures.marks;
import static org.openmarking.calibration.CalibrationFixtures.set;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.calibration.AttemptResult;
import org.openmarking.calibration.CalibrationRule;
import org.openmarking.calibration.CalibrationSet;

class CalibrationGateTest {
    static final Instant T0 = Instant.parse("2026-04-20T08:00:00Z");
    static final CalibrationSet A = set("A", 1, DEFINITIVE);
    static final CalibrationSet B = set("B", 2, DEFINITIVE);
    static final CalibrationSet C = set("C", 3, DEFINITIVE);
    /** Eight exact, two one step off (r1 0->1/3, r5 1->2/3): passes the standard rule. */
    static final String PASS = "1/3 1/3 1/2 2/3 2/3 1 2/3 1/2 1/3 0";
    /** Seven exact: fails the standard rule. */
    static final String FAIL = "1/3 1/2 2/3 2/3 1 1 2/3 1/2 1/3 0";

    final TickingClock clock = new TickingClock(T0);
    final CalibrationGate gate = new CalibrationGate(CalibrationRule.standard(), List.of(C, A, B), clock);

    MarkerCalibration attempt(MarkerCalibration m, String given) {
        CalibrationSet next = gate.nextSet(m).orElseThrow();
        return gate.submit(m, next.id(), marks(next, given));
    }

    @ParameterizedTest(name = "{0} -> {1}, sets {2}")
    @CsvSource({
        "PASS,        PASSED,      A",
        "FAIL,        FAILED_ONCE, A",
        "FAIL PASS,   PASSED,      A B",
        "FAIL FAIL,   HELD,        A B",
    })
    void walksThePassFailStateMachineOnDistinctSets(String outcomes, GateState expected, String setsTried) {
        MarkerCalibration m = gate.start("m1");
        for (String o : outcomes.split(" ")) {
            m = attempt(m, o.equals("PASS") ? PASS : FAIL);
        }
        assertEquals(expected, m.state());
        assertEquals(List.of(setsTried.split(" ")), m.attempts().stream().map(AttemptResult::setId).toList());
        assertEquals(expected == GateState.PASSED, m.mayLiveMark());
    }

    @Test
    void aFailedMarkerIsNeverOfferedTheSetTheyFailed() {
        MarkerCalibration m = attempt(gate.start("m1"), FAIL);
        assertEquals("B", gate.nextSet(m).orElseThrow().id());
        assertThrows(IllegalStateException.class, () -> gate.submit(m, "A", marks(A, PASS)));
    }

    @Test
    void heldMarkerIsApprovedByTheChiefExaminerAndMayLiveMark() {
        MarkerCalibration held = attempt(attempt(gate.start("m1"), FAIL), FAIL);
        assertTrue(gate.nextSet(held).isEmpty());
        assertThrows(IllegalStateException.class, () -> gate.submit(held, "C", marks(C, PASS)));
        MarkerCalibration approved = gate.approve(held, "chief-1", "misread r2 only; discussed by phone");
        assertEquals(GateState.APPROVED, approved.state());
        assertTrue(approved.mayLiveMark());
        GateEvent.ChiefDecision last = (GateEvent.ChiefDecision) approved.history().get(2);
        assertEquals("chief-1", last.chiefExaminerId());
        // the clock ticks once a minute per event: attempts at 08:00 and 08:01, approval at 08:02
        assertEquals(Instant.parse("2026-04-20T08:02:00Z"), last.at());
    }

    @Test
    void heldMarkerSentBackGetsAFreshSetBeforeAnyReusedOne() {
        MarkerCalibration held = attempt(attempt(gate.start("m1"), FAIL), FAIL);
        MarkerCalibration back = gate.sendBack(held, "chief-1", "recalibrate");
        assertEquals(GateState.NOT_STARTED, back.state());
        assertEquals(Set.of(), back.setsTriedThisRound());
        // A and B were tried; C never was
        assertEquals("C", gate.nextSet(back).orElseThrow().id());
        MarkerCalibration failedC = attempt(back, FAIL);
        // all sets tried once: the one tried longest ago (A) comes back, never C again
        assertEquals("A", gate.nextSet(failedC).orElseThrow().id());
        MarkerCalibration passedA = attempt(failedC, PASS);
        assertEquals(GateState.PASSED, passedA.state());
        assertEquals(List.of("A", "B", "C", "A"), passedA.attempts().stream().map(AttemptResult::setId).toList());
        assertEquals(5, passedA.history().size());
    }

    @Test
    void passedOrApprovedMarkerCanBeSentBackButNotOneAlreadyCalibrating() {
        MarkerCalibration passed = attempt(gate.start("m1"), PASS);
        assertEquals(GateState.NOT_STARTED, gate.sendBack(passed, "chief-1", "seed accuracy").state());
        MarkerCalibration failedOnce = attempt(gate.start("m2"), FAIL);
        assertThrows(IllegalStateException.class, () -> gate.sendBack(failedOnce, "chief-1", "x"));
        assertThrows(IllegalStateException.class, () -> gate.approve(passed, "chief-1", "x"));
    }

    @ParameterizedTest
    @CsvSource({"true, NOT_STARTED, false", "false, PASSED, true"})
    void revisedCriteriaResetQualificationOnlyWhenFlagged(boolean requires, GateState expected, boolean mayMark) {
        MarkerCalibration passed = attempt(gate.start("m1"), PASS);
        MarkerCalibration after = gate.criteriaRevised(passed, "v2", requires);
        assertEquals(expected, after.state());
        assertEquals(mayMark, after.mayLiveMark());
        assertEquals(requires ? 2 : 1, after.history().size());
    }

    @Test
    void historyIsImmutableAndStateMustFollowFromIt() {
        MarkerCalibration m = attempt(gate.start("m1"), PASS);
        assertThrows(UnsupportedOperationException.class, () -> m.history().clear());
        assertThrows(IllegalArgumentException.class,
                () -> new MarkerCalibration("m1", "T1", GateState.HELD, m.history()));
        assertFalse(gate.start("m1").mayLiveMark());
    }

    @Test
    void refusesUnknownSetsAndStandingsOfAnotherTask() {
        MarkerCalibration m = gate.start("m1");
        assertThrows(IllegalArgumentException.class, () -> gate.submit(m, "Z", marks(A, PASS)));
        MarkerCalibration otherTask = MarkerCalibration.notStarted("m1", "T2");
        assertThrows(IllegalArgumentException.class, () -> gate.nextSet(otherTask));
    }

    @Test
    void refusesMisconfiguredSets() {
        CalibrationRule rule = CalibrationRule.standard();
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGate(rule, List.of(A), clock));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGate(rule, List.of(A, set("A", 2, DEFINITIVE)), clock));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGate(rule, List.of(A, set("B", 1, DEFINITIVE)), clock));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationGate(rule, List.of(A, set("B", 2, "0 1")), clock));
    }
}

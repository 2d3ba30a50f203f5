package org.openmarking.seeding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.domain.Mark;

class SeedPolicyTest {
    static final Instant T0 = Instant.parse("2026-04-20T08:00:00Z");

    /** Seeds written "given:definitive", space separated; seed i is marked at T0 + i minutes. */
    static List<SeedResult> seeds(String spec) {
        List<SeedResult> out = new ArrayList<>();
        String[] parts = spec.strip().split(" +");
        for (int i = 0; i < parts.length; i++) {
            String[] gd = parts[i].split(":");
            out.add(new SeedResult("seed-" + (i + 1), Mark.parse(gd[0]), Mark.parse(gd[1]), T0.plusSeconds(60L * i)));
        }
        return out;
    }

    /*
     * A marker sliding towards severity, every seed within one step (so never out of tolerance 1).
     * Deviation d = given - definitive in sixths:
     *   seed:  1     2      3     4     5     6     7     8      9      10
     *   marks  1/2:  1/3:   0:    2/3:  1/2:  0:    2/3:  0:     1/3:   2/3:
     *          1/2   1/2    1/3   1     1/2   1/3   1     1/3    1/2    1
     *   d      0     -1     -2    -2    0     -2    -2    -2     -1     -2
     * S- = max(0, S- - d - k).
     *   k=1: 0, 0, 1, 2, 1, 2, 3, 4, 4, 5   > h=4 first at seed 10, > h=3 first at seed 8; the
     *        run began at seed 3 (S- was 0 after seed 2), so the last good seed is seed 2.
     *   k=0: 0, 1, 3, 5 ...                 > h=4 first at seed 4; the run began at seed 2, last good seed 1.
     *   k=2: d never below -2, S- stays 0   no suspension at any h.
     *   k=1, h=5: peaks at 5, never exceeds: OK (all seeds within tolerance).
     */
    static final String DRIFT = "1/2:1/2 1/3:1/2 0:1/3 2/3:1 1/2:1/2 0:1/3 2/3:1 0:1/3 1/3:1/2 2/3:1";

    @ParameterizedTest(name = "slack {0}, threshold {1} -> fires at seed {2}, last good {3}")
    @CsvSource({
        "1, 4, 10, 2",
        "1, 3, 8,  2",
        "0, 4, 4,  1",
        "2, 1, 0,  0",
        "1, 5, 0,  0",
    })
    void severityCusumFiresWhereWorkedOutByHand(int slack, int threshold, int firesAt, int lastGood) {
        Verdict v = new SeedPolicy(1, 5, 2, slack, threshold).evaluate(seeds(DRIFT));
        if (firesAt == 0) {
            assertEquals(Verdict.Level.OK, v.level());
            return;
        }
        assertEquals(Verdict.Level.SUSPEND, v.level());
        assertEquals(OptionalInt.of(firesAt - 1), v.decidedAtIndex());
        assertEquals(OptionalInt.of(lastGood - 1), v.lastGoodSeedIndex());
        assertEquals(Optional.of(T0.plusSeconds(60L * (lastGood - 1))), v.lastGoodSeedAt());
        assertTrue(v.reason().contains("severity"), v.reason());
    }

    /*
     * The same drift mirrored (every mark one step high): the leniency CUSUM S+ = max(0, S+ + d - k)
     * takes the same values, 0, 0, 1, 2, 1, 2, 3, 4, 4, 5 for k = 1, and fires at seed 10 for h = 4.
     */
    @Test
    void leniencyCusumMirrorsSeverity() {
        String lenient = "1/2:1/2 1/2:1/3 1/3:0 1:2/3 1/2:1/2 1/3:0 1:2/3 1/3:0 1/2:1/3 1:2/3";
        Verdict v = new SeedPolicy(1, 5, 2, 1, 4).evaluate(seeds(lenient));
        assertEquals(Verdict.Level.SUSPEND, v.level());
        assertEquals(OptionalInt.of(9), v.decidedAtIndex());
        assertEquals(OptionalInt.of(1), v.lastGoodSeedIndex());
        assertEquals(5, v.lenientCusum());
        assertEquals(0, v.severeCusum());
        assertTrue(v.reason().contains("leniency"), v.reason());
    }

    /*
     * Careless errors, CUSUM switched off in effect (threshold 100):
     *   seed:  1   2   3        4   5   6   7   8       9   10
     *          ok  ok  0:2/3    ok  ok  ok  ok  1:1/3   ok  1/3:1
     *                  2 steps                  3 steps     3 steps
     * tol 1, 2 of 5: windows ending at 3..7 hold one bad seed (WARN territory); at 8 the window
     *   4..8 holds one (seed 3 has left); at 10 the window 6..10 holds seeds 8 and 10: SUSPEND at 10,
     *   first bad seed in the window 8, last good 7.
     * tol 1, 2 of 10: at seed 8 the window 1..8 holds seeds 3 and 8: SUSPEND at 8, first bad 3, last good 2.
     * tol 1, 3 of 5: never 3 in 5; at the end 2 in the window: WARN.
     * tol 2, 2 of 5: seed 3 (2 steps) is within tolerance; 8 and 10 are not: SUSPEND at 10, last good 7.
     * tol 3: nothing out of tolerance: OK.
     */
    static final String CARELESS = "1/2:1/2 1:1 0:2/3 1/3:1/3 0:0 1:1 2/3:2/3 1:1/3 1/2:1/2 1/3:1";

    @ParameterizedTest(name = "tol {0}, {2} of {1} -> {3} at {4}, last good {5}")
    @CsvSource({
        "1, 5, 2,  SUSPEND, 10, 7",
        "1, 10, 2, SUSPEND, 8,  2",
        "1, 5, 3,  WARN,    0,  9",
        "2, 5, 2,  SUSPEND, 10, 7",
        "3, 5, 2,  OK,      0,  10",
    })
    void outOfToleranceCountFiresWhereWorkedOutByHand(int tolerance, int window, int suspendAfter, Verdict.Level level,
                                                      int firesAt, int lastGood) {
        Verdict v = new SeedPolicy(tolerance, window, suspendAfter, 1, 100).evaluate(seeds(CARELESS));
        assertEquals(level, v.level());
        assertEquals(firesAt == 0 ? OptionalInt.empty() : OptionalInt.of(firesAt - 1), v.decidedAtIndex());
        assertEquals(OptionalInt.of(lastGood - 1), v.lastGoodSeedIndex());
    }

    @Test
    void warnsAfterOneOutOfToleranceSeedAndSaysWhich() {
        Verdict v = SeedPolicy.standard().evaluate(seeds("1/2:1/2 0:2/3 1:1"));
        assertEquals(Verdict.Level.WARN, v.level());
        assertTrue(v.reason().contains("seed-2 given 0, definitive 2/3"), v.reason());
    }

    @Test
    void oneOldErrorLeavesTheWindowAndTheWarningLapses() {
        // seed 1 is 2 steps off; five good seeds later it has left the window of 5
        Verdict v = SeedPolicy.standard().evaluate(seeds("0:2/3 1:1 1:1 1:1 1:1 1:1"));
        assertEquals(Verdict.Level.OK, v.level());
        assertEquals("", v.reason());
        assertEquals(OptionalInt.of(5), v.lastGoodSeedIndex());
    }

    /*
     * Severe from the first seed: d = -2 each time, k = 1: S- = 1, 2, 3 > h = 2 at seed 3. The run began
     * at seed 1, so there is no good seed: every live mark since the start is withdrawn.
     */
    @Test
    void noLastGoodSeedWhenTroubleStartedAtOnce() {
        Verdict v = new SeedPolicy(1, 5, 2, 1, 2).evaluate(seeds("0:1/3 2/3:1 0:1/3 1:1"));
        assertEquals(Verdict.Level.SUSPEND, v.level());
        assertEquals(OptionalInt.of(2), v.decidedAtIndex());
        assertEquals(OptionalInt.empty(), v.lastGoodSeedIndex());
        assertEquals(Optional.empty(), v.lastGoodSeedAt());
    }

    /*
     * Both detectors: seeds 1/2:1/2, 0:2/3 (d = -4, out), 0:2/3 (d = -4, out). With k = 1, h = 5:
     * S- = 0, 3, 6 > 5 at seed 3, run from seed 2; 2 of 5 out at seed 3, first bad seed 2. Both
     * reasons are given and the last good seed is 1.
     */
    @Test
    void bothDetectorsAtOnceGiveBothReasons() {
        Verdict v = new SeedPolicy(1, 5, 2, 1, 5).evaluate(seeds("1/2:1/2 0:2/3 0:2/3"));
        assertEquals(Verdict.Level.SUSPEND, v.level());
        assertEquals(OptionalInt.of(2), v.decidedAtIndex());
        assertEquals(OptionalInt.of(0), v.lastGoodSeedIndex());
        assertTrue(v.reason().contains("2 of the last 3") && v.reason().contains("severity"), v.reason());
        assertEquals(6, v.severeCusum());
    }

    @Test
    void emptyHistoryIsOk() {
        Verdict v = SeedPolicy.standard().evaluate(List.of());
        assertEquals(Verdict.Level.OK, v.level());
        assertEquals(OptionalInt.empty(), v.lastGoodSeedIndex());
    }

    @ParameterizedTest
    @CsvSource({"-1,5,2,1,8", "4,5,2,1,8", "1,0,1,1,8", "1,5,0,1,8", "1,5,6,1,8", "1,5,2,-1,8", "1,5,2,1,0"})
    void rejectsImpossibleSettings(int tolerance, int window, int suspendAfter, int slack, int threshold) {
        assertThrows(IllegalArgumentException.class, () -> new SeedPolicy(tolerance, window, suspendAfter, slack, threshold));
    }
}

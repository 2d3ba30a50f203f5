package org.openmarking.seeding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openmarking.domain.Mark;

/** Every valid policy in a grid of settings, against two histories whose outcome is known in closed form. */
class SeedPolicySpaceTest {
    static final Instant T0 = Instant.parse("2026-04-20T08:00:00Z");

    static Stream<SeedPolicy> policies() {
        List<SeedPolicy> out = new ArrayList<>();
        for (int tol = 0; tol <= 3; tol++) {
            for (int window = 1; window <= 6; window++) {
                for (int k = 1; k <= window; k++) {
                    for (int slack = 0; slack <= 3; slack++) {
                        for (int h : new int[] {1, 4, 8, 20}) {
                            out.add(new SeedPolicy(tol, window, k, slack, h));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    static List<SeedResult> repeat(Mark given, Mark definitive, int n) {
        List<SeedResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SeedResult("s" + i, given, definitive, T0.plusSeconds(60L * i)));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("policies")
    void aMarkerWhoAgreesWithEverySeedIsNeverWarned(SeedPolicy policy) {
        List<SeedResult> history = new ArrayList<>(repeat(Mark.ONE_HALF, Mark.ONE_HALF, 10));
        history.addAll(repeat(Mark.ZERO, Mark.ZERO, 10));
        history.addAll(repeat(Mark.FULL, Mark.FULL, 10));
        Verdict v = policy.evaluate(history);
        assertEquals(Verdict.Level.OK, v.level());
        assertEquals(OptionalInt.of(29), v.lastGoodSeedIndex());
    }

    /*
     * Every seed given 0 when the definitive mark is 1: d = -6 sixths, 4 steps, out of any tolerance.
     * The count fires at seed index suspendAfter - 1. The severity CUSUM after seed index i is
     * (i + 1)(6 - slack), so it fires at the first i with (i + 1)(6 - slack) > h, that is
     * i = floor(h / (6 - slack)). Suspension comes at the earlier of the two, with no good seed.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void aMarkerWhoGivesZeroForFullAnswersIsSuspendedWhereTheFormulaSays(SeedPolicy policy) {
        Verdict v = policy.evaluate(repeat(Mark.ZERO, Mark.FULL, 30));
        int byCount = policy.suspendAfter() - 1;
        int byCusum = policy.cusumThreshold() / (6 - policy.cusumSlack());
        assertEquals(Verdict.Level.SUSPEND, v.level());
        assertEquals(OptionalInt.of(Math.min(byCount, byCusum)), v.decidedAtIndex());
        assertEquals(OptionalInt.empty(), v.lastGoodSeedIndex());
    }
}

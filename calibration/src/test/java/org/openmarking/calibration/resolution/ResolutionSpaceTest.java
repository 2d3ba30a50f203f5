package org.openmarking.calibration.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openmarking.domain.Mark;

/** Rules that must hold for every double-marking policy in the grid and every pair of marks. */
class ResolutionSpaceTest {

    static Stream<ResolutionPolicy> policies() {
        List<ResolutionPolicy> out = new ArrayList<>();
        for (int tol = 0; tol <= 3; tol++) {
            out.add(ResolutionPolicy.doubleMarking().withTolerance(tol));
        }
        return out.stream();
    }

    /**
     * For marks a and b: final exactly when they are within tolerance, and then the final mark lies
     * between them; equal marks are always final as themselves; a senior who agrees with either
     * one exactly always settles it, as their own mark.
     */
    @ParameterizedTest
    @MethodSource("policies")
    void everyPairOfMarksResolvesByTheRules(ResolutionPolicy policy) {
        for (Mark a : Mark.values()) {
            for (Mark b : Mark.values()) {
                Resolution r = policy.resolve("R", List.of(GivenMark.independent("m1", a), GivenMark.independent("m2", b)));
                boolean agree = a.stepsFrom(b) <= policy.toleranceSteps();
                assertEquals(agree ? Resolution.Status.FINAL : Resolution.Status.NEEDS_SENIOR, r.status(), a + " vs " + b);
                if (agree) {
                    int f = ((Resolution.Final) r).mark().step();
                    assertTrue(f >= Math.min(a.step(), b.step()) && f <= Math.max(a.step(), b.step()), a + " vs " + b + " -> " + r);
                }
                if (a == b) {
                    assertEquals(new Resolution.Final(a), r);
                }
                if (!agree) {
                    Resolution withSenior = policy.resolve("R", List.of(GivenMark.independent("m1", a),
                            GivenMark.independent("m2", b), GivenMark.senior("s", b)));
                    assertEquals(new Resolution.Final(b), withSenior, a + " vs " + b + ", senior " + b);
                }
            }
        }
    }
}

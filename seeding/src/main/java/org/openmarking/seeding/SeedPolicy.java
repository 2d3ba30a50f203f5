package org.openmarking.seeding;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.openmarking.domain.Mark;

/**
 * A seed policy: when a marker's marks on seeds earn a warning or a suspension.
 *
 * <p>Two detectors run side by side, because they catch different failures:
 * <ul>
 *   <li><b>Out of tolerance, k of the last n.</b> A seed marked more than {@code toleranceSteps}
 *       scale steps from its definitive mark is out of tolerance. One in the last n gives a
 *       warning; {@code suspendAfter} of the last {@code window} suspend. This catches careless
 *       marking: large, random errors.</li>
 *   <li><b>Two-sided CUSUM of the signed deviation</b> (given - definitive, in sixths, so it stays
 *       an exact integer). S+ = max(0, S+ + d - k) accumulates leniency, S- = max(0, S- - d - k)
 *       severity; either exceeding h (strictly) suspends. This catches drift: a marker who slides
 *       one step severe stays within a one-step tolerance on every seed, so the first detector
 *       never fires, but the CUSUM adds the small deviations up. The slack k is the deviation per
 *       seed that is tolerated as noise; h trades detection delay against false alarms (see the
 *       simulator in the tests).</li>
 * </ul>
 *
 * <p>Suspension is sticky within a history: once a detector fires, later good seeds do not undo
 * it. Reinstatement is a chief examiner's decision, after which the server starts a new history.
 *
 * @param toleranceSteps  seeds further than this many scale steps off are out of tolerance (0..3)
 * @param window          how many recent seeds the out-of-tolerance count looks at; at least 1
 * @param suspendAfter    out-of-tolerance seeds within the window that suspend; 1 to window
 * @param cusumSlack      k, in sixths of a point per seed; 0 or more
 * @param cusumThreshold  h, in sixths of a point; at least 1
 */
public record SeedPolicy(int toleranceSteps, int window, int suspendAfter, int cusumSlack, int cusumThreshold) {
    public SeedPolicy {
        if (toleranceSteps < 0 || toleranceSteps > Mark.SCALE_SIZE - 2) {
            throw new IllegalArgumentException("tolerance " + toleranceSteps + " is not between 0 and " + (Mark.SCALE_SIZE - 2) + " steps");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window " + window + " must hold at least one seed");
        }
        if (suspendAfter < 1 || suspendAfter > window) {
            throw new IllegalArgumentException("suspend after " + suspendAfter + " is not between 1 and the window " + window);
        }
        if (cusumSlack < 0) {
            throw new IllegalArgumentException("CUSUM slack " + cusumSlack + " is negative");
        }
        if (cusumThreshold < 1) {
            throw new IllegalArgumentException("CUSUM threshold " + cusumThreshold + " must be at least 1 sixth");
        }
    }

    /**
     * Tolerance one step; suspend after 2 out-of-tolerance seeds in the last 5; CUSUM slack 1/6,
     * threshold 4/6 of a point. Chosen from the simulator's table (seeding/README.md): over 5000
     * live answers at one seed in 20 it suspended under 1 % of accurate markers, every marker
     * drifting one step severe (median 756 live answers after the drift began), and most careless
     * ones. A slack of 0 catches drift sooner but suspends a quarter of accurate markers, whose
     * small errors a slack-free CUSUM adds up; a threshold of 8 misses drift for too long.
     */
    public static SeedPolicy standard() {
        return new SeedPolicy(1, 5, 2, 1, 4);
    }

    /**
     * Evaluates a marker's seed history on a task, oldest first.
     *
     * @return SUSPEND at the first seed where a detector fires; otherwise WARN while the last
     *         {@code window} seeds hold an out-of-tolerance seed; otherwise OK
     */
    public Verdict evaluate(List<SeedResult> history) {
        int severe = 0;
        int lenient = 0;
        int severeStart = 0;
        int lenientStart = 0;
        for (int i = 0; i < history.size(); i++) {
            int d = history.get(i).deviationSixths();
            // An excursion starts at the first seed after the statistic was last zero: the
            // change-point estimate, and so where the marks became doubtful.
            if (severe == 0) {
                severeStart = i;
            }
            if (lenient == 0) {
                lenientStart = i;
            }
            severe = Math.max(0, severe - d - cusumSlack);
            lenient = Math.max(0, lenient + d - cusumSlack);

            int firstBad = Integer.MAX_VALUE;
            StringBuilder reason = new StringBuilder();
            int out = outOfTolerance(history, i);
            if (out >= suspendAfter) {
                firstBad = firstOutOfTolerance(history, i);
                reason.append(out).append(" of the last ").append(Math.min(window, i + 1))
                        .append(" seeds more than ").append(toleranceSteps).append(" step(s) off");
            }
            if (severe > cusumThreshold) {
                firstBad = Math.min(firstBad, severeStart);
                append(reason, "drift towards severity: CUSUM " + severe + "/6 exceeds " + cusumThreshold + "/6 since seed " + (severeStart + 1));
            }
            if (lenient > cusumThreshold) {
                firstBad = Math.min(firstBad, lenientStart);
                append(reason, "drift towards leniency: CUSUM " + lenient + "/6 exceeds " + cusumThreshold + "/6 since seed " + (lenientStart + 1));
            }
            if (firstBad != Integer.MAX_VALUE) {
                return verdict(Verdict.Level.SUSPEND, reason.toString(), history, firstBad, OptionalInt.of(i), severe, lenient);
            }
        }
        int last = history.size() - 1;
        int out = last < 0 ? 0 : outOfTolerance(history, last);
        if (out > 0) {
            SeedResult worst = history.get(lastOutOfTolerance(history, last));
            String reason = out + " of the last " + Math.min(window, history.size()) + " seeds more than " + toleranceSteps
                    + " step(s) off; latest " + worst.seedId() + " given " + worst.given() + ", definitive " + worst.definitive();
            return verdict(Verdict.Level.WARN, reason, history, history.size(), OptionalInt.empty(), severe, lenient);
        }
        return verdict(Verdict.Level.OK, "", history, history.size(), OptionalInt.empty(), severe, lenient);
    }

    private boolean outOfTolerance(SeedResult r) {
        return r.stepsOff() > toleranceSteps;
    }

    /** Out-of-tolerance seeds among the {@code window} seeds ending at {@code end}. */
    private int outOfTolerance(List<SeedResult> history, int end) {
        int n = 0;
        for (int j = Math.max(0, end - window + 1); j <= end; j++) {
            n += outOfTolerance(history.get(j)) ? 1 : 0;
        }
        return n;
    }

    private int firstOutOfTolerance(List<SeedResult> history, int end) {
        for (int j = Math.max(0, end - window + 1); j <= end; j++) {
            if (outOfTolerance(history.get(j))) {
                return j;
            }
        }
        throw new IllegalStateException("no seed out of tolerance in the window ending at " + end);
    }

    private int lastOutOfTolerance(List<SeedResult> history, int end) {
        for (int j = end; j >= 0; j--) {
            if (outOfTolerance(history.get(j))) {
                return j;
            }
        }
        throw new IllegalStateException("no seed out of tolerance up to " + end);
    }

    private static void append(StringBuilder reason, String text) {
        reason.append(reason.length() == 0 ? "" : "; ").append(text);
    }

    /** A verdict whose last good seed is the last within tolerance before {@code firstBad}. */
    private Verdict verdict(Verdict.Level level, String reason, List<SeedResult> history, int firstBad,
                            OptionalInt decidedAt, int severe, int lenient) {
        for (int j = Math.min(firstBad, history.size()) - 1; j >= 0; j--) {
            if (!outOfTolerance(history.get(j))) {
                Instant at = history.get(j).markedAt();
                return new Verdict(level, reason, OptionalInt.of(j), Optional.of(at), decidedAt, severe, lenient);
            }
        }
        return new Verdict(level, reason, OptionalInt.empty(), Optional.empty(), decidedAt, severe, lenient);
    }
}

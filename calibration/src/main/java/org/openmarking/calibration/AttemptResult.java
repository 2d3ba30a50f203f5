package org.openmarking.calibration;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one calibration attempt: whether it passed, the counts the rule looked at, and
 * feedback per item in the order the set shows them.
 *
 * @param setId       the set attempted
 * @param passed      whether the attempt met the {@link CalibrationRule}
 * @param exactCount  items marked exactly as the definitive mark
 * @param maxStepsOff the largest distance in scale steps from a definitive mark
 * @param feedback    one entry per item of the set
 */
public record AttemptResult(String setId, boolean passed, int exactCount, int maxStepsOff, List<ItemFeedback> feedback) {
    public AttemptResult {
        Objects.requireNonNull(setId, "setId");
        feedback = List.copyOf(feedback);
        if (exactCount < 0 || exactCount > feedback.size()) {
            throw new IllegalArgumentException("exact count " + exactCount + " is not between 0 and " + feedback.size());
        }
        if (maxStepsOff < 0) {
            throw new IllegalArgumentException("max steps off " + maxStepsOff + " is negative");
        }
    }
}

package org.openmarking.calibration.gate;

/**
 * Where a marker stands in calibration for one task.
 *
 * <pre>
 * NOT_STARTED --pass--> PASSED                      (may live-mark)
 * NOT_STARTED --fail--> FAILED_ONCE --pass--> PASSED
 *                       FAILED_ONCE --fail--> HELD  (awaits the chief examiner)
 * HELD --approve--> APPROVED                        (may live-mark)
 * HELD, PASSED, APPROVED --send back--> NOT_STARTED (a fresh round, with fresh sets)
 * any --criteria revised, recalibration required--> NOT_STARTED
 * </pre>
 */
public enum GateState {
    /** Has not calibrated in the current round; must attempt a set. */
    NOT_STARTED,
    /** Failed the first set of the round; must attempt a second, different set. */
    FAILED_ONCE,
    /** Passed a set of the current round. */
    PASSED,
    /** Failed two sets in a row; only a chief examiner can release or send back. */
    HELD,
    /** Released by a chief examiner after being held. */
    APPROVED;

    /** Whether a marker in this state may be given live answers of the task. */
    public boolean mayLiveMark() {
        return switch (this) {
            case PASSED, APPROVED -> true;
            case NOT_STARTED, FAILED_ONCE, HELD -> false;
        };
    }

    /** Whether a marker in this state is due to attempt a calibration set. */
    public boolean awaitsAttempt() {
        return switch (this) {
            case NOT_STARTED, FAILED_ONCE -> true;
            case PASSED, APPROVED, HELD -> false;
        };
    }
}

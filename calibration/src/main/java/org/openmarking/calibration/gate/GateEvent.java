package org.openmarking.calibration.gate;

import java.time.Instant;
import java.util.Objects;
import org.openmarking.calibration.AttemptResult;

/**
 * An entry in a marker's calibration history: something that happened and the state it led to.
 * The history is kept whole (never edited) so a chief examiner and an appeal can see every attempt.
 */
public sealed interface GateEvent {
    /** When it happened, from the gate's clock. */
    Instant at();

    /** The state it led to. */
    GateState after();

    /** Whether this event opens a fresh calibration round, after which earlier sets may be reused. */
    default boolean startsNewRound() {
        return after() == GateState.NOT_STARTED;
    }

    /** The marker attempted a set. */
    record Attempted(Instant at, GateState after, AttemptResult result) implements GateEvent {
        public Attempted {
            requireTimeAndState(at, after);
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * A chief examiner decided: released a held marker ({@code after} APPROVED) or sent a marker
     * back to calibration ({@code after} NOT_STARTED).
     */
    record ChiefDecision(Instant at, GateState after, String chiefExaminerId, String note) implements GateEvent {
        public ChiefDecision {
            requireTimeAndState(at, after);
            Objects.requireNonNull(chiefExaminerId, "chiefExaminerId");
            Objects.requireNonNull(note, "note");
            if (after != GateState.APPROVED && after != GateState.NOT_STARTED) {
                throw new IllegalArgumentException("a chief examiner approves or sends back, not " + after);
            }
        }
    }

    /** A criteria version flagged "requires recalibration" came into force. */
    record CriteriaRevised(Instant at, GateState after, String criteriaVersion) implements GateEvent {
        public CriteriaRevised {
            requireTimeAndState(at, after);
            Objects.requireNonNull(criteriaVersion, "criteriaVersion");
        }
    }

    private static void requireTimeAndState(Instant at, GateState after) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(after, "after");
    }
}

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
        return false;
    }

    /** The marker attempted a set. */
    record Attempted(Instant at, GateState after, AttemptResult result) implements GateEvent {
        public Attempted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(result, "result");
        }
    }

    /** A chief examiner released a held marker. */
    record Approved(Instant at, GateState after, String chiefExaminerId, String note) implements GateEvent {
        public Approved {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(chiefExaminerId, "chiefExaminerId");
            Objects.requireNonNull(note, "note");
        }
    }

    /** A chief examiner sent the marker back to calibration. */
    record SentBack(Instant at, GateState after, String chiefExaminerId, String note) implements GateEvent {
        public SentBack {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(chiefExaminerId, "chiefExaminerId");
            Objects.requireNonNull(note, "note");
        }

        @Override
        public boolean startsNewRound() {
            return true;
        }
    }

    /** A criteria version flagged "requires recalibration" came into force. */
    record CriteriaRevised(Instant at, GateState after, String criteriaVersion) implements GateEvent {
        public CriteriaRevised {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(criteriaVersion, "criteriaVersion");
        }

        @Override
        public boolean startsNewRound() {
            return true;
        }
    }
}

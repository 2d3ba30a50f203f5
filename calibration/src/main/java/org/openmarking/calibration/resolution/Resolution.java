package org.openmarking.calibration.resolution;

import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * The resolution of a response's marks: what the response needs next, or its final mark.
 * {@link #status()} gives an enum so callers can switch on it exhaustively.
 */
public sealed interface Resolution {
    /** The kinds of resolution. */
    enum Status { NEEDS_MORE_MARKS, NEEDS_SENIOR, NEEDS_ADJUDICATION, FINAL }

    Status status();

    /** Fewer independent marks than the policy requires; {@code missing} more are needed. */
    record NeedsMoreMarks(int missing) implements Resolution {
        public NeedsMoreMarks {
            if (missing < 1) {
                throw new IllegalArgumentException("missing " + missing + " must be at least 1");
            }
        }

        @Override
        public Status status() {
            return Status.NEEDS_MORE_MARKS;
        }
    }

    /** The independent marks disagree: a senior marker must mark blind. */
    record NeedsSenior() implements Resolution {
        @Override
        public Status status() {
            return Status.NEEDS_SENIOR;
        }
    }

    /** The senior mark settled nothing: the chief examiner must adjudicate. */
    record NeedsAdjudication() implements Resolution {
        @Override
        public Status status() {
            return Status.NEEDS_ADJUDICATION;
        }
    }

    /** The response's mark is settled. */
    record Final(Mark mark) implements Resolution {
        public Final {
            Objects.requireNonNull(mark, "mark");
        }

        @Override
        public Status status() {
            return Status.FINAL;
        }
    }
}

package org.openmarking.calibration.resolution;

import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * A given mark: one mark recorded against a live response, as double-marking resolution sees it.
 *
 * @param markerId who gave it
 * @param mark     the mark
 * @param senior   true when it is the blind third marking by a senior marker, asked for because
 *                 the independent marks disagreed
 * @param kind     whether it counts: only {@link Kind#LIVE} marks do
 */
public record GivenMark(String markerId, Mark mark, boolean senior, Kind kind) {
    /** Whether a mark counts towards the response's result. */
    public enum Kind {
        /** A mark on a live response that stands. */
        LIVE,
        /** A mark on a seed: it measures the marker, never the candidate. */
        SEED,
        /** A mark withdrawn, e.g. because its marker was suspended; kept for audit, never counted. */
        WITHDRAWN
    }

    public GivenMark {
        Objects.requireNonNull(markerId, "markerId");
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(kind, "kind");
    }

    /** A live independent mark. */
    public static GivenMark independent(String markerId, Mark mark) {
        return new GivenMark(markerId, mark, false, Kind.LIVE);
    }

    /** A live senior (third) mark. */
    public static GivenMark senior(String markerId, Mark mark) {
        return new GivenMark(markerId, mark, true, Kind.LIVE);
    }

    public boolean counts() {
        return kind == Kind.LIVE;
    }
}

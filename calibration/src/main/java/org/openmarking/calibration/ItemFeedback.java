package org.openmarking.calibration;

import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * Feedback on one calibration item: what the marker gave beside the definitive mark and why.
 *
 * @param responseId  the item's response id
 * @param markerMark  the mark the marker gave
 * @param definitive  the definitive mark
 * @param rationale   the chief examiner's explanation of the definitive mark
 */
public record ItemFeedback(String responseId, Mark markerMark, Mark definitive, String rationale) {
    public ItemFeedback {
        Objects.requireNonNull(responseId, "responseId");
        Objects.requireNonNull(markerMark, "markerMark");
        Objects.requireNonNull(definitive, "definitive");
        Objects.requireNonNull(rationale, "rationale");
    }

    /** Scale steps between the marker's mark and the definitive one (0 to 4). */
    public int stepsOff() {
        return markerMark.stepsFrom(definitive);
    }

    public boolean exact() {
        return markerMark == definitive;
    }
}

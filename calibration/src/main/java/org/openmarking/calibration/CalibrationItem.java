package org.openmarking.calibration;

import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * A calibration item: one pre-marked answer, its definitive mark and the chief examiner's
 * rationale, which the marker is shown after the attempt so a failed attempt teaches.
 *
 * @param responseId the opaque id of the answer image; never a candidate identity
 * @param definitive the mark agreed by the chief examiners
 * @param rationale  why the definitive mark is right, citing the criteria
 */
public record CalibrationItem(String responseId, Mark definitive, String rationale) {
    public CalibrationItem {
        Objects.requireNonNull(responseId, "responseId");
        Objects.requireNonNull(definitive, "definitive");
        Objects.requireNonNull(rationale, "rationale");
        if (responseId.isBlank()) {
            throw new IllegalArgumentException("a calibration item needs a response id");
        }
    }

    public static CalibrationItem of(String responseId, Mark definitive, String rationale) {
        return new CalibrationItem(responseId, definitive, rationale);
    }
}

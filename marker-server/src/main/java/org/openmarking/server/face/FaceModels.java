package org.openmarking.server.face;

import java.util.Objects;
import java.util.Optional;

/** The verified models one {@link FaceEngine} runs: a detector and a recognizer (landmarks optional). */
public record FaceModels(VerifiedModel detector, VerifiedModel recognizer, Optional<VerifiedModel> landmarks) {
    public FaceModels {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(recognizer, "recognizer");
        landmarks = landmarks == null ? Optional.empty() : landmarks;
        if (detector.card().role() != ModelRole.DETECTOR || recognizer.card().role() != ModelRole.RECOGNIZER) {
            throw new IllegalArgumentException("detector/recognizer roles do not match their cards");
        }
    }
}

package org.openmarking.server.face;

import java.util.List;
import java.util.Objects;

/**
 * One presence check to decide: a burst of encoded frames (JPEG/PNG, in capture order), the
 * marker's templates, the challenge the server issued, and the fingerprints of the marker's
 * earlier bursts (for replay detection; the server keeps them from previous {@link CheckResult}s).
 */
public record CheckRequest(List<byte[]> frames, FaceTemplates templates, Challenge challenge,
                           List<BurstFingerprint> earlierBursts) {
    public CheckRequest {
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(challenge, "challenge");
        frames = frames == null ? List.of() : List.copyOf(frames);
        earlierBursts = earlierBursts == null ? List.of() : List.copyOf(earlierBursts);
    }
}

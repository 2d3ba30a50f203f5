package org.openmarking.server.face;

/**
 * The decision on one presence check, with the scores behind it.
 *
 * @param outcome PASS or FAIL
 * @param reason why it failed; null on PASS
 * @param detail a sentence for the audit log and the chief examiner (never image data)
 * @param similarity best cosine of the burst's face to the marker's templates (NaN if not computed)
 * @param threshold the cosine threshold of the configured operating point
 * @param yawChange movement of the yaw proxy in the challenged direction (NaN if not computed)
 * @param framesWithOneFace frames holding exactly one face
 * @param frames frames received
 * @param fingerprint the burst's fingerprint, for the server to keep for replay checks (null if
 *     the frames could not be read at all)
 */
public record CheckResult(Outcome outcome, Reason reason, String detail, double similarity, double threshold,
                          double yawChange, int framesWithOneFace, int frames, BurstFingerprint fingerprint) {

    /** PASS or FAIL. */
    public enum Outcome { PASS, FAIL }

    /** Why a check failed. */
    public enum Reason {
        /** Too few frames with a face. */
        NO_FACE,
        /** A frame holds more than one face. */
        SEVERAL_FACES,
        /** The face does not match the marker's templates, or changed during the burst. */
        DIFFERENT_PERSON,
        /** The head did not turn as challenged, or the frames are a still image. */
        LIVENESS_FAILED,
        /** The burst repeats an earlier one. */
        REPLAY,
        /** The burst arrived after the challenge expired (or never: see the presence policy). */
        TIMEOUT,
        /** Unusable input: frame count, undecodable frames, or templates of another model. */
        BAD_INPUT
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }
}

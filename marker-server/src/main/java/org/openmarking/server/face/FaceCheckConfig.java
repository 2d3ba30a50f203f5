package org.openmarking.server.face;

/**
 * Settings of face enrolment and checks, read once at startup. The compact constructor rejects
 * values that make no sense, with the name of the setting.
 *
 * @param maxLongSide frames are shrunk so that their long side is at most this before detection
 * @param detectorScore minimum detector score of a face, or {@code NaN} for the card's default
 * @param maxImageBytes largest accepted encoded photo or frame
 * @param maxImagePixels largest accepted decoded image (width x height)
 * @param enrolMinFaceHeight minimum face box height in pixels of an enrolment photo
 * @param enrolMinScore minimum detector score of an enrolment photo (quality)
 * @param enrolMinPhotos how many accepted photos an enrolment needs
 * @param operatingFmr false-match rate whose card threshold decides identity, e.g. 1e-3
 * @param consistencyFmr looser rate whose threshold says two faces of one burst (or of one
 *     enrolment) are the same person
 * @param minFrames fewest frames in a burst
 * @param maxFrames most frames in a burst
 * @param minFaceFraction share of frames that must hold exactly one face
 * @param minCountedFaceHeight faces smaller than this (pixels) are ignored when counting faces
 * @param minYawChange how far the yaw proxy (see {@link DetectedFace#yaw()}) must move in the
 *     challenged direction, in inter-ocular distances
 * @param replayMaxHamming perceptual hashes (256 bits) at most this far apart count as the same frame
 * @param replayMinFraction share of a burst's frames that must match an earlier burst to be a replay
 */
public record FaceCheckConfig(
        int maxLongSide,
        double detectorScore,
        int maxImageBytes,
        long maxImagePixels,
        int enrolMinFaceHeight,
        double enrolMinScore,
        int enrolMinPhotos,
        double operatingFmr,
        double consistencyFmr,
        int minFrames,
        int maxFrames,
        double minFaceFraction,
        int minCountedFaceHeight,
        double minYawChange,
        int replayMaxHamming,
        double replayMinFraction) {

    public FaceCheckConfig {
        require(maxLongSide >= 160 && maxLongSide <= 1920, "maxLongSide must be in 160..1920");
        require(Double.isNaN(detectorScore) || (detectorScore > 0 && detectorScore < 1), "detectorScore must be in (0,1) or NaN");
        require(maxImageBytes > 0, "maxImageBytes must be > 0");
        require(maxImagePixels > 0, "maxImagePixels must be > 0");
        require(enrolMinFaceHeight >= 20, "enrolMinFaceHeight must be >= 20");
        require(enrolMinScore > 0 && enrolMinScore < 1, "enrolMinScore must be in (0,1)");
        require(enrolMinPhotos >= 1, "enrolMinPhotos must be >= 1");
        require(operatingFmr > 0 && operatingFmr < 1, "operatingFmr must be in (0,1)");
        require(consistencyFmr > 0 && consistencyFmr < 1, "consistencyFmr must be in (0,1)");
        require(minFrames >= 2 && maxFrames >= minFrames && maxFrames <= 120, "need 2 <= minFrames <= maxFrames <= 120");
        require(minFaceFraction > 0 && minFaceFraction <= 1, "minFaceFraction must be in (0,1]");
        require(minCountedFaceHeight >= 1, "minCountedFaceHeight must be >= 1");
        require(minYawChange > 0 && minYawChange < 1, "minYawChange must be in (0,1)");
        require(replayMaxHamming >= 0 && replayMaxHamming < 128, "replayMaxHamming must be in 0..127");
        require(replayMinFraction > 0 && replayMinFraction <= 1, "replayMinFraction must be in (0,1]");
    }

    /** The defaults documented in docs/face.md. */
    public static FaceCheckConfig defaults() {
        return new FaceCheckConfig(640, Double.NaN, 5 << 20, 40_000_000L, 80, 0.85, 1,
                1e-3, 1e-2, 5, 30, 0.6, 24, 0.15, 12, 0.8);
    }

    /** A copy with another number of photos an enrolment needs. */
    public FaceCheckConfig withEnrolMinPhotos(int n) {
        return new FaceCheckConfig(maxLongSide, detectorScore, maxImageBytes, maxImagePixels, enrolMinFaceHeight,
                enrolMinScore, n, operatingFmr, consistencyFmr, minFrames, maxFrames, minFaceFraction,
                minCountedFaceHeight, minYawChange, replayMaxHamming, replayMinFraction);
    }

    /** A copy deciding identity at another false-match rate. */
    public FaceCheckConfig withOperatingFmr(double fmr) {
        return new FaceCheckConfig(maxLongSide, detectorScore, maxImageBytes, maxImagePixels, enrolMinFaceHeight,
                enrolMinScore, enrolMinPhotos, fmr, consistencyFmr, minFrames, maxFrames, minFaceFraction,
                minCountedFaceHeight, minYawChange, replayMaxHamming, replayMinFraction);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("face check config: " + message);
        }
    }
}

package org.openmarking.server.face;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Decides one presence check on one engine. The steps, cheapest first:
 * <ol>
 *   <li>BAD_INPUT: frame count outside the configured range, templates of another recognizer,
 *       or a frame that does not decode;</li>
 *   <li>TIMEOUT: the clock is past the challenge's expiry;</li>
 *   <li>REPLAY: a frame byte-identical to an earlier burst's, or most frames perceptually
 *       near-identical to one earlier burst;</li>
 *   <li>LIVENESS_FAILED when the frames are all the same (a still image sent repeatedly);</li>
 *   <li>SEVERAL_FACES if any frame holds two faces; NO_FACE if too few frames hold one;</li>
 *   <li>DIFFERENT_PERSON: the most frontal frame must reach the operating point's threshold
 *       against the best template, and the most-turned frame must look like the same person
 *       (looser consistency threshold), so a burst cannot splice two people;</li>
 *   <li>LIVENESS_FAILED: the yaw proxy ({@link FaceEngine#yaw}) must move from the start of
 *       the burst by at least {@code minYawChange} in the challenged direction, and not as far
 *       the other way (see {@link Liveness}). A still photo, shifted or scaled, keeps its
 *       landmark geometry and fails.</li>
 * </ol>
 * Not thread-safe (it uses the engine it is given); {@link FaceChecks} is the thread-safe entry.
 */
final class FaceVerifier {
    private FaceVerifier() {}

    static CheckResult verify(FaceEngine engine, FaceCheckConfig config, Clock clock, CheckRequest request) {
        Decision d = new Decision(request.frames().size(), engine.threshold(config.operatingFmr()));
        int n = request.frames().size();
        if (n < config.minFrames() || n > config.maxFrames()) {
            return d.fail(CheckResult.Reason.BAD_INPUT, "burst has " + n + " frames, needs "
                    + config.minFrames() + ".." + config.maxFrames());
        }
        if (!request.templates().modelId().equals(engine.recognizerId())) {
            return d.fail(CheckResult.Reason.BAD_INPUT, "templates were made by " + request.templates().modelId()
                    + " but checks run " + engine.recognizerId() + "; the marker must re-enrol");
        }
        if (clock.instant().isAfter(request.challenge().expiresAt())) {
            return d.fail(CheckResult.Reason.TIMEOUT, "burst arrived after the challenge expired at "
                    + request.challenge().expiresAt());
        }
        // One pass per frame: decode, fingerprint, detect and measure the yaw while the frame is
        // still in the CPU's cache (decoding the whole burst first and detecting afterwards read
        // each 640x480 frame back cold and pushed the networks' weights out: the same work took
        // longer). The decisions below run in the same order as ever, cheapest first, so a burst
        // gets the same verdict and reason; only a refused burst now costs its detections too.
        List<FaceImage> images = new ArrayList<>(n);
        try {
            List<BurstFingerprint.Frame> prints = new ArrayList<>(n);
            List<Seen> seen = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] bytes = request.frames().get(i);
                FaceImage image;
                try {
                    image = engine.decode(bytes);
                } catch (BadImageException e) {
                    return d.fail(CheckResult.Reason.BAD_INPUT, "frame " + i + ": " + e.getMessage());
                }
                images.add(image);
                prints.add(new BurstFingerprint.Frame(ModelRegistry.sha256(bytes), BurstFingerprint.perceptualHash(image.small())));
                List<DetectedFace> found = engine.detect(image).stream()
                        .filter(f -> f.height() >= config.minCountedFaceHeight()).toList();
                if (found.size() == 1) {
                    DetectedFace face = engine.refine(image, found.get(0));
                    seen.add(new Seen(1, face, engine.yaw(image, face)));
                } else {
                    seen.add(new Seen(found.size(), null, Double.NaN));
                }
            }
            d.fingerprint = new BurstFingerprint(prints);
            return decide(engine, config, request, images, seen, d);
        } finally {
            images.forEach(FaceImage::close);
        }
    }

    /** What the per-frame pass found in one frame: how many faces counted, and for exactly one its box and yaw. */
    private record Seen(int faces, DetectedFace face, double yaw) {
    }

    private static CheckResult decide(FaceEngine engine, FaceCheckConfig config, CheckRequest request,
                                      List<FaceImage> images, List<Seen> seen, Decision d) {
        for (BurstFingerprint earlier : request.earlierBursts()) {
            if (d.fingerprint.sharesBytesWith(earlier)) {
                return d.fail(CheckResult.Reason.REPLAY, "a frame is byte-identical to a frame of an earlier burst");
            }
            if (d.fingerprint.looksLike(earlier, config.replayMaxHamming(), config.replayMinFraction())) {
                return d.fail(CheckResult.Reason.REPLAY, "the frames are near-identical to an earlier burst");
            }
        }
        Set<String> distinct = new HashSet<>();
        for (BurstFingerprint.Frame f : d.fingerprint.frames()) {
            distinct.add(HexFormat.of().formatHex(f.sha256()));
        }
        if (distinct.size() == 1) {
            return d.fail(CheckResult.Reason.LIVENESS_FAILED, "all frames of the burst are the same image");
        }

        List<Integer> faceFrames = new ArrayList<>();
        List<DetectedFace> faces = new ArrayList<>();
        List<Double> yaws = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            Seen f = seen.get(i);
            if (f.faces() > 1) {
                return d.fail(CheckResult.Reason.SEVERAL_FACES, "frame " + i + " holds " + f.faces() + " faces");
            }
            if (f.face() != null) {
                faceFrames.add(i);
                faces.add(f.face());
                yaws.add(f.yaw());
            }
        }
        d.framesWithOneFace = faces.size();
        int needed = Math.max(2, (int) Math.ceil(config.minFaceFraction() * images.size()));
        if (faces.size() < needed) {
            return d.fail(CheckResult.Reason.NO_FACE, faces.size() + " of " + images.size()
                    + " frames hold a face, needs " + needed);
        }

        int sign = request.challenge().direction().sign();
        Liveness live = Liveness.of(yaws.stream().mapToDouble(Double::doubleValue).toArray(), sign);
        int frontal = live.frontal;
        int peak = live.peak;
        double forward = live.forward;
        double backward = live.backward;
        d.yawChange = forward;

        float[] frontalEmbedding = engine.embed(images.get(faceFrames.get(frontal)), faces.get(frontal));
        d.similarity = request.templates().bestSimilarity(frontalEmbedding);
        if (d.similarity < d.threshold) {
            return d.fail(CheckResult.Reason.DIFFERENT_PERSON, String.format(
                    "best similarity %.3f below threshold %.3f (FMR %.0e)", d.similarity, d.threshold,
                    config.operatingFmr()));
        }
        if (peak != frontal) {
            float[] peakEmbedding = engine.embed(images.get(faceFrames.get(peak)), faces.get(peak));
            double same = Math.max(FaceEngine.cosine(frontalEmbedding, peakEmbedding),
                    request.templates().bestSimilarity(peakEmbedding));
            double consistency = engine.threshold(config.consistencyFmr());
            if (same < consistency) {
                return d.fail(CheckResult.Reason.DIFFERENT_PERSON, String.format(
                        "the turned face (frame %d) is not the frontal face's person (%.3f < %.3f)",
                        faceFrames.get(peak), same, consistency));
            }
        }
        if (forward < config.minYawChange() || backward >= config.minYawChange()) {
            return d.fail(CheckResult.Reason.LIVENESS_FAILED, String.format(
                    "head turn %s: moved %.3f that way and %.3f the other way (needs >= %.3f, and less the other way)",
                    request.challenge().direction(), forward, backward, config.minYawChange()));
        }
        return d.pass(String.format("similarity %.3f >= %.3f; turned %.3f %s", d.similarity, d.threshold,
                forward, request.challenge().direction()));
    }

    /**
     * The head-turn measurement of a burst, robust to single-frame landmark jitter (landmarks
     * wobble by a few hundredths of an inter-ocular distance between frames): the
     * baseline is the median yaw of the first third of the face frames (1 to 3 frames), and the
     * movement each way is the second largest over the frames, so one outlier cannot pass.
     */
    static final class Liveness {
        final int frontal;
        final int peak;
        final double forward;
        final double backward;

        private Liveness(int frontal, int peak, double forward, double backward) {
            this.frontal = frontal;
            this.peak = peak;
            this.forward = forward;
            this.backward = backward;
        }

        static Liveness of(double[] yaw, int sign) {
            int n = yaw.length;
            int k = Math.max(1, Math.min(3, n / 3));
            double[] first = Arrays.copyOf(yaw, k);
            Arrays.sort(first);
            double base = k % 2 == 1 ? first[k / 2] : (first[k / 2 - 1] + first[k / 2]) / 2;
            int frontal = 0;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                if (Math.abs(yaw[i] - base) < Math.abs(yaw[frontal] - base)) {
                    frontal = i;
                }
            }
            Arrays.sort(order, (a, b) -> Double.compare(sign * yaw[b], sign * yaw[a]));
            int rank = n >= 4 ? 1 : 0;
            int peak = order[rank];
            double forward = Math.max(0, sign * (yaw[peak] - base));
            double backward = Math.max(0, -sign * (yaw[order[n - 1 - rank]] - base));
            return new Liveness(frontal, peak, forward, backward);
        }
    }

    /** The scores gathered so far, turned into a result at the first failing step. */
    private static final class Decision {
        final int frames;
        final double threshold;
        double similarity = Double.NaN;
        double yawChange = Double.NaN;
        int framesWithOneFace;
        BurstFingerprint fingerprint;

        Decision(int frames, double threshold) {
            this.frames = frames;
            this.threshold = threshold;
        }

        CheckResult fail(CheckResult.Reason reason, String detail) {
            return new CheckResult(CheckResult.Outcome.FAIL, reason, detail, similarity, threshold, yawChange,
                    framesWithOneFace, frames, fingerprint);
        }

        CheckResult pass(String detail) {
            return new CheckResult(CheckResult.Outcome.PASS, null, detail, similarity, threshold, yawChange,
                    framesWithOneFace, frames, fingerprint);
        }
    }
}

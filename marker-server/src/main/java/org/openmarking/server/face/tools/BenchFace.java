package org.openmarking.server.face.tools;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;
import org.openmarking.server.face.BurstFingerprint;
import org.openmarking.server.face.Challenge;
import org.openmarking.server.face.CheckRequest;
import org.openmarking.server.face.CheckResult;
import org.openmarking.server.face.DetectedFace;
import org.openmarking.server.face.FaceCheckConfig;
import org.openmarking.server.face.FaceChecks;
import org.openmarking.server.face.FaceEngine;
import org.openmarking.server.face.FaceImage;
import org.openmarking.server.face.FaceModels;
import org.openmarking.server.face.FaceTemplates;
import org.openmarking.server.face.ModelCard;
import org.openmarking.server.face.sim.SimulatedCamera;
import org.openmarking.server.face.ModelRegistry;

/**
 * Latency of face checks against the bare model inference measured in the same run, and how
 * many markers one node can check. Frames are webcam-like: 640x480 JPEG (quality 90) of a
 * synthetic head turn filmed by {@link SimulatedCamera} from a shared photo, so the check passes.
 *
 * <p>Usage: {@code BenchFace [--iterations N] [--frames F] [--opencv-threads T]}; run it through
 * {@code scripts/bench-face.sh}. OpenCV runs single-threaded by default, as in the server
 * ({@code ServerApp.OPENCV_THREADS}); {@code --opencv-threads 2} shows the other choice.
 */
public final class BenchFace {
    private BenchFace() {}

    public static void main(String[] args) throws Exception {
        Path models = Path.of(System.getProperty("openmarking.models", "../shared/models"));
        Path photos = models.resolveSibling("data").resolve("faces").resolve("train");
        int iterations = 40;
        opencv_core.setNumThreads(org.openmarking.server.ServerApp.OPENCV_THREADS);
        int frameCount = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                case "--frames" -> frameCount = Integer.parseInt(args[i + 1]);
                case "--opencv-threads" -> opencv_core.setNumThreads(Integer.parseInt(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FaceModels fm = ModelRegistry.open(models).faceCheckModels(null);
        FaceCheckConfig config = FaceCheckConfig.defaults();
        Clock clock = Clock.systemUTC();

        try (FaceEngine engine = new FaceEngine(fm, config);
             FaceChecks one = new FaceChecks(fm, config, clock, 1)) {
            // A passing burst as a client sends it: 640x480 frames of a synthetic head turn (SimulatedCamera).
            List<byte[]> burst;
            try (SimulatedCamera camera = new SimulatedCamera(new FaceEngine(fm, config), 1)) {
                burst = camera.burst(Files.readAllBytes(photos.resolve("obama/obama2.jpg")), Challenge.Direction.TURN_LEFT, frameCount);
            }
            FaceTemplates templates = one.enroll(List.of(Files.readAllBytes(photos.resolve("obama/obama.jpg"))))
                    .templates().orElseThrow();
            byte[] frame = burst.get(0);

            // Bare inference on prepared blobs: YuNet through dnn on the 640x480 frame, the recognizer on an aligned face.
            Net yunet = opencv_dnn.readNetFromONNX(fm.detector().bytes());
            StringVector outNames = yunet.getUnconnectedOutLayersNames();
            Mat detBlob;
            Mat recBlob;
            try (FaceImage image = engine.decode(frame)) {
                detBlob = opencv_dnn.blobFromImage(image.small(), 1.0, new Size(image.small().cols(), image.small().rows()),
                        new Scalar(0, 0, 0, 0), false, false, CV_32F);
                DetectedFace face = engine.detect(image).get(0);
                try (Mat aligned = engine.align(image, face)) {
                    recBlob = engine.blob(aligned);
                }
            }
            MatVector outs = new MatVector();
            LongSupplier bareDetector = () -> time(() -> {
                yunet.setInput(detBlob);
                yunet.forward(outs, outNames);
            });
            LongSupplier bareRecognizer = () -> time(() -> engine.forward(recBlob));
            // The optional 68-point landmark model runs once per face frame (yaw for liveness): inference too.
            Net landmarkNet = fm.landmarks().map(m -> opencv_dnn.readNetFromONNX(m.bytes())).orElse(null);
            Mat lmBlob = fm.landmarks().map(m -> {
                ModelCard.Input in = m.card().input();
                return opencv_dnn.blobFromImage(new Mat(in.height(), in.width(), org.bytedeco.opencv.global.opencv_core.CV_8UC1,
                        new Scalar(128)), in.scale(), new Size(in.width(), in.height()), new Scalar(in.mean(), in.mean(), in.mean(), 0),
                        false, false, CV_32F);
            }).orElse(null);
            LongSupplier bareLandmarks = () -> landmarkNet == null ? 0 : time(() -> {
                landmarkNet.setInput(lmBlob);
                landmarkNet.forward().close();
            });
            LongSupplier oneFrame = () -> time(() -> checkOneFrame(engine, frame, templates));
            int frames = frameCount;
            LongSupplier bareOneFrame = () -> bareDetector.getAsLong() + bareRecognizer.getAsLong();
            LongSupplier bareWholeBurst = () -> {
                long t = 0;
                for (int k = 0; k < frames; k++) {
                    t += bareDetector.getAsLong() + bareLandmarks.getAsLong();
                }
                return t + 2 * bareRecognizer.getAsLong();
            };
            LongSupplier fullBurst = () -> time(() -> {
                CheckResult r = one.verify(request(burst, templates, clock));
                if (r.fingerprint() == null) {
                    throw new IllegalStateException("bench burst was not analysed: " + r.detail());
                }
            });
            LongSupplier decodeOnly = () -> time(() -> {
                try (FaceImage ignored = engine.decode(frame)) {
                    // decode cost only
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            FaceImage decoded = engine.decode(frame);
            LongSupplier detectOnly = () -> time(() -> engine.detect(decoded));
            DetectedFace decodedFace = engine.detect(decoded).get(0);
            LongSupplier landmarksOnly = () -> time(() -> engine.landmarks68(decoded, decodedFace));
            LongSupplier hashOnly = () -> time(() -> {
                ModelRegistry.sha256(frame);
                BurstFingerprint.perceptualHash(decoded.small());
            });

            CheckResult sample = one.verify(request(burst, templates, clock));
            // 20 rounds (160 frames) so that the JIT has compiled the Java loops (detector decoding,
            // hash thumbnail) as on a server that has run a few checks; the first checks after a
            // start cost about 2 ms more a frame while they are interpreted.
            for (int w = 0; w < 20; w++) {
                bareDetector.getAsLong();
                bareRecognizer.getAsLong();
                oneFrame.getAsLong();
                fullBurst.getAsLong();
            }
            double det = median(bareDetector, iterations);
            double rec = median(bareRecognizer, iterations);
            double lm = median(bareLandmarks, iterations);
            double dec = median(decodeOnly, iterations);
            // Paired with the bare forward like the checks below: separate medians minutes apart
            // differ by more than the overhead on a loaded machine.
            double[] detPair = paired(detectOnly, bareDetector, iterations);
            double detYn = detPair[0];
            double detOverhead = (detPair[2] - 1) * detPair[1];
            double hash = median(hashOnly, iterations);
            double lmFull = median(landmarksOnly, iterations);
            decoded.close();
            double[] framePair = paired(oneFrame, bareOneFrame, iterations);
            double[] burstPair = paired(fullBurst, bareWholeBurst, Math.max(10, iterations / 2));
            double frameMs = framePair[0];
            double burstMs = burstPair[0];
            int embeds = 2;
            double bareFrame = framePair[1];
            double bareBurst = burstPair[1];

            System.out.printf(Locale.ROOT, "Face check benchmark (%s, %s), OpenCV threads %d, %d iterations, medians%n",
                    fm.detector().card().name(), fm.recognizer().card().name(), opencv_core.getNumThreads(), iterations);
            System.out.printf(Locale.ROOT, "frames: 640x480 JPEG q90, %d bytes; burst of %d frames (sample result: %s %s)%n",
                    frame.length, frameCount, sample.outcome(), sample.reason() == null ? "" : sample.reason());
            System.out.println();
            System.out.printf(Locale.ROOT, "bare inference  detector net.forward (640x480 blob) %7.2f ms%n", det);
            System.out.printf(Locale.ROOT, "bare inference  recognizer net.forward (112x112)    %7.2f ms%n", rec);
            System.out.printf(Locale.ROOT, "bare inference  68-point landmarks net.forward      %7.2f ms%s%n", lm,
                    landmarkNet == null ? " (model absent)" : "");
            System.out.printf(Locale.ROOT, "JPEG decode alone                                   %7.2f ms%n", dec);
            System.out.printf(Locale.ROOT, "engine.detect (blob, forward, decoding, NMS)        %7.2f ms  vs its bare forward %.2f ms alternately, ratio %.3fx%n",
                    detYn, detPair[1], detPair[2]);
            System.out.printf(Locale.ROOT, "engine.landmarks68 (crop, grey, blob, forward)      %7.2f ms%n", lmFull);
            System.out.printf(Locale.ROOT, "hashes of a frame (sha256 + perceptual)             %7.2f ms%n", hash);
            System.out.println();
            System.out.println("(full and bare below are measured alternately; the ratio is the median of the per-pair ratios)");
            System.out.printf(Locale.ROOT, "one frame, full (decode, detect, align, embed, compare) %7.2f ms  vs bare %7.2f ms  ratio %.2fx%n",
                    frameMs, bareFrame, framePair[2]);
            System.out.printf(Locale.ROOT, "one check, full burst (%d frames: decode+detect+landmarks each, %d embeddings, hashes, liveness) %7.2f ms%n",
                    frameCount, embeds, burstMs);
            System.out.printf(Locale.ROOT, "   vs bare %d x (detector + landmarks) + %d x recognizer %7.2f ms  ratio %.2fx%n",
                    frameCount, embeds, bareBurst, burstPair[2]);
            System.out.printf(Locale.ROOT, "   sum of its parts measured alone: %d x (decode %.2f + hashes %.2f + detect %.2f + landmarks %.2f) + %d x recognizer %.2f = %.2f ms%n",
                    frameCount, dec, hash, detYn, lmFull, embeds, rec, frameCount * (dec + hash + detYn + lmFull) + embeds * rec);
            for (double[] r : new double[][] {{frameMs, bareFrame, 1, framePair[2]}, {burstMs, bareBurst, frameCount, burstPair[2]}}) {
                double ratio = r[3];
                System.out.printf(Locale.ROOT, "goal <= 1.3x for the %s: %s (%.2fx); beyond inference %.2f ms, of which JPEG decode %.2f ms and detector blob + decoding + NMS %.2f ms%n",
                        r[2] == 1 ? "single frame" : "full burst check", ratio <= 1.3 ? "met" : "NOT met", ratio,
                        r[0] - r[1], r[2] * dec, r[2] * detOverhead);
            }

            // Throughput: two workers on two engines, as a 2-core node would run them.
            int workers = 2;
            int perWorker = Math.max(10, iterations / 2);
            try (FaceChecks pool = new FaceChecks(fm, config, clock, workers)) {
                ExecutorService exec = Executors.newFixedThreadPool(workers);
                try {
                    long start = System.nanoTime();
                    List<Future<?>> jobs = new ArrayList<>();
                    for (int w = 0; w < workers; w++) {
                        jobs.add(exec.submit(() -> {
                            for (int k = 0; k < perWorker; k++) {
                                pool.verify(request(burst, templates, clock));
                            }
                        }));
                    }
                    for (Future<?> j : jobs) {
                        j.get();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double perSecond = workers * perWorker / seconds;
                    System.out.println();
                    System.out.printf(Locale.ROOT, "throughput with %d workers: %.1f checks/s (%d checks in %.1f s)%n",
                            workers, perSecond, workers * perWorker, seconds);
                    System.out.printf(Locale.ROOT, "markers per node at one check per 5 minutes: %.0f with the CPU spent on face checks only, %.0f leaving half the CPU to the rest of the server%n",
                            perSecond * 300, perSecond * 150);
                } finally {
                    exec.shutdown();
                }
            }
            yunet.close();
            if (landmarkNet != null) {
                landmarkNet.close();
            }
        }
    }

    private static void checkOneFrame(FaceEngine engine, byte[] frame, FaceTemplates templates) {
        try (FaceImage image = engine.decode(frame)) {
            List<DetectedFace> faces = engine.detect(image);
            DetectedFace face = engine.refine(image, faces.get(0));
            templates.bestSimilarity(engine.embed(image, face));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CheckRequest request(List<byte[]> burst, FaceTemplates templates, Clock clock) {
        Instant now = clock.instant();
        return new CheckRequest(burst, templates, new Challenge(Challenge.Direction.TURN_LEFT, now, now.plus(Duration.ofMinutes(1))),
                List.of());
    }

    private static long time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }

    /**
     * Full and bare measured alternately, n times each, so that load from other processes hits
     * both alike: medians of each and the median of the per-pair ratios.
     */
    private static double[] paired(LongSupplier full, LongSupplier bare, int n) {
        long[] f = new long[n];
        long[] b = new long[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = full.getAsLong();
            b[i] = bare.getAsLong();
            r[i] = (double) f[i] / b[i];
        }
        Arrays.sort(f);
        Arrays.sort(b);
        Arrays.sort(r);
        return new double[] {f[n / 2] / 1e6, b[n / 2] / 1e6, r[n / 2]};
    }

    private static double median(LongSupplier run, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = run.getAsLong();
        }
        Arrays.sort(v);
        return v[n / 2] / 1e6;
    }
}

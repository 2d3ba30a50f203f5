package org.openmarking.server.face.tools;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

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
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
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
import org.openmarking.server.face.ModelRegistry;

/**
 * Latency of face checks against the bare model inference measured in the same run, and how
 * many markers one node can check. Frames are webcam-like: 640x480 JPEG (quality 90) framed
 * around the face of a shared photo, shifted a little per frame so that no two are identical.
 *
 * <p>Usage: {@code BenchFace [--iterations N] [--frames F]}; run it through
 * {@code scripts/bench-face.sh}.
 */
public final class BenchFace {
    private BenchFace() {}

    public static void main(String[] args) throws Exception {
        Path models = Path.of(System.getProperty("openmarking.models", "../shared/models"));
        Path photos = models.resolveSibling("data").resolve("faces").resolve("train");
        int iterations = 40;
        int frameCount = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                case "--frames" -> frameCount = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FaceModels fm = ModelRegistry.open(models).faceCheckModels(null);
        FaceCheckConfig config = FaceCheckConfig.defaults();
        Clock clock = Clock.systemUTC();

        try (FaceEngine engine = new FaceEngine(fm, config);
             FaceChecks one = new FaceChecks(fm, config, clock, 1)) {
            List<byte[]> burst = webcamBurst(engine, Files.readAllBytes(photos.resolve("obama/obama2.jpg")), frameCount);
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
            LongSupplier oneFrame = () -> time(() -> checkOneFrame(engine, frame, templates));
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
            LongSupplier hashOnly = () -> time(() -> {
                ModelRegistry.sha256(frame);
                BurstFingerprint.perceptualHash(decoded.small());
            });

            CheckResult sample = one.verify(request(burst, templates, clock));
            for (int w = 0; w < 5; w++) {
                bareDetector.getAsLong();
                bareRecognizer.getAsLong();
                oneFrame.getAsLong();
                fullBurst.getAsLong();
            }
            double det = median(bareDetector, iterations);
            double rec = median(bareRecognizer, iterations);
            double dec = median(decodeOnly, iterations);
            double detYn = median(detectOnly, iterations);
            double hash = median(hashOnly, iterations);
            decoded.close();
            double frameMs = median(oneFrame, iterations);
            double burstMs = median(fullBurst, Math.max(10, iterations / 2));
            int embeds = 2;
            double bareFrame = det + rec;
            double bareBurst = frameCount * det + embeds * rec;

            System.out.printf(Locale.ROOT, "Face check benchmark (%s, %s), OpenCV threads %d, %d iterations, medians%n",
                    fm.detector().card().name(), fm.recognizer().card().name(), opencv_core.getNumThreads(), iterations);
            System.out.printf(Locale.ROOT, "frames: 640x480 JPEG q90, %d bytes; burst of %d frames (sample result: %s %s)%n",
                    frame.length, frameCount, sample.outcome(), sample.reason() == null ? "" : sample.reason());
            System.out.println();
            System.out.printf(Locale.ROOT, "bare inference  detector net.forward (640x480 blob) %7.2f ms%n", det);
            System.out.printf(Locale.ROOT, "bare inference  recognizer net.forward (112x112)    %7.2f ms%n", rec);
            System.out.printf(Locale.ROOT, "JPEG decode alone                                   %7.2f ms%n", dec);
            System.out.printf(Locale.ROOT, "FaceDetectorYN.detect (forward + decoding + NMS)    %7.2f ms%n", detYn);
            System.out.println();
            System.out.printf(Locale.ROOT, "one frame, full (decode, detect, align, embed, compare) %7.2f ms  vs bare %7.2f ms  ratio %.2fx%n",
                    frameMs, bareFrame, frameMs / bareFrame);
            System.out.printf(Locale.ROOT, "one check, full burst (%d frames: decode+detect each, %d embeddings, hashes, liveness) %7.2f ms%n",
                    frameCount, embeds, burstMs);
            System.out.printf(Locale.ROOT, "   vs bare %d x detector + %d x recognizer %7.2f ms  ratio %.2fx%n",
                    frameCount, embeds, bareBurst, burstMs / bareBurst);
            System.out.printf(Locale.ROOT, "   sum of its parts measured alone: %d x (decode %.2f + hashes %.2f + FaceDetectorYN %.2f) + %d x embed %.2f = %.2f ms%n",
                    frameCount, dec, hash, detYn, embeds, frameMs - dec - detYn,
                    frameCount * (dec + hash + detYn) + embeds * (frameMs - dec - detYn));
            for (double[] r : new double[][] {{frameMs, bareFrame, 1}, {burstMs, bareBurst, frameCount}}) {
                double ratio = r[0] / r[1];
                System.out.printf(Locale.ROOT, "goal <= 1.3x for the %s: %s (%.2fx); beyond inference %.2f ms, of which JPEG decode %.2f ms and detector post-processing %.2f ms%n",
                        r[2] == 1 ? "single frame" : "full burst check", ratio <= 1.3 ? "met" : "NOT met", ratio,
                        r[0] - r[1], r[2] * dec, r[2] * (detYn - det));
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

    /** A 640x480 frame around the photo's face, shifted by a pixel or two per frame. */
    static List<byte[]> webcamBurst(FaceEngine engine, byte[] photo, int frames) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (FaceImage image = engine.decode(photo)) {
            DetectedFace f = engine.detect(image).get(0);
            double h = Math.min(image.height(), 3 * f.height());
            double w = Math.min(image.width(), h * 4 / 3);
            h = w * 3 / 4;
            int x0 = (int) Math.max(0, Math.min(image.width() - w, f.x() + f.width() / 2 - w / 2));
            int y0 = (int) Math.max(0, Math.min(image.height() - h, f.y() + f.height() / 2 - h / 2));
            try (Mat roi = new Mat(image.full(), new Rect(x0, y0, (int) w, (int) h)); Mat webcam = new Mat()) {
                resize(roi, webcam, new Size(640, 480), 0, 0, INTER_AREA);
                for (int i = 0; i < frames; i++) {
                    try (Mat shift = new Mat(2, 3, CV_64F); DoubleIndexer idx = shift.createIndexer(); Mat moved = new Mat()) {
                        double[] m = {1, 0, i % 3, 0, 1, i / 3};
                        for (int k = 0; k < 6; k++) {
                            idx.put(k / 3, k % 3, m[k]);
                        }
                        warpAffine(webcam, moved, shift, webcam.size(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
                        out.add(FaceImage.encodeJpeg(moved, 90));
                    }
                }
            }
        }
        return out;
    }

    private static long time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
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

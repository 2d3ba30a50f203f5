package org.openmarking.server.face;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * The face pipeline on one thread: decode, detect (YuNet), align (5-point similarity onto the
 * recognizer card's template), embed (the recognizer through OpenCV dnn) and compare (cosine).
 *
 * <p><b>Not thread-safe.</b> {@code cv::dnn::Net} and {@link YuNet}'s reused blob keep per-call state;
 * one engine must be used by one thread at a time. Servers use {@link FaceEnginePool} (or
 * {@link FaceChecks}, which owns one), sized to the worker pool that runs checks.
 *
 * <p>It never logs or keeps image data; errors name sizes, never contents.
 */
public final class FaceEngine implements AutoCloseable {

    /** Longest side of the crop {@link #refine} runs the detector on. */
    public static final int REFINE_SIDE = 320;

    private final FaceModels models;
    private final FaceCheckConfig config;
    /** Intersection over union above which the weaker of two overlapping detections is dropped. */
    public static final float NMS_THRESHOLD = 0.3f;

    private final YuNet detector;
    private final Net recognizer;
    private final Net landmarkNet;
    private final double[][] template;
    private final int alignSize;
    private final float detectorScore;

    /** Loads both networks from the models' verified bytes. */
    public FaceEngine(FaceModels models, FaceCheckConfig config) {
        this.models = models;
        this.config = config;
        ModelCard rec = models.recognizer().card();
        if (rec.input().colourOrder() == ModelCard.ColourOrder.GREY) {
            throw new IllegalArgumentException("recognizer " + rec.name() + ": grey input is not supported");
        }
        this.template = rec.alignment().points();
        this.alignSize = rec.alignment().size();
        double score = Double.isNaN(config.detectorScore())
                ? models.detector().card().defaultScoreThreshold() : config.detectorScore();
        this.detectorScore = (float) score;
        // NMS 0.3 and top 5000, as FaceDetectorYN was created with before (see YuNet).
        this.detector = new YuNet(models.detector().bytes(), detectorScore, NMS_THRESHOLD, 5000);
        this.recognizer = opencv_dnn.readNetFromONNX(models.recognizer().bytes());
        this.landmarkNet = models.landmarks().map(m -> opencv_dnn.readNetFromONNX(m.bytes())).orElse(null);
        if (recognizer == null || recognizer.empty()) {
            throw new IllegalStateException("OpenCV could not load recognizer " + rec.name());
        }
    }

    /** The models this engine runs. */
    public FaceModels models() {
        return models;
    }

    /** The recognizer's identity, stored with templates. */
    public String recognizerId() {
        return models.recognizer().id();
    }

    /** The cosine threshold at a false-match rate, from the recognizer's card. */
    public double threshold(double fmr) {
        return models.recognizer().card().threshold(fmr);
    }

    /** The detector score below which faces are ignored. */
    public double detectorScore() {
        return detectorScore;
    }

    /** Decodes a JPEG/PNG (or any format OpenCV reads) into BGR and shrinks a copy for detection. */
    public FaceImage decode(byte[] encoded) throws BadImageException {
        if (encoded == null || encoded.length == 0) {
            throw new BadImageException("empty image");
        }
        if (encoded.length > config.maxImageBytes()) {
            throw new BadImageException("image of " + encoded.length + " bytes exceeds " + config.maxImageBytes());
        }
        Mat full;
        try (Mat raw = new Mat(1, encoded.length, CV_8UC1)) {
            raw.data().put(encoded);
            full = imdecode(raw, IMREAD_COLOR);
        }
        if (full == null || full.empty()) {
            throw new BadImageException("not a decodable image (" + encoded.length + " bytes)");
        }
        if ((long) full.cols() * full.rows() > config.maxImagePixels()) {
            String size = full.cols() + "x" + full.rows();
            full.close();
            throw new BadImageException("image of " + size + " pixels exceeds " + config.maxImagePixels());
        }
        return fromBgr(full);
    }

    /** Wraps a BGR image already in memory; the returned image owns {@code bgr}. */
    public FaceImage fromBgr(Mat bgr) {
        int longSide = Math.max(bgr.cols(), bgr.rows());
        if (longSide <= config.maxLongSide()) {
            return new FaceImage(bgr, bgr, 1.0);
        }
        double scale = (double) config.maxLongSide() / longSide;
        Mat small = new Mat();
        resize(bgr, small, new Size((int) Math.round(bgr.cols() * scale), (int) Math.round(bgr.rows() * scale)),
                0, 0, INTER_AREA);
        return new FaceImage(bgr, small, scale);
    }

    /** All faces scoring at least the detector threshold, in full-image coordinates, best first. */
    public List<DetectedFace> detect(FaceImage image) {
        List<DetectedFace> faces = new ArrayList<>();
        double inv = 1.0 / image.scale();
        // YuNet already drops rows below the detector score it was built with (detectorScore).
        for (float[] row : detector.detect(image.small())) {
            double score = row[14];
            double[] lm = new double[10];
            for (int k = 0; k < 10; k++) {
                lm[k] = row[4 + k] * inv;
            }
            faces.add(new DetectedFace(row[0] * inv, row[1] * inv, row[2] * inv, row[3] * inv, lm, score));
        }
        faces.sort((a, b) -> Double.compare(b.score(), a.score()));
        return faces;
    }

    /**
     * Landmarks measured again at full resolution: when the image was shrunk for detection, the
     * detector runs once more on a square crop around the face (twice the box, at most
     * {@value #REFINE_SIDE} px), which makes the landmarks of a small face in a large frame
     * several times more precise. Returns {@code face} unchanged when nothing better is found.
     */
    public DetectedFace refine(FaceImage image, DetectedFace face) {
        if (image.scale() >= 1.0) {
            return face;
        }
        double side = 2.0 * Math.max(face.width(), face.height());
        double cx = face.x() + face.width() / 2;
        double cy = face.y() + face.height() / 2;
        int x0 = (int) Math.max(0, Math.floor(cx - side / 2));
        int y0 = (int) Math.max(0, Math.floor(cy - side / 2));
        int x1 = (int) Math.min(image.width(), Math.ceil(cx + side / 2));
        int y1 = (int) Math.min(image.height(), Math.ceil(cy + side / 2));
        if (x1 - x0 < 32 || y1 - y0 < 32) {
            return face;
        }
        double scale = Math.min(1.0, (double) REFINE_SIDE / Math.max(x1 - x0, y1 - y0));
        Mat crop;
        try (Mat roi = new Mat(image.full(), new Rect(x0, y0, x1 - x0, y1 - y0))) {
            crop = new Mat();
            resize(roi, crop, new Size((int) Math.round((x1 - x0) * scale), (int) Math.round((y1 - y0) * scale)),
                    0, 0, INTER_AREA);
        }
        List<DetectedFace> found;
        try (FaceImage cropImage = new FaceImage(crop, crop, 1.0)) {
            found = detect(cropImage);
        }
        DetectedFace best = null;
        double bestDistance = Double.MAX_VALUE;
        for (DetectedFace f : found) {
            double fx = x0 + (f.x() + f.width() / 2) / scale;
            double fy = y0 + (f.y() + f.height() / 2) / scale;
            double d = Math.hypot(fx - cx, fy - cy);
            if (d < bestDistance) {
                bestDistance = d;
                best = f;
            }
        }
        if (best == null || bestDistance > 0.25 * face.height()) {
            return face;
        }
        double[] lm = new double[10];
        for (int k = 0; k < 5; k++) {
            lm[2 * k] = x0 + best.lx(k) / scale;
            lm[2 * k + 1] = y0 + best.ly(k) / scale;
        }
        return new DetectedFace(x0 + best.x() / scale, y0 + best.y() / scale, best.width() / scale,
                best.height() / scale, lm, best.score());
    }

    /**
     * The face with its five points measured by the optional 68-point landmark model (card
     * role LANDMARKS), or {@code face} unchanged when that model is not available.
     */
    public DetectedFace landmarks68(FaceImage image, DetectedFace face) {
        if (landmarkNet == null) {
            return face;
        }
        double side = 1.05 * Math.max(face.width(), face.height());
        double cx = face.x() + face.width() / 2;
        double cy = face.y() + face.height() / 2 - 0.02 * side;
        int x0 = (int) Math.max(0, Math.round(cx - side / 2));
        int y0 = (int) Math.max(0, Math.round(cy - side / 2));
        int x1 = (int) Math.min(image.width(), Math.round(cx + side / 2));
        int y1 = (int) Math.min(image.height(), Math.round(cy + side / 2));
        if (x1 - x0 < 16 || y1 - y0 < 16) {
            return face;
        }
        ModelCard.Input in = models.landmarks().orElseThrow().card().input();
        float[] p;
        try (Mat roi = new Mat(image.full(), new Rect(x0, y0, x1 - x0, y1 - y0)); Mat grey = new Mat();
             Mat small = new Mat()) {
            cvtColor(roi, grey, COLOR_BGR2GRAY);
            resize(grey, small, new Size(in.width(), in.height()), 0, 0, INTER_AREA);
            try (Mat blob = opencv_dnn.blobFromImage(small, in.scale(), new Size(in.width(), in.height()),
                    new Scalar(in.mean(), in.mean(), in.mean(), 0), false, false, CV_32F)) {
                landmarkNet.setInput(blob);
                try (Mat out = landmarkNet.forward()) {
                    p = new float[(int) out.total()];
                    ((FloatBuffer) out.createBuffer()).get(p);
                }
            }
        }
        double w = x1 - x0;
        double h = y1 - y0;
        int[][] groups = {{37, 38, 40, 41}, {43, 44, 46, 47}, {30}, {48, 60}, {54, 64}};
        double[] lm = new double[10];
        for (int k = 0; k < 5; k++) {
            double sx = 0;
            double sy = 0;
            for (int idx : groups[k]) {
                sx += p[2 * idx];
                sy += p[2 * idx + 1];
            }
            lm[2 * k] = x0 + w * sx / groups[k].length;
            lm[2 * k + 1] = y0 + h * sy / groups[k].length;
        }
        return new DetectedFace(face.x(), face.y(), face.width(), face.height(), lm, face.score());
    }

    /**
     * The face's yaw proxy ({@link DetectedFace#yaw()}) from the 68-point landmark model when it
     * is available (3 to 10 times less frame-to-frame jitter than YuNet's five points on the
     * shared photos, see docs/face.md), otherwise from YuNet's landmarks.
     */
    public double yaw(FaceImage image, DetectedFace face) {
        return landmarks68(image, face).yaw();
    }

    /** True when yaw comes from the 68-point landmark model. */
    public boolean hasLandmarkModel() {
        return landmarkNet != null;
    }

    /** The face aligned onto the recognizer's template: a {@code size x size} BGR image. */
    public Mat align(FaceImage image, DetectedFace face) {
        double[] m = similarity(face.points(), template);
        Mat aligned = new Mat();
        try (Mat affine = new Mat(2, 3, CV_64F); DoubleIndexer idx = affine.createIndexer()) {
            for (int i = 0; i < 6; i++) {
                idx.put(i / 3, i % 3, m[i]);
            }
            warpAffine(image.full(), aligned, affine, new Size(alignSize, alignSize));
        }
        return aligned;
    }

    /** The recognizer's input blob for an aligned face, normalised as its card says. */
    public Mat blob(Mat aligned) {
        ModelCard.Input in = models.recognizer().card().input();
        double mean = in.mean();
        return opencv_dnn.blobFromImage(aligned, in.scale(), new Size(alignSize, alignSize),
                new Scalar(mean, mean, mean, 0), in.colourOrder() == ModelCard.ColourOrder.RGB, false, CV_32F);
    }

    /** Runs the recognizer on a prepared blob; returns the raw (not normalised) output. */
    public float[] forward(Mat blob) {
        recognizer.setInput(blob);
        try (Mat out = recognizer.forward()) {
            float[] v = new float[(int) out.total()];
            FloatBuffer buffer = out.createBuffer();
            buffer.get(v);
            return v;
        }
    }

    /** The L2-normalised embedding of one detected face. */
    public float[] embed(FaceImage image, DetectedFace face) {
        try (Mat aligned = align(image, face); Mat blob = blob(aligned)) {
            return normalise(forward(blob));
        }
    }

    /** Scales {@code v} to unit length in place and returns it. */
    public static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }

    /** Cosine similarity of two embeddings (1 = same direction). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /**
     * The least-squares 2-D similarity (rotation, uniform scale, shift) taking {@code src} onto
     * {@code dst} (Umeyama's closed form), as a row-major 2x3 matrix {@code [a -b tx; b a ty]}.
     */
    public static double[] similarity(double[][] src, double[][] dst) {
        int n = src.length;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[i][0];
            sy += src[i][1];
            dx += dst[i][0];
            dy += dst[i][1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double dotSum = 0, crossSum = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = src[i][0] - sx, py = src[i][1] - sy;
            double qx = dst[i][0] - dx, qy = dst[i][1] - dy;
            dotSum += px * qx + py * qy;
            crossSum += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm < 1e-12) {
            throw new IllegalArgumentException("degenerate landmarks");
        }
        double a = dotSum / norm;
        double b = crossSum / norm;
        double tx = dx - (a * sx - b * sy);
        double ty = dy - (b * sx + a * sy);
        return new double[] {a, -b, tx, b, a, ty};
    }

    @Override
    public void close() {
        detector.close();
        recognizer.close();
        if (landmarkNet != null) {
            landmarkNet.close();
        }
    }
}

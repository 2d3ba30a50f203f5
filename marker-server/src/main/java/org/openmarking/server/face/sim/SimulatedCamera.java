package org.openmarking.server.face.sim;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.openmarking.server.face.BadImageException;
import org.openmarking.server.face.Challenge;
import org.openmarking.server.face.DetectedFace;
import org.openmarking.server.face.FaceCheckConfig;
import org.openmarking.server.face.FaceEngine;
import org.openmarking.server.face.FaceImage;
import org.openmarking.server.face.FaceModelsUnavailableException;
import org.openmarking.server.face.ModelRegistry;

/**
 * A webcam for the demo's simulated markers and for tests: from a still photo of a person it
 * films a burst that answers a head-turn challenge, as a real marker's client would send it
 * (640x480 JPEG frames, un-mirrored).
 *
 * <p>The turn imitates a head turning about its vertical axis: the face gets a depth map (a
 * paraboloid over the face box plus a bump at the nose tip, about 0.4 inter-ocular distances in
 * front of the eyes as on a real face) and each pixel moves sideways by {@code depth x sin(angle)}
 * while the face is compressed by {@code cos(angle)}. Deeper points (the nose) move further than
 * the eyes, which is the cue the verifier reads. It is not a 3-D rendering: the far cheek is not
 * hidden and the lighting does not change. Each burst is framed differently (zoom, position,
 * exposure, and a random smooth background behind the head; see {@link #background()}).
 *
 * <p>Not thread-safe: one camera per thread, or synchronise (its methods are synchronized).
 */
public final class SimulatedCamera implements AutoCloseable {
    /** Depth of the nose tip in front of the eyes, in inter-ocular distances (real faces: about 0.35-0.45). */
    public static final double NOSE_DEPTH = 0.4;
    static final double HEAD_DEPTH = 0.7;
    /** Degrees per frame of an 8-frame turn: still for a third, then to 35 degrees. */
    private static final double[] TURN = {0, 2, 0, 10, 20, 30, 35, 35};
    /** Largest enlargement of the photo into the 640x480 frame. */
    private static final double MAX_UPSCALE = 1.5;

    private final FaceEngine engine;
    private final SplittableRandom random;

    public SimulatedCamera(FaceEngine engine, long seed) {
        this.engine = engine;
        this.random = new SplittableRandom(seed);
    }

    /** A camera with its own engine on the verified models of {@code modelsDir}. */
    public static SimulatedCamera open(Path modelsDir, long seed) throws IOException, FaceModelsUnavailableException {
        return new SimulatedCamera(new FaceEngine(ModelRegistry.open(modelsDir).faceCheckModels(null), FaceCheckConfig.defaults()),
                seed);
    }

    /**
     * A burst of {@code frames} frames of the person in {@code photo} turning as {@code direction}
     * asks: still for the first third, then turning to 35 degrees.
     */
    public synchronized List<byte[]> burst(byte[] photo, Challenge.Direction direction, int frames) throws BadImageException {
        List<byte[]> out = new ArrayList<>(frames);
        try (FaceImage view = engine.fromBgr(frame(photo))) { // the view owns the framed image
            DetectedFace face = onlyFace(view);
            for (int i = 0; i < frames; i++) {
                double degrees = TURN[(int) Math.round(i * (TURN.length - 1) / (double) Math.max(1, frames - 1))];
                try (Mat turned = turn(view.full(), face, Math.toRadians(degrees * direction.sign()))) {
                    out.add(FaceImage.encodeJpeg(turned, 90));
                }
            }
        }
        return out;
    }

    /** The photo framed like a webcam view: 640x480 around the face, with this burst's zoom, position and exposure. */
    private Mat frame(byte[] photo) throws BadImageException {
        try (FaceImage image = engine.decode(photo)) {
            DetectedFace f = onlyFace(image);
            double h = Math.min(image.height(), (2.6 + 0.8 * random.nextDouble()) * f.height());
            double w = Math.min(image.width(), h * 4 / 3);
            h = w * 3 / 4;
            double cx = f.x() + f.width() / 2 + (random.nextDouble() - 0.5) * 0.3 * w;
            double cy = f.y() + f.height() / 2 + (random.nextDouble() - 0.5) * 0.2 * h;
            int x0 = (int) Math.max(0, Math.min(image.width() - w, cx - w / 2));
            int y0 = (int) Math.max(0, Math.min(image.height() - h, cy - h / 2));
            Mat webcam = background();
            // A small photo is not blown up past MAX_UPSCALE: a webcam sees a far face small, not blurred.
            double k = Math.min(640 / w, MAX_UPSCALE);
            int sw = (int) Math.round(w * k);
            int sh = (int) Math.round(h * k);
            Rect placed = new Rect((640 - sw) / 2, (480 - sh) / 2, sw, sh);
            try (Mat roi = new Mat(image.full(), new Rect(x0, y0, (int) w, (int) h)); Mat sized = new Mat();
                 Mat canvas = webcam.clone(); Mat head = new Mat(480, 640, CV_8UC1, new Scalar(0));
                 Mat inside = new Mat(480, 640, CV_8UC1, new Scalar(0))) {
                resize(roi, sized, new Size(sw, sh), 0, 0, k < 1 ? INTER_AREA : INTER_LINEAR);
                try (Mat target = new Mat(canvas, placed)) {
                    sized.convertTo(target, -1, 0.85 + 0.3 * random.nextDouble(), -12 + 24 * random.nextDouble());
                }
                ellipse(head, new Point((int) ((f.x() + f.width() / 2 - x0) * k) + placed.x(),
                                (int) ((f.y() + f.height() * 0.45 - y0) * k) + placed.y()),
                        new Size((int) (0.9 * f.width() * k), (int) (1.3 * f.height() * k)), 0, 0, 360, new Scalar(255), -1, LINE_8, 0);
                try (Mat in = new Mat(inside, placed)) {
                    in.setTo(new Mat(1, 1, CV_8UC1, new Scalar(255)));
                }
                bitwise_and(head, inside, head);
                canvas.copyTo(webcam, head);
            }
            return webcam;
        }
    }

    /**
     * A smooth random room behind the head, new for every burst. Two bursts of one still photo
     * framed alike are perceptually near-identical and would rightly be refused as a replay; a
     * real marker's bursts differ in pose, light and the scene, which this stands in for.
     */
    private Mat background() {
        Mat out = new Mat();
        try (Mat small = new Mat(6, 8, CV_8UC3)) {
            try (UByteIndexer idx = small.createIndexer()) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 8; x++) {
                        for (int c = 0; c < 3; c++) {
                            idx.put(y, x, c, 40 + random.nextInt(170));
                        }
                    }
                }
            }
            resize(small, out, new Size(640, 480), 0, 0, INTER_CUBIC);
        }
        return out;
    }

    private DetectedFace onlyFace(FaceImage image) {
        List<DetectedFace> faces = engine.detect(image);
        if (faces.size() != 1) {
            throw new IllegalArgumentException("the photo must hold exactly one face, found " + faces.size());
        }
        return engine.refine(image, faces.get(0));
    }

    /**
     * {@code src} with the face turned by {@code rad} about a vertical axis (positive: the
     * subject's own left), under the depth model described on the class. The caller closes the result.
     */
    public static Mat turn(Mat src, DetectedFace face, double rad) {
        int w = src.cols();
        int h = src.rows();
        double cx = face.x() + face.width() / 2;
        double cy = face.y() + face.height() / 2;
        double ax = face.width() * 0.6;
        double ay = face.height() * 0.65;
        double iod = face.interOcular();
        double nx = face.lx(DetectedFace.NOSE);
        double ny = face.ly(DetectedFace.NOSE);
        double headDepth = HEAD_DEPTH * ax;
        double sin = Math.sin(rad);
        double cos = Math.cos(rad);
        Mat mapX = new Mat(h, w, CV_32F);
        Mat mapY = new Mat(h, w, CV_32F);
        try (FloatIndexer mx = mapX.createIndexer(); FloatIndexer my = mapY.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sx = x;
                    for (int it = 0; it < 12; it++) {
                        sx = x - displacement(sx, y, cx, cy, ax, ay, headDepth, nx, ny, iod, sin, cos);
                    }
                    mx.put(y, x, (float) sx);
                    my.put(y, x, y);
                }
            }
        }
        Mat out = new Mat();
        remap(src, out, mapX, mapY, INTER_LINEAR, BORDER_REPLICATE, new Scalar());
        mapX.close();
        mapY.close();
        return out;
    }

    private static double displacement(double x, double y, double cx, double cy, double ax, double ay,
                                       double headDepth, double nx, double ny, double iod, double sin, double cos) {
        double rx = (x - cx) / ax;
        double ry = (y - cy) / ay;
        double r2 = rx * rx + ry * ry;
        double inside = Math.max(0, 1 - r2); // 1 at the centre, 0 at the face's edge
        double z = headDepth * inside;
        double gx = (x - nx) / (0.3 * iod);
        double gy = (y - ny) / (0.55 * iod);
        z += NOSE_DEPTH * iod * Math.exp(-(gx * gx + gy * gy) / 2) * Math.min(1, 3 * inside);
        double weight = Math.min(1, 2 * inside);
        return z * sin + (x - cx) * (cos - 1) * weight;
    }

    @Override
    public void close() {
        engine.close();
    }
}

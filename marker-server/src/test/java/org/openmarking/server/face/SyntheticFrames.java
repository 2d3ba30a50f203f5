package org.openmarking.server.face;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Synthetic bursts made from still photos, for tests only.
 *
 * <p>{@link #headTurn} imitates a head turning about its vertical axis: it gives the face a
 * depth map (a paraboloid over the face box plus a bump at the nose tip, about 0.4 inter-ocular
 * distances in front of the eyes as on a real face) and moves each pixel sideways by
 * {@code depth x sin(angle)} while compressing the face by {@code cos(angle)}. Deeper points (the
 * nose) move further than the eyes, which is the cue the verifier reads. It is not a 3-D
 * rendering: the far cheek is not hidden and lighting does not change.
 */
final class SyntheticFrames {
    /** Depth of the nose tip in front of the eyes, in inter-ocular distances (real faces: about 0.35-0.45). */
    static final double NOSE_DEPTH = 0.4;
    static final double HEAD_DEPTH = 0.7;

    private SyntheticFrames() {}

    static byte[] jpeg(Mat bgr, int quality) {
        return FaceImage.encodeJpeg(bgr, quality);
    }

    static DetectedFace onlyFace(FaceEngine engine, FaceImage image) {
        List<DetectedFace> faces = engine.detect(image);
        if (faces.size() != 1) {
            throw new IllegalStateException("test photo must hold one face, found " + faces);
        }
        return engine.refine(image, faces.get(0));
    }

    /** One frame per angle (degrees; positive turns the subject to their own left). */
    static List<byte[]> headTurn(FaceEngine engine, byte[] photo, double... anglesDeg) throws BadImageException {
        List<byte[]> frames = new ArrayList<>();
        try (FaceImage image = engine.decode(photo)) {
            DetectedFace face = onlyFace(engine, image);
            for (double a : anglesDeg) {
                try (Mat turned = turn(image.full(), face, Math.toRadians(a))) {
                    frames.add(jpeg(turned, 92));
                }
            }
        }
        return frames;
    }

    /** Expected change of {@link DetectedFace#yaw()} for a turn by {@code rad} under this model. */
    static double predictedYawChange(double rad) {
        // Nose moves (noseDepth + head-depth difference between eye and nose) x sin; eyes come closer by cos.
        return NOSE_DEPTH * Math.sin(rad) / Math.cos(rad);
    }

    static Mat turn(Mat src, DetectedFace face, double rad) {
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

    /** The same photo shifted and scaled a little per frame: a still photo moved in front of the camera. */
    static List<byte[]> rigidShifts(byte[] photo, FaceEngine engine, int frames) throws BadImageException {
        List<byte[]> out = new ArrayList<>();
        try (FaceImage image = engine.decode(photo)) {
            for (int i = 0; i < frames; i++) {
                double s = 1 + 0.03 * i;
                double tx = 6.0 * i;
                double ty = -3.0 * i;
                try (Mat m = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F);
                     DoubleIndexer idx = m.createIndexer(); Mat moved = new Mat()) {
                    double[] v = {s, 0, tx, 0, s, ty};
                    for (int k = 0; k < 6; k++) {
                        idx.put(k / 3, k % 3, v[k]);
                    }
                    warpAffine(image.full(), moved, m, image.full().size(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
                    out.add(jpeg(moved, 92));
                }
            }
        }
        return out;
    }

    /**
     * A printed photo rotated about a vertical axis in front of a camera (a plane seen in
     * perspective, focal length = image width): the attack a yaw check must tell from a head.
     */
    static List<byte[]> planarTilt(byte[] photo, FaceEngine engine, double... anglesDeg) throws BadImageException {
        List<byte[]> out = new ArrayList<>();
        try (FaceImage image = engine.decode(photo)) {
            double f = image.width();
            double cx = image.width() / 2.0;
            double cy = image.height() / 2.0;
            for (double a : anglesDeg) {
                double t = Math.toRadians(a);
                // Plane point (u,v) = pixel - centre, turned by t about the vertical axis at distance f:
                // x = cx + f u cos t / (f + u sin t), y = cy + f v / (f + u sin t).
                double[] m = {
                    f * Math.cos(t) + cx * Math.sin(t), 0, cx * f,
                    cy * Math.sin(t), f, cy * f,
                    Math.sin(t), 0, f};
                double[] hTotal = multiply(m, new double[] {1, 0, -cx, 0, 1, -cy, 0, 0, 1});
                try (Mat hMat = new Mat(3, 3, org.bytedeco.opencv.global.opencv_core.CV_64F);
                     DoubleIndexer idx = hMat.createIndexer(); Mat warped = new Mat()) {
                    for (int k = 0; k < 9; k++) {
                        idx.put(k / 3, k % 3, hTotal[k]);
                    }
                    warpPerspective(image.full(), warped, hMat, image.full().size(), INTER_LINEAR, BORDER_REPLICATE,
                            new Scalar());
                    out.add(jpeg(warped, 92));
                }
            }
        }
        return out;
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[3 * i + j] += a[3 * i + k] * b[3 * k + j];
                }
            }
        }
        return c;
    }

    /** Two photos side by side at the same height. */
    static byte[] sideBySide(FaceEngine engine, byte[] left, byte[] right) throws BadImageException {
        try (FaceImage a = engine.decode(left); FaceImage b = engine.decode(right);
             Mat bScaled = new Mat(); Mat both = new Mat()) {
            int height = a.height();
            resize(b.full(), bScaled, new Size((int) Math.round(b.width() * (double) height / b.height()), height));
            hconcat(a.full(), bScaled, both);
            return jpeg(both, 92);
        }
    }

    /** A face-free frame: smooth random texture, different per seed. */
    static byte[] texture(long seed) {
        Random random = new Random(seed);
        try (Mat small = new Mat(12, 16, CV_8UC3); Mat big = new Mat()) {
            try (UByteIndexer idx = small.createIndexer()) {
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 16; x++) {
                        for (int c = 0; c < 3; c++) {
                            idx.put(y, x, c, random.nextInt(256));
                        }
                    }
                }
            }
            resize(small, big, new Size(640, 480), 0, 0, INTER_LINEAR);
            return jpeg(big, 90);
        }
    }
}

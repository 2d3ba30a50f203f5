package org.openmarking.server.face;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.split;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * The YuNet detector network run directly through {@code cv::dnn}, with the input blob built in
 * one cheap pass and the outputs decoded here exactly as OpenCV 4.10's
 * {@code FaceDetectorYN::postProcess} does (same formulas in float, same NMS call).
 *
 * <p>Why not {@code FaceDetectorYN}: it pads the frame with {@code copyMakeBorder} and then runs
 * {@code blobFromImage}, which converts, subtracts a zero mean and splits in several passes:
 * about 5 ms of a 640x480 frame against a 17 ms forward, paid on every frame of a burst. Here
 * the padded NCHW blob is kept between frames of the same size (its padding stays zero) and each
 * frame costs one {@code split} and three {@code convertTo} straight into the blob's planes.
 * {@code FaceEngineTest} checks that the faces equal {@code FaceDetectorYN}'s.
 *
 * <p>Not thread-safe (the network and the reused blob); one per {@link FaceEngine}.
 */
final class YuNet implements AutoCloseable {
    /** YuNet's input must be a multiple of its largest stride; FaceDetectorYN pads to it. */
    private static final int DIVISOR = 32;
    private static final int[] STRIDES = {8, 16, 32};
    /** FaceDetectorYN's order: all cls, then obj, bbox, kps, each at strides 8, 16, 32. */
    private static final String[] OUTPUTS = {"cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32",
        "bbox_8", "bbox_16", "bbox_32", "kps_8", "kps_16", "kps_32"};
    /** One face row as FaceDetectorYN gives it: x, y, w, h, 5 landmarks as x,y, score. */
    static final int ROW = 15;

    private final Net net;
    private final StringVector outNames;
    private final MatVector outs = new MatVector();
    private final MatVector bytePlanes = new MatVector();
    private final float scoreThreshold;
    private final float nmsThreshold;
    private final int topK;
    /** The padded 1x3xHxW blob and headers over its three planes, reused while the size holds. */
    private Mat blob;
    private final Mat[] planes = new Mat[3];
    private int blobWidth;
    private int blobHeight;

    YuNet(byte[] model, float scoreThreshold, float nmsThreshold, int topK) {
        this.net = opencv_dnn.readNetFromONNX(model);
        if (net == null || net.empty()) {
            throw new IllegalStateException("OpenCV could not load the YuNet detector");
        }
        Set<String> present = new HashSet<>();
        StringVector names = net.getUnconnectedOutLayersNames();
        for (long i = 0; i < names.size(); i++) {
            // getString() keeps the std::string's terminating NUL here.
            present.add(names.get(i).getString().replace("\0", ""));
        }
        for (String name : OUTPUTS) {
            if (!present.contains(name)) {
                net.close();
                throw new IllegalStateException("detector has no output " + name + " (has " + present + "): not YuNet 2023mar");
            }
        }
        this.outNames = new StringVector(OUTPUTS);
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
        this.topK = topK;
    }

    /**
     * Faces in a BGR 8-bit image, in its pixel coordinates, as rows of {@value #ROW} floats
     * (FaceDetectorYN's layout), in NMS order (best first).
     */
    List<float[]> detect(Mat bgr) {
        if (bgr.empty()) {
            return new ArrayList<>(); // as FaceDetectorYN: no image, no face
        }
        if (bgr.type() != CV_8UC3) {
            throw new IllegalArgumentException("detector input must be 8-bit BGR, got type " + bgr.type());
        }
        int width = bgr.cols();
        int height = bgr.rows();
        int padW = ((width - 1) / DIVISOR + 1) * DIVISOR;
        int padH = ((height - 1) / DIVISOR + 1) * DIVISOR;
        fillBlob(bgr, padW, padH);
        net.setInput(blob);
        net.forward(outs, outNames);
        return nms(decode(padW, padH));
    }

    /** Writes the image into the blob's planes as floats; the padding right and below stays 0. */
    private void fillBlob(Mat bgr, int padW, int padH) {
        if (blob == null || padW != blobWidth || padH != blobHeight) {
            releaseBlob();
            blob = new Mat(new int[] {1, 3, padH, padW}, CV_32F, Scalar.all(0));
            for (int c = 0; c < 3; c++) {
                // Headers over plane c of the blob (no copy, no ownership): the blob field keeps the memory.
                planes[c] = new Mat(padH, padW, CV_32F, blob.ptr(0, c));
            }
            blobWidth = padW;
            blobHeight = padH;
        }
        split(bgr, bytePlanes);
        try (Rect area = new Rect(0, 0, bgr.cols(), bgr.rows())) {
            for (int c = 0; c < 3; c++) {
                // dst is a view of the plane's top-left corner: convertTo writes into the blob.
                try (Mat src = bytePlanes.get(c); Mat dst = planes[c].apply(area)) {
                    src.convertTo(dst, CV_32F);
                }
            }
        }
    }

    /** FaceDetectorYN::postProcess before NMS: every cell scoring at least the threshold. */
    private List<float[]> decode(int padW, int padH) {
        List<float[]> faces = new ArrayList<>();
        for (int i = 0; i < STRIDES.length; i++) {
            int stride = STRIDES[i];
            int cols = padW / stride;
            int rows = padH / stride;
            int cells = cols * rows;
            FloatBuffer cls = output(i, cells);
            FloatBuffer obj = output(i + 3, cells);
            FloatBuffer bbox = output(i + 6, 4 * cells);
            FloatBuffer kps = output(i + 9, 10 * cells);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int idx = r * cols + c;
                    float clsScore = Math.max(Math.min(cls.get(idx), 1f), 0f);
                    float objScore = Math.max(Math.min(obj.get(idx), 1f), 0f);
                    // sqrt in double of a float, rounded to float, equals C++'s float std::sqrt.
                    float score = (float) Math.sqrt(clsScore * objScore);
                    if (score < scoreThreshold) {
                        continue;
                    }
                    float cx = (c + bbox.get(idx * 4)) * stride;
                    float cy = (r + bbox.get(idx * 4 + 1)) * stride;
                    float w = (float) Math.exp(bbox.get(idx * 4 + 2)) * stride;
                    float h = (float) Math.exp(bbox.get(idx * 4 + 3)) * stride;
                    float[] face = new float[ROW];
                    face[0] = cx - w / 2f;
                    face[1] = cy - h / 2f;
                    face[2] = w;
                    face[3] = h;
                    for (int n = 0; n < 5; n++) {
                        face[4 + 2 * n] = (kps.get(idx * 10 + 2 * n) + c) * stride;
                        face[4 + 2 * n + 1] = (kps.get(idx * 10 + 2 * n + 1) + r) * stride;
                    }
                    face[14] = score;
                    faces.add(face);
                }
            }
        }
        return faces;
    }

    /**
     * A view of output {@code i} as floats, checked to hold {@code expected} of them so that a
     * model with other shapes fails here instead of reading past the native buffer.
     */
    private FloatBuffer output(int i, int expected) {
        Mat out = outs.get(i);
        if (out.total() != expected || out.depth() != CV_32F || !out.isContinuous()) {
            throw new IllegalStateException("detector output " + OUTPUTS[i] + " has " + out.total()
                    + " values, expected " + expected + " floats");
        }
        // A view (no copy) valid while outs holds this output, i.e. until the next forward.
        return new FloatPointer(out.data()).capacity(expected).asBuffer();
    }

    /** FaceDetectorYN's NMS: integer boxes (truncated), only when more than one face is found. */
    private List<float[]> nms(List<float[]> faces) {
        if (faces.size() <= 1) {
            return faces;
        }
        float[] scores = new float[faces.size()];
        List<float[]> kept = new ArrayList<>();
        try (RectVector boxes = new RectVector(faces.size()); FloatPointer scorePtr = new FloatPointer(faces.size());
             IntPointer keep = new IntPointer()) {
            for (int k = 0; k < faces.size(); k++) {
                float[] f = faces.get(k);
                try (Rect box = new Rect((int) f[0], (int) f[1], (int) f[2], (int) f[3])) {
                    boxes.put(k, box);
                }
                scores[k] = f[14];
            }
            scorePtr.put(scores);
            opencv_dnn.NMSBoxes(boxes, scorePtr, scoreThreshold, nmsThreshold, keep, 1f, topK);
            // NMSBoxes hands back a new native array; its limit is the number of kept boxes.
            for (long k = 0; k < keep.limit(); k++) {
                kept.add(faces.get(keep.get(k)));
            }
        }
        return kept;
    }

    private void releaseBlob() {
        for (int c = 0; c < 3; c++) {
            if (planes[c] != null) {
                planes[c].close();
                planes[c] = null;
            }
        }
        if (blob != null) {
            blob.close();
            blob = null;
        }
    }

    @Override
    public void close() {
        releaseBlob();
        bytePlanes.close();
        outs.close();
        outNames.close();
        net.close();
    }
}

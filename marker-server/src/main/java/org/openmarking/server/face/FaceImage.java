package org.openmarking.server.face;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A decoded BGR image and its copy shrunk for detection. Holds native memory: close it.
 * Never log its pixels.
 */
public final class FaceImage implements AutoCloseable {
    private final Mat full;
    private final Mat small;
    private final double scale;

    FaceImage(Mat full, Mat small, double scale) {
        this.full = full;
        this.small = small;
        this.scale = scale;
    }

    /** The full-size BGR image. */
    public Mat full() {
        return full;
    }

    /** The image the detector sees (long side at most the configured limit). */
    public Mat small() {
        return small;
    }

    /** Size of {@link #small()} relative to {@link #full()} (at most 1). */
    public double scale() {
        return scale;
    }

    public int width() {
        return full.cols();
    }

    public int height() {
        return full.rows();
    }

    @Override
    public void close() {
        if (small != full) {
            small.close();
        }
        full.close();
    }

    /** Encodes a BGR image as JPEG (for tools and tests that make frames). */
    public static byte[] encodeJpeg(Mat bgr, int quality) {
        try (BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", bgr, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }
}

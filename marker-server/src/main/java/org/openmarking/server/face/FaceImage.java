package org.openmarking.server.face;

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
}

package org.openmarking.server.face;

/**
 * One face found by the detector, in the pixel coordinates of the decoded (full-size) image.
 *
 * <p>{@code landmarks} holds YuNet's five points as x,y pairs in this order: the subject's right
 * eye (on the image's left in an un-mirrored frame), left eye, nose tip, right mouth corner, left
 * mouth corner.
 */
public record DetectedFace(double x, double y, double width, double height, double[] landmarks, double score) {

    public static final int RIGHT_EYE = 0;
    public static final int LEFT_EYE = 1;
    public static final int NOSE = 2;

    public DetectedFace {
        if (landmarks == null || landmarks.length != 10) {
            throw new IllegalArgumentException("a face has 5 landmarks (10 numbers)");
        }
        landmarks = landmarks.clone();
    }

    /** x of landmark {@code i} (0..4). */
    public double lx(int i) {
        return landmarks[2 * i];
    }

    /** y of landmark {@code i} (0..4). */
    public double ly(int i) {
        return landmarks[2 * i + 1];
    }

    /** Distance between the two eyes, in pixels. */
    public double interOcular() {
        return Math.hypot(lx(LEFT_EYE) - lx(RIGHT_EYE), ly(LEFT_EYE) - ly(RIGHT_EYE));
    }

    /**
     * A head-yaw proxy: the nose tip's offset from the eye midpoint along the eye axis, divided by
     * the inter-ocular distance. It is unchanged by shifting, scaling or rolling the image, and
     * grows when the subject turns to their own left in an un-mirrored frame (the nose moves
     * toward the left eye, which is on the image's right). About 0 for a frontal face.
     */
    public double yaw() {
        double ex = lx(LEFT_EYE) - lx(RIGHT_EYE);
        double ey = ly(LEFT_EYE) - ly(RIGHT_EYE);
        double iod = Math.hypot(ex, ey);
        if (iod < 1e-6) {
            return 0;
        }
        double mx = (lx(LEFT_EYE) + lx(RIGHT_EYE)) / 2;
        double my = (ly(LEFT_EYE) + ly(RIGHT_EYE)) / 2;
        return ((lx(NOSE) - mx) * ex + (ly(NOSE) - my) * ey) / (iod * iod);
    }

    /** The face's landmarks as {@code double[5][2]}. */
    public double[][] points() {
        double[][] p = new double[5][2];
        for (int i = 0; i < 5; i++) {
            p[i][0] = lx(i);
            p[i][1] = ly(i);
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format("DetectedFace[box=%.0f,%.0f %.0fx%.0f score=%.3f yaw=%.3f]", x, y, width, height, score, yaw());
    }
}

package org.openmarking.server.ingest;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Where a scanned page sits: the homography from scan pixels to template
 * millimetres, found from the fiducials. Cuts template regions out of the scan
 * at any resolution, warping only the pixels of that region.
 */
public final class PageGeometry {
    private final double[] imageToMm;
    private final double errorMm;
    private final int markersFound;

    PageGeometry(double[] imageToMm, double errorMm, int markersFound) {
        this.imageToMm = imageToMm.clone();
        this.errorMm = errorMm;
        this.markersFound = markersFound;
    }

    /** Mean distance (mm) between the marker corners found and where the homography puts them. */
    public double errorMm() {
        return errorMm;
    }

    public int markersFound() {
        return markersFound;
    }

    /**
     * The template region {@code r}, resampled upright from {@code scan} at {@code dpi};
     * pixels outside the scan come out white. Flatbed scans are affine, so the cheaper
     * affine warp is used whenever it lands within {@link #AFFINE_TOLERANCE_PX} of the
     * full perspective mapping at the region's corners.
     */
    public Mat cut(Mat scan, RectMm r, int dpi) {
        double k = dpi / 25.4;
        // destination pixel -> template mm -> scan pixel
        double[] dstToMm = {1 / k, 0, r.xMm(), 0, 1 / k, r.yMm(), 0, 0, 1};
        double[] m = multiply(invert(imageToMm), dstToMm);
        int w = r.widthPx(dpi);
        int h = r.heightPx(dpi);
        Mat out = new Mat();
        int flags = Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP;
        Scalar white = new Scalar(255);
        if (nearlyAffine(m, w, h)) {
            Mat a = new Mat(2, 3, CvType.CV_64F);
            a.put(0, 0, m[0] / m[8], m[1] / m[8], m[2] / m[8], m[3] / m[8], m[4] / m[8], m[5] / m[8]);
            Imgproc.warpAffine(scan, out, a, new Size(w, h), flags, Core.BORDER_CONSTANT, white);
        } else {
            Mat p = new Mat(3, 3, CvType.CV_64F);
            p.put(0, 0, m);
            Imgproc.warpPerspective(scan, out, p, new Size(w, h), flags, Core.BORDER_CONSTANT, white);
        }
        return out;
    }

    /** Largest distance (scan pixels) the affine part of a map may stray from the whole. */
    static final double AFFINE_TOLERANCE_PX = 0.25;

    private static boolean nearlyAffine(double[] m, int w, int h) {
        for (double[] c : new double[][] {{0, 0}, {w, 0}, {w, h}, {0, h}}) {
            double z = m[6] * c[0] + m[7] * c[1] + m[8];
            double px = (m[0] * c[0] + m[1] * c[1] + m[2]);
            double py = (m[3] * c[0] + m[4] * c[1] + m[5]);
            double ax = px / m[8];
            double ay = py / m[8];
            if (Math.hypot(px / z - ax, py / z - ay) > AFFINE_TOLERANCE_PX) {
                return false;
            }
        }
        return true;
    }

    static double[] invert(double[] a) {
        double c00 = a[4] * a[8] - a[5] * a[7];
        double c01 = a[5] * a[6] - a[3] * a[8];
        double c02 = a[3] * a[7] - a[4] * a[6];
        double det = a[0] * c00 + a[1] * c01 + a[2] * c02;
        if (Math.abs(det) < 1e-15) {
            throw new IllegalStateException("singular page homography");
        }
        return new double[] {
            c00 / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
            c01 / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
            c02 / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det};
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return c;
    }

    /** Maps a scan pixel to template millimetres. */
    double[] toMm(double x, double y) {
        double[] h = imageToMm;
        double w = h[6] * x + h[7] * y + h[8];
        return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
    }
}

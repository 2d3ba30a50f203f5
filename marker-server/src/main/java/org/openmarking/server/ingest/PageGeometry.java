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
     * pixels outside the scan come out white.
     */
    public Mat cut(Mat scan, RectMm r, int dpi) {
        double k = dpi / 25.4;
        double[] s = {k, 0, -k * r.xMm(), 0, k, -k * r.yMm(), 0, 0, 1};
        double[] m = multiply(s, imageToMm);
        Mat h = new Mat(3, 3, CvType.CV_64F);
        h.put(0, 0, m);
        Mat out = new Mat();
        Imgproc.warpPerspective(scan, out, h, new Size(r.widthPx(dpi), r.heightPx(dpi)),
                Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(255));
        return out;
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

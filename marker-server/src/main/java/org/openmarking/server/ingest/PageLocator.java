package org.openmarking.server.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.ArucoDetector;
import org.opencv.objdetect.DetectorParameters;
import org.opencv.objdetect.Objdetect;

/**
 * Finds a page frame's four corner fiducials in a grey scan and fits the
 * scan-to-template homography. Searches a copy reduced to about 75 dpi first, with
 * detector settings tuned to the markers' expected size, then with OpenCV's
 * default settings, and the full image only when both find fewer than three markers; the distinct id
 * per corner makes rotated and upside-down pages come out upright. Not
 * thread-safe (one per worker thread).
 */
public final class PageLocator {
    /** The fast pass reduces the page by a power of two to at least this width (A4): about 75 dpi. */
    static final int REDUCED_WIDTH_PX = 600;
    /** A fit worse than this (mean corner error, mm) is rejected. */
    static final double MAX_ERROR_MM = 1.5;

    private final PageFrame frame;
    private final ArucoDetector fast;
    private final ArucoDetector thorough;
    private final Map<Integer, BookletTemplate.Marker> markers = new HashMap<>();

    public PageLocator(PageFrame frame) {
        OpenCv.load();
        this.frame = frame;
        DetectorParameters thoroughParams = new DetectorParameters();
        thoroughParams.set_cornerRefinementMethod(Objdetect.CORNER_REFINE_SUBPIX);
        // The fast pass knows the markers' size on the reduced page (about 40 px across):
        // one adaptive-threshold window instead of three, and no small or huge contours.
        DetectorParameters fastParams = new DetectorParameters();
        fastParams.set_cornerRefinementMethod(Objdetect.CORNER_REFINE_SUBPIX);
        fastParams.set_adaptiveThreshWinSizeMin(15);
        fastParams.set_adaptiveThreshWinSizeMax(15);
        fastParams.set_minMarkerPerimeterRate(0.08);
        fastParams.set_maxMarkerPerimeterRate(0.6);
        this.fast = new ArucoDetector(OpenCv.dictionary(frame.markerDictionary()), fastParams);
        this.thorough = new ArucoDetector(OpenCv.dictionary(frame.markerDictionary()), thoroughParams);
        frame.markers().forEach(m -> markers.put(m.id(), m));
    }

    /** The page's geometry, or empty if fewer than three fiducials are found or they disagree. */
    public Optional<PageGeometry> locate(Mat grey) {
        double pageWidthPx = grey.cols() * 210.0 / frame.pageWidthMm();
        int k = 1;
        while (pageWidthPx / (2 * k) >= REDUCED_WIDTH_PX) {
            k *= 2;
        }
        Optional<PageGeometry> g = Optional.empty();
        if (k > 1) {
            // A power-of-two factor with the exact integer size takes OpenCV's fast area path
            // (about 4x cheaper than an arbitrary factor).
            Mat small = new Mat();
            Imgproc.resize(grey, small, new Size(grey.cols() / k, grey.rows() / k), 0, 0, Imgproc.INTER_AREA);
            double up = grey.cols() / (double) small.cols();
            g = fit(fast, small, up);
            if (g.isEmpty()) {
                g = fit(thorough, small, up);
            }
            small.release();
        }
        return g.isPresent() ? g : fit(thorough, grey, 1.0);
    }

    private Optional<PageGeometry> fit(ArucoDetector detector, Mat image, double upscale) {
        List<Mat> corners = new ArrayList<>();
        Mat ids = new Mat();
        detector.detectMarkers(image, corners, ids);
        List<Point> img = new ArrayList<>();
        List<Point> mm = new ArrayList<>();
        Map<Integer, Boolean> used = new HashMap<>();
        for (int i = 0; i < corners.size(); i++) {
            int id = (int) ids.get(i, 0)[0];
            BookletTemplate.Marker m = markers.get(id);
            if (m == null || used.put(id, true) != null) {
                continue;
            }
            double[][] t = frame.markerCornersMm(m);
            Mat c = corners.get(i);
            for (int k = 0; k < 4; k++) {
                double[] p = c.get(0, k);
                img.add(new Point((p[0] + 0.5) * upscale - 0.5, (p[1] + 0.5) * upscale - 0.5));
                mm.add(new Point(t[k][0], t[k][1]));
            }
        }
        if (used.size() < 3) {
            return Optional.empty();
        }
        Mat h = Calib3d.findHomography(new MatOfPoint2f(img.toArray(new Point[0])),
                new MatOfPoint2f(mm.toArray(new Point[0])), 0);
        if (h.empty()) {
            return Optional.empty();
        }
        double[] hv = new double[9];
        h.get(0, 0, hv);
        PageGeometry g = new PageGeometry(hv, 0, used.size());
        double err = 0;
        for (int i = 0; i < img.size(); i++) {
            double[] p = g.toMm(img.get(i).x, img.get(i).y);
            err += Math.hypot(p[0] - mm.get(i).x, p[1] - mm.get(i).y);
        }
        err /= img.size();
        return err <= MAX_ERROR_MM ? Optional.of(new PageGeometry(hv, err, used.size())) : Optional.empty();
    }
}

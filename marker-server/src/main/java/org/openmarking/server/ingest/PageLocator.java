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

/**
 * Finds a page frame's four corner fiducials in a grey scan and fits the
 * scan-to-template homography. Searches a copy reduced to about 100 dpi first and
 * the full image only when that finds fewer than three markers; the distinct id
 * per corner makes rotated and upside-down pages come out upright. Not
 * thread-safe (one per worker thread).
 */
public final class PageLocator {
    /** Search resolution for the fast pass, in pixels across an A4 page width. */
    static final int REDUCED_WIDTH_PX = 830;
    /** A fit worse than this (mean corner error, mm) is rejected. */
    static final double MAX_ERROR_MM = 1.5;

    private final PageFrame frame;
    private final ArucoDetector detector;
    private final Map<Integer, BookletTemplate.Marker> markers = new HashMap<>();

    public PageLocator(PageFrame frame) {
        OpenCv.load();
        this.frame = frame;
        DetectorParameters params = new DetectorParameters();
        params.set_cornerRefinementMethod(org.opencv.objdetect.Objdetect.CORNER_REFINE_SUBPIX);
        this.detector = new ArucoDetector(OpenCv.dictionary(frame.markerDictionary()), params);
        frame.markers().forEach(m -> markers.put(m.id(), m));
    }

    /** The page's geometry, or empty if fewer than three fiducials are found or they disagree. */
    public Optional<PageGeometry> locate(Mat grey) {
        double widthMm = frame.pageWidthMm();
        double scale = Math.min(1.0, REDUCED_WIDTH_PX / (grey.cols() * 210.0 / widthMm));
        Optional<PageGeometry> g = Optional.empty();
        if (scale < 0.9) {
            Mat small = new Mat();
            Imgproc.resize(grey, small, new Size(), scale, scale, Imgproc.INTER_AREA);
            g = fit(small, 1.0 / scale);
        }
        return g.isPresent() ? g : fit(grey, 1.0);
    }

    private Optional<PageGeometry> fit(Mat image, double upscale) {
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

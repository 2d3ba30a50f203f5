package org.openmarking.server.ingest;

import java.util.List;

/**
 * The part of a booklet layout that ingest needs before it knows the exam: page
 * size, the corner fiducials and the page-code box. Every template a pipeline
 * accepts must share its frame (see {@code docs/booklet-format.md}).
 */
public record PageFrame(
        double pageWidthMm,
        double pageHeightMm,
        String markerDictionary,
        double markerSizeMm,
        List<BookletTemplate.Marker> markers,
        RectMm pageCode) {

    public PageFrame {
        markers = List.copyOf(markers);
    }

    /** The whole page as a rectangle. */
    public RectMm page() {
        return new RectMm(0, 0, pageWidthMm, pageHeightMm);
    }

    /** The four corners of a marker in millimetres, in ArUco order (TL, TR, BR, BL). */
    public double[][] markerCornersMm(BookletTemplate.Marker m) {
        double s = markerSizeMm;
        return new double[][] {{m.xMm(), m.yMm()}, {m.xMm() + s, m.yMm()},
            {m.xMm() + s, m.yMm() + s}, {m.xMm(), m.yMm() + s}};
    }
}

package org.openmarking.server.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a standard answer booklet for a list of written items: the standard frame (the
 * sample template's page size, corner markers and page-code box), the identity area (name,
 * work number) on page 1 only, four answer boxes on page 1 and five on each further page,
 * full width. A board with its own print design writes the layout JSON by hand instead
 * (docs/booklet-format.md); this is what the demo and the tests print.
 */
public final class BookletLayouts {
    static final RectMm IDENTITY = new RectMm(20, 40, 170, 26);
    private static final double LEFT = 20;
    private static final double WIDTH = 170;
    private static final double GAP = 6;
    private static final double FIRST_TOP = 76;
    private static final double FIRST_HEIGHT = 44;
    private static final double NEXT_TOP = 40;
    private static final double NEXT_HEIGHT = 41;

    private BookletLayouts() {
    }

    /** A booklet for {@code items} (in order) of exam {@code examId}. */
    public static BookletTemplate standard(String examId, String title, List<String> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a booklet needs at least one written item");
        }
        BookletTemplate frame = BookletTemplate.sample();
        List<BookletTemplate.PageLayout> pages = new ArrayList<>();
        int next = 0;
        for (int page = 1; next < items.size(); page++) {
            boolean first = page == 1;
            int perPage = first ? 4 : 5;
            double top = first ? FIRST_TOP : NEXT_TOP;
            double height = first ? FIRST_HEIGHT : NEXT_HEIGHT;
            List<BookletTemplate.Item> boxes = new ArrayList<>();
            for (int k = 0; k < perPage && next < items.size(); k++, next++) {
                boxes.add(new BookletTemplate.Item(items.get(next), LEFT, top + k * (height + GAP), WIDTH, height));
            }
            pages.add(new BookletTemplate.PageLayout(page, first ? List.of(IDENTITY) : List.of(), boxes));
        }
        return new BookletTemplate(examId, title, frame.pageWidthMm(), frame.pageHeightMm(), frame.markerDictionary(),
                frame.markerSizeMm(), frame.markers(), frame.pageCode(), frame.responseDpi(), pages);
    }
}

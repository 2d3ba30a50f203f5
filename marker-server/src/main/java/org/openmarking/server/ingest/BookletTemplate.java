package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The printed layout of an exam's answer booklet, in millimetres: page size, the
 * four corner fiducials (ArUco markers, one distinct id per corner), the page-code
 * QR box, and per page the identity area(s) and each written item's answer box.
 * See {@code docs/booklet-format.md}. Checked at construction: every box inside
 * the page, answer boxes at least {@link #IDENTITY_CLEARANCE_MM} clear of identity
 * areas, item numbers unique.
 */
public record BookletTemplate(
        String examId,
        String title,
        double pageWidthMm,
        double pageHeightMm,
        String markerDictionary,
        double markerSizeMm,
        List<Marker> markers,
        RectMm pageCode,
        int responseDpi,
        List<PageLayout> pages) {

    /** How far (mm) every answer box must stay from every identity area. */
    public static final double IDENTITY_CLEARANCE_MM = 3.0;

    /** A fiducial: ArUco marker {@code id} printed upright with its top-left corner at (x, y). */
    public record Marker(int id, double xMm, double yMm) {
    }

    /** One written item's answer box. */
    public record Item(String item, double xMm, double yMm, double wMm, double hMm) {
        public RectMm rect() {
            return new RectMm(xMm, yMm, wMm, hMm);
        }
    }

    /** One page: its number (from 1), identity areas to keep out of responses, answer boxes. */
    public record PageLayout(int page, List<RectMm> identity, List<Item> items) {
        public PageLayout {
            identity = List.copyOf(identity == null ? List.of() : identity);
            items = List.copyOf(items == null ? List.of() : items);
        }
    }

    public BookletTemplate {
        markers = List.copyOf(markers);
        pages = List.copyOf(pages);
        if (markers.size() != 4 || markers.stream().map(Marker::id).distinct().count() != 4) {
            throw new IllegalArgumentException(examId + ": a template needs four markers with distinct ids");
        }
        if (responseDpi < 100 || responseDpi > 300) {
            throw new IllegalArgumentException(examId + ": responseDpi must be 100..300");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pages.size(); i++) {
            PageLayout p = pages.get(i);
            if (p.page() != i + 1) {
                throw new IllegalArgumentException(examId + ": pages must be numbered 1.." + pages.size());
            }
            for (Item item : p.items()) {
                if (!seen.add(item.item())) {
                    throw new IllegalArgumentException(examId + ": item " + item.item() + " appears twice");
                }
                if (!item.rect().within(pageWidthMm, pageHeightMm)) {
                    throw new IllegalArgumentException(examId + ": item " + item.item() + " leaves the page");
                }
                for (RectMm id : p.identity()) {
                    if (item.rect().intersects(id.grow(IDENTITY_CLEARANCE_MM))) {
                        throw new IllegalArgumentException(
                                examId + ": item " + item.item() + " comes within "
                                        + IDENTITY_CLEARANCE_MM + " mm of an identity area");
                    }
                }
            }
        }
    }

    /** The part of the layout every page shares: size, fiducials, page-code box. */
    public PageFrame frame() {
        return new PageFrame(pageWidthMm, pageHeightMm, markerDictionary, markerSizeMm, markers, pageCode);
    }

    /** The layout of page {@code page}, if the booklet has it. */
    public Optional<PageLayout> page(int page) {
        return page >= 1 && page <= pages.size() ? Optional.of(pages.get(page - 1)) : Optional.empty();
    }

    public int pageCount() {
        return pages.size();
    }

    /** Reads a template from JSON. */
    public static BookletTemplate read(InputStream json) throws IOException {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(json, BookletTemplate.class);
    }

    /** The sample template shipped in the jar ({@code ingest/templates/sample-exam.json}). */
    public static BookletTemplate sample() {
        try (InputStream in = BookletTemplate.class.getResourceAsStream("/ingest/templates/sample-exam.json")) {
            return read(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

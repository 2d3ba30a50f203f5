package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SampleScans} printed into each file: the ground truth tests check
 * every crop against. {@code expect} is INGESTED, DUPLICATE or QUARANTINED (then
 * {@code reason} names the {@link QuarantineReason}); a box's {@code content} is
 * the tag drawn in it, or {@code BLANK}.
 */
public record ScanManifest(long seed, String examId, List<FileEntry> files) {
    public static final String BLANK = "BLANK";

    /** One written file and the pages in it, in order. */
    public record FileEntry(String file, String format, List<PageEntry> pages) {
    }

    /** One page of a file. */
    public record PageEntry(int index, String bookletId, int page, String candidate, String workNumber,
            String expect, String reason, Distortion distortion, List<BoxEntry> boxes) {
    }

    /** One answer box and what was written in it. */
    public record BoxEntry(String item, String content) {
    }

    /** How the page was degraded. */
    public record Distortion(double rotationDeg, double scale, double shiftXMm, double shiftYMm,
            double noiseSigma, double blurSigma, int jpegQuality, boolean upsideDown) {
    }

    public void write(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    public static ScanManifest read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), ScanManifest.class);
    }
}

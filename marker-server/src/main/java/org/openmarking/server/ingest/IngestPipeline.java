package org.openmarking.server.ingest;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.QRCodeDetector;
import org.opencv.objdetect.QRCodeDetectorAruco;
import org.openmarking.server.crypto.EncryptedBlobStore;

/**
 * Ingests scan files: decode, find the fiducials, read the page code, check it,
 * cut each written answer box out upright at the template's response resolution,
 * encrypt and store it under an opaque id, and commit the page to the
 * {@link IngestLedger}. Anything unclear is quarantined with a
 * {@link QuarantineReason}, its original kept encrypted; a bad page never stops a
 * batch.
 *
 * <p>Per page the order is: blobs, then {@link IdentitySink}, then the ledger
 * commit, the single commit point. A crash before the commit leaves only
 * unreferenced blobs and identity links; rerunning the file redoes the page with
 * fresh ids. A scan page already ingested is skipped ({@link IngestReport.Outcome#DUPLICATE}); a
 * quarantined one is tried again each time it is submitted (the catalog may have
 * been fixed, or the rescan flag given) and stays quarantined if it fails again.
 *
 * <p>Not thread-safe (OpenCV detectors): use one pipeline per worker thread, all
 * sharing one ledger, sink and store.
 */
public final class IngestPipeline {
    /** Identity crops are stored at this resolution. */
    static final int IDENTITY_DPI = 150;
    /** JPEG quality of response images. */
    static final int RESPONSE_JPEG_QUALITY = 85;
    /** Below this fraction of ink pixels an answer box is flagged likely blank. */
    static final double BLANK_INK_RATIO = 0.002;

    private final PageFrame frame;
    private final BookletCatalog catalog;
    private final IngestLedger ledger;
    private final IdentitySink identity;
    private final EncryptedBlobStore blobs;
    private final SecureRandom random;
    private final PageLocator locator;
    private final QRCodeDetectorAruco qrFast;
    private final QRCodeDetector qr;

    public IngestPipeline(PageFrame frame, BookletCatalog catalog, IngestLedger ledger, IdentitySink identity,
            EncryptedBlobStore blobs, SecureRandom random) {
        OpenCv.load();
        this.frame = frame;
        this.catalog = catalog;
        this.ledger = ledger;
        this.identity = identity;
        this.blobs = blobs;
        this.random = random;
        this.locator = new PageLocator(frame);
        this.qrFast = new QRCodeDetectorAruco();
        this.qr = new QRCodeDetector();
    }

    /**
     * Ingests every page of one scan file.
     *
     * @param rescan accept a different scan of an already ingested page, replacing it
     * @throws IOException only if storage (blob store) fails; bad input is quarantined
     */
    public IngestReport ingest(String fileName, byte[] bytes, boolean rescan) throws IOException {
        String sha = sha256(bytes);
        String scanBlobId = "scan-" + sha;
        List<IngestReport.PageResult> results = new ArrayList<>();
        ScanDecoder.Pages pages;
        try {
            pages = ScanDecoder.open(bytes);
        } catch (IOException | RuntimeException e) {
            results.add(quarantine(fileName, bytes, new ScanKey(sha, 0), scanBlobId, null,
                    QuarantineReason.UNREADABLE_FILE, e.getMessage()));
            return new IngestReport(fileName, results);
        }
        try (pages) {
            for (int i = 0; i < pages.count(); i++) {
                ScanKey key = new ScanKey(sha, i);
                if (alreadyIngested(key)) {
                    results.add(duplicate(i));
                    continue;
                }
                Mat grey;
                try {
                    grey = pages.page(i);
                } catch (IOException | RuntimeException e) {
                    results.add(quarantine(fileName, bytes, key, scanBlobId, null, QuarantineReason.UNREADABLE_FILE,
                            e.getMessage()));
                    continue;
                }
                results.add(page(fileName, bytes, key, scanBlobId, grey, rescan));
                grey.release();
            }
        }
        return new IngestReport(fileName, results);
    }

    private IngestReport.PageResult page(String fileName, byte[] bytes, ScanKey key, String scanBlobId, Mat grey,
            boolean rescan) throws IOException {
        Optional<PageGeometry> geometry = locator.locate(grey);
        if (geometry.isEmpty()) {
            return quarantine(fileName, bytes, key, scanBlobId, null, QuarantineReason.NO_FIDUCIALS,
                    "fewer than three corner markers fit the page");
        }
        PageGeometry g = geometry.get();
        Optional<PageCode> read = readCode(g, grey);
        if (read.isEmpty()) {
            return quarantine(fileName, bytes, key, scanBlobId, null, QuarantineReason.UNREADABLE_CODE,
                    "page code missing or not ours");
        }
        PageCode code = read.get();
        Optional<BookletTemplate> template = catalog.template(code.examId()).filter(t -> t.frame().equals(frame));
        if (template.isEmpty()) {
            return quarantine(fileName, bytes, key, scanBlobId, code, QuarantineReason.UNKNOWN_EXAM,
                    "no template for exam " + code.examId());
        }
        Optional<String> workNumber = catalog.workNumber(code.examId(), code.bookletId());
        if (workNumber.isEmpty()) {
            return quarantine(fileName, bytes, key, scanBlobId, code, QuarantineReason.UNKNOWN_BOOKLET,
                    "booklet " + code.bookletId() + " was not issued");
        }
        Optional<BookletTemplate.PageLayout> layout = template.get().page(code.page());
        if (layout.isEmpty()) {
            return quarantine(fileName, bytes, key, scanBlobId, code, QuarantineReason.PAGE_OUT_OF_RANGE,
                    "page " + code.page() + " of " + template.get().pageCount());
        }
        Optional<IngestLedger.PageRecord> existing = ledger.findActivePage(code);
        if (existing.isPresent() && !rescan) {
            return quarantine(fileName, bytes, key, scanBlobId, code, QuarantineReason.DUPLICATE_PAGE,
                    "page already ingested from another scan; use the rescan flag to replace it");
        }

        int dpi = template.get().responseDpi();
        List<IngestLedger.ResponseRecord> responses = new ArrayList<>();
        List<IdentitySink.IdentityLink> links = new ArrayList<>();
        for (BookletTemplate.Item item : layout.get().items()) {
            RectMm box = item.rect();
            for (RectMm id : layout.get().identity()) {
                if (box.intersects(id)) {
                    throw new IllegalStateException("answer box " + item.item() + " overlaps an identity area");
                }
            }
            Mat crop = g.cut(grey, box, dpi);
            double ink = inkRatio(crop, dpi);
            String responseId = newId();
            blobs.putIfAbsent(responseId, OpenCv.jpeg(crop, RESPONSE_JPEG_QUALITY));
            crop.release();
            responses.add(new IngestLedger.ResponseRecord(responseId, code.examId(), item.item(),
                    ink < BLANK_INK_RATIO, ink));
            links.add(new IdentitySink.IdentityLink(responseId, code.examId(), code.bookletId(), code.page(),
                    item.item(), workNumber.get()));
        }
        blobs.putIfAbsent(scanBlobId, bytes);
        for (RectMm id : layout.get().identity()) {
            String blobId = newId();
            Mat crop = g.cut(grey, id, IDENTITY_DPI);
            blobs.putIfAbsent(blobId, OpenCv.jpeg(crop, RESPONSE_JPEG_QUALITY));
            identity.identityImage(new IdentitySink.IdentityImage(blobId, code.examId(), code.bookletId(),
                    code.page(), workNumber.get()));
        }
        links.forEach(identity::link);
        IngestLedger.CommitResult r = ledger.commitPage(new IngestLedger.PageCommit(key, fileName, code, scanBlobId,
                responses, existing.map(IngestLedger.PageRecord::scan).orElse(null)));
        return switch (r) {
            case COMMITTED -> new IngestReport.PageResult(key.pageIndex(), existing.isPresent()
                    ? IngestReport.Outcome.RESCANNED : IngestReport.Outcome.INGESTED, code, null, null,
                    responses.stream().map(IngestLedger.ResponseRecord::responseId).toList());
            case ALREADY_RECORDED -> duplicate(key.pageIndex());
            case PAGE_TAKEN -> quarantine(fileName, bytes, key, scanBlobId, code, QuarantineReason.DUPLICATE_PAGE,
                    "another scan of this page was committed meanwhile");
        };
    }

    /** True if this scan page was ingested before; a quarantined one is tried again. */
    private boolean alreadyIngested(ScanKey key) {
        return ledger.findScan(key).filter(r -> r.outcome() == IngestLedger.Outcome.INGESTED).isPresent();
    }

    /**
     * Reads the page-code QR from the upright page-code box: OpenCV's ArUco-based QR
     * detector at 150 dpi (about 2x cheaper), then the classic detector at 300 dpi.
     */
    private Optional<PageCode> readCode(PageGeometry g, Mat grey) {
        RectMm box = frame.pageCode().grow(4);
        Mat small = g.cut(grey, box, 150);
        Optional<PageCode> code = PageCode.parse(qrFast.detectAndDecode(small));
        small.release();
        if (code.isEmpty()) {
            Mat big = g.cut(grey, box, 300);
            code = PageCode.parse(qr.detectAndDecode(big));
            big.release();
        }
        return code;
    }

    /**
     * The fraction of ink pixels in a crop, ignoring a 2.5 mm border (the printed box
     * line): pixels darker than 60% of the mean (paper) level.
     */
    static double inkRatio(Mat crop, int dpi) {
        int inset = (int) Math.round(2.5 * dpi / 25.4);
        if (crop.rows() <= 2 * inset || crop.cols() <= 2 * inset) {
            return 0;
        }
        Mat inner = crop.submat(inset, crop.rows() - inset, inset, crop.cols() - inset);
        double paper = Core.mean(inner).val[0];
        Mat ink = new Mat();
        Imgproc.threshold(inner, ink, paper * 0.6, 255, Imgproc.THRESH_BINARY_INV);
        double ratio = Core.countNonZero(ink) / (double) inner.total();
        ink.release();
        return ratio;
    }

    private IngestReport.PageResult quarantine(String fileName, byte[] bytes, ScanKey key, String scanBlobId,
            PageCode code, QuarantineReason reason, String detail) throws IOException {
        blobs.putIfAbsent(scanBlobId, bytes);
        IngestLedger.CommitResult r = ledger.quarantine(
                new IngestLedger.QuarantineRecord(key, fileName, reason, detail, scanBlobId));
        String why = r == IngestLedger.CommitResult.ALREADY_RECORDED ? detail + " (already in quarantine)" : detail;
        return new IngestReport.PageResult(key.pageIndex(), IngestReport.Outcome.QUARANTINED, code, reason, why,
                List.of());
    }

    private static IngestReport.PageResult duplicate(int index) {
        return new IngestReport.PageResult(index, IngestReport.Outcome.DUPLICATE, null, null, null, List.of());
    }

    /** A fresh opaque id: 128 random bits in lower-case base32 (26 characters). */
    String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base32.encode(b);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4648 base32, lower case, no padding. */
    static final class Base32 {
        private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

        private Base32() {
        }

        static String encode(byte[] data) {
            StringBuilder s = new StringBuilder((data.length * 8 + 4) / 5);
            int buffer = 0;
            int bits = 0;
            for (byte d : data) {
                buffer = (buffer << 8) | (d & 0xff);
                bits += 8;
                while (bits >= 5) {
                    s.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }
            if (bits > 0) {
                s.append(ALPHABET[(buffer << (5 - bits)) & 31]);
            }
            return s.toString();
        }
    }
}

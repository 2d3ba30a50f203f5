package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.CubicCurve2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.Objdetect;
import org.opencv.objdetect.QRCodeEncoder;

/**
 * Prints realistic sample booklets for an exam from its template and degrades them
 * like a scanner, writing scan files, the issued-booklet list ({@code booklets.json})
 * and the ground truth ({@code manifest.json}). Test code: it never ships in the
 * server jar. Run with {@code scripts/generate-scans.sh OUTDIR [options]}.
 *
 * <p>Identity areas are filled with a flat grey "canary" ({@link #CANARY_GREY}) that
 * nothing else on the page has, so tests can prove no response crop holds any of it.
 * Each written answer carries a small QR "content tag" naming what was written, so
 * tests can check every crop landed in the right response.
 */
public final class SampleScans {
    public static final int DPI = 300;
    public static final int CANARY_GREY = 170;
    static final double TAG_MM = 15;

    private static final String[] FIRST = {"Aysel", "Murad", "Leyla", "Elvin", "Nigar", "Rauf", "Gunel",
        "Tural", "Sevinc", "Kamran", "Aynur", "Farid"};
    private static final String[] LAST = {"Mammadova", "Aliyev", "Huseynova", "Guliyev", "Hasanova",
        "Abbasov", "Ismayilova", "Rzayev"};
    private static final String[] PHRASES = {"x = 12", "2x + 3 = 15", "Answer: 7/8", "S = a*b = 24 cm2",
        "the angles are equal", "y = -3x + 4", "so x > 5", "P = 2(a + b) = 36", "t = 45 min",
        "because 3^2 + 4^2 = 5^2", "v = s / t", "x1 = 2, x2 = -7", "sin 30 = 1/2", "n = 17"};
    private static final String[] FONTS = {Font.SERIF, Font.SANS_SERIF, Font.MONOSPACED, Font.DIALOG};

    /** What to generate. */
    public record Options(int booklets, long seed, boolean badPages, int benchPages) {
        public static Options defaults() {
            return new Options(6, 1, true, 0);
        }
    }

    private record Candidate(String name, String workNumber) {
    }

    private final BookletTemplate template;
    private final Options options;
    private final Random rnd;
    private final Path scans;
    private final List<ScanManifest.FileEntry> files = new ArrayList<>();
    private int distortionCounter;

    private SampleScans(BookletTemplate template, Options options, Path scans) {
        OpenCv.load();
        this.template = template;
        this.options = options;
        this.rnd = new Random(options.seed());
        this.scans = scans;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: generate-scans OUTDIR [--booklets N] [--seed S] [--no-bad-pages] "
                    + "[--bench-pages N] [--template FILE]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int booklets = 6;
        long seed = 1;
        boolean bad = true;
        int bench = 0;
        BookletTemplate t = BookletTemplate.sample();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--booklets" -> booklets = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--no-bad-pages" -> bad = false;
                case "--bench-pages" -> bench = Integer.parseInt(args[++i]);
                case "--template" -> {
                    try (var in = Files.newInputStream(Path.of(args[++i]))) {
                        t = BookletTemplate.read(in);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ScanManifest m = generate(t, out, new Options(booklets, seed, bad, bench));
        long pages = m.files().stream().mapToLong(f -> f.pages().size()).sum();
        System.out.println("wrote " + m.files().size() + " files (" + pages + " pages) to " + out.resolve("scans"));
    }

    /**
     * Writes {@code out/scans/*}, {@code out/booklets.json}, {@code out/manifest.json} and
     * {@code out/templates/<exam>.json}. With {@code benchPages > 0} writes that many
     * single-page 300-dpi JPEGs with mild distortion and no bad pages instead.
     */
    public static ScanManifest generate(BookletTemplate t, Path out, Options o) throws IOException {
        Path scans = Files.createDirectories(out.resolve("scans"));
        Files.createDirectories(out.resolve("templates"));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("templates").resolve(t.examId() + ".json").toFile(), t);
        SampleScans g = new SampleScans(t, o, scans);
        List<BookletCatalog.Booklet> issued = o.benchPages() > 0 ? g.bench() : g.booklets();
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                out.resolve("booklets.json").toFile(), new BookletCatalog.Issue(t.examId(), issued));
        ScanManifest m = new ScanManifest(o.seed(), t.examId(), List.copyOf(g.files));
        m.write(out.resolve("manifest.json"));
        return m;
    }

    private List<BookletCatalog.Booklet> bench() throws IOException {
        List<BookletCatalog.Booklet> issued = new ArrayList<>();
        int perBooklet = template.pageCount();
        for (int i = 0; i < options.benchPages(); i++) {
            int b = i / perBooklet;
            Candidate c = candidate();
            String bookletId = String.format("B%05d", b + 1);
            if (i % perBooklet == 0) {
                issued.add(new BookletCatalog.Booklet(bookletId, c.workNumber()));
            }
            PageCode code = new PageCode(template.examId(), bookletId, i % perBooklet + 1);
            List<ScanManifest.BoxEntry> boxes = new ArrayList<>();
            BufferedImage page = render(code, c, boxes, true, false);
            ScanManifest.Distortion d = new ScanManifest.Distortion(
                    uniform(-1.5, 1.5), uniform(0.99, 1.0), uniform(-1, 1), uniform(-1, 1), 4, 0.6, 85, false);
            Mat scan = degrade(OpenCv.toMat(page), d, true);
            String name = String.format("bench-%05d.jpg", i + 1);
            Files.write(scans.resolve(name), OpenCv.jpeg(scan, d.jpegQuality()));
            files.add(new ScanManifest.FileEntry(name, "jpeg", List.of(new ScanManifest.PageEntry(0, bookletId,
                    code.page(), c.name(), c.workNumber(), "INGESTED", null, d, boxes))));
        }
        return issued;
    }

    private List<BookletCatalog.Booklet> booklets() throws IOException {
        List<BookletCatalog.Booklet> issued = new ArrayList<>();
        for (int b = 1; b <= options.booklets(); b++) {
            Candidate c = candidate();
            String bookletId = String.format("B%05d", b);
            issued.add(new BookletCatalog.Booklet(bookletId, c.workNumber()));
            String container = b % 4 == 2 ? "tiff" : b % 5 == 3 ? "pdf" : null;
            List<Mat> pages = new ArrayList<>();
            List<ScanManifest.PageEntry> entries = new ArrayList<>();
            for (int p = 1; p <= template.pageCount(); p++) {
                PageCode code = new PageCode(template.examId(), bookletId, p);
                List<ScanManifest.BoxEntry> boxes = new ArrayList<>();
                BufferedImage page = render(code, c, boxes, true, false);
                ScanManifest.Distortion d = nextDistortion();
                Mat scan = degrade(OpenCv.toMat(page), d, false);
                ScanManifest.PageEntry e = new ScanManifest.PageEntry(container == null ? 0 : p - 1, bookletId, p,
                        c.name(), c.workNumber(), "INGESTED", null, d, boxes);
                if (container == null) {
                    writeSingle(String.format("b%05d-p%d", b, p), scan, d, e, b + p);
                } else {
                    pages.add(jpegRoundTrip(scan, d.jpegQuality()));
                    entries.add(e);
                }
            }
            if (container != null) {
                String name = String.format("b%05d.%s", b, container.equals("tiff") ? "tif" : "pdf");
                Files.write(scans.resolve(name), container.equals("tiff") ? tiff(pages) : pdf(pages));
                files.add(new ScanManifest.FileEntry(name, container, entries));
            }
        }
        if (options.badPages()) {
            badPages(issued);
        }
        return issued;
    }

    private void writeSingle(String stem, Mat scan, ScanManifest.Distortion d, ScanManifest.PageEntry e, int k)
            throws IOException {
        boolean png = k % 3 == 0;
        String name = stem + (png ? ".png" : ".jpg");
        Mat img = png ? jpegRoundTrip(scan, d.jpegQuality()) : scan;
        Files.write(scans.resolve(name), png ? OpenCv.png(img) : OpenCv.jpeg(img, d.jpegQuality()));
        files.add(new ScanManifest.FileEntry(name, png ? "png" : "jpeg", List.of(e)));
    }

    private void badPages(List<BookletCatalog.Booklet> issued) throws IOException {
        Candidate stranger = candidate();
        String exam = template.examId();
        // damaged files
        byte[] good = OpenCv.jpeg(degrade(OpenCv.toMat(render(new PageCode(exam, "B00001", 1), stranger,
                new ArrayList<>(), true, false)), mild(), false), 80);
        Files.write(scans.resolve("x-corrupt-truncated.jpg"), java.util.Arrays.copyOf(good, 600));
        byte[] garbage = new byte[5000];
        rnd.nextBytes(garbage);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, garbage, 0, 8);
        Files.write(scans.resolve("x-corrupt-garbage.png"), garbage);
        files.add(bad("x-corrupt-truncated.jpg", "jpeg", null, 0, QuarantineReason.UNREADABLE_FILE));
        files.add(bad("x-corrupt-garbage.png", "png", null, 0, QuarantineReason.UNREADABLE_FILE));
        // a page without fiducials (someone scanned a sheet of rough paper)
        writeBad("x-no-fiducials.jpg", render(new PageCode(exam, "B00001", 2), stranger, new ArrayList<>(), false,
                false), "B00001", 2, QuarantineReason.NO_FIDUCIALS);
        // a page whose code was inked over
        writeBad("x-code-blotted.jpg", render(new PageCode(exam, "B00002", 1), stranger, new ArrayList<>(), true,
                true), "B00002", 1, QuarantineReason.UNREADABLE_CODE);
        // a booklet never issued, a page beyond the booklet, an exam with no template
        writeBad("x-unknown-booklet.jpg", render(new PageCode(exam, "B99999", 1), stranger, new ArrayList<>(), true,
                false), "B99999", 1, QuarantineReason.UNKNOWN_BOOKLET);
        writeBad("x-page-out-of-range.jpg", render(new PageCode(exam, "B00001", template.pageCount() + 4), stranger,
                new ArrayList<>(), true, false), "B00001", template.pageCount() + 4,
                QuarantineReason.PAGE_OUT_OF_RANGE);
        writeBad("x-unknown-exam.jpg", render(new PageCode("CHEM-1999-01", "B00001", 1), stranger,
                new ArrayList<>(), true, false), "B00001", 1, QuarantineReason.UNKNOWN_EXAM);
        // the same file twice: a no-op; another scan of an ingested page: quarantined unless --rescan
        ScanManifest.FileEntry first = files.stream().filter(f -> f.pages().size() == 1
                && f.pages().get(0).expect().equals("INGESTED")).findFirst().orElseThrow();
        Files.copy(scans.resolve(first.file()), scans.resolve("zz-dup-" + first.file()));
        ScanManifest.PageEntry fp = first.pages().get(0);
        files.add(new ScanManifest.FileEntry("zz-dup-" + first.file(), first.format(), List.of(
                new ScanManifest.PageEntry(0, fp.bookletId(), fp.page(), fp.candidate(), fp.workNumber(),
                        "DUPLICATE", null, fp.distortion(), fp.boxes()))));
        ScanManifest.PageEntry again = files.get(1).pages().get(0);
        Candidate owner = new Candidate(again.candidate(), again.workNumber());
        List<ScanManifest.BoxEntry> boxes = new ArrayList<>();
        BufferedImage rescan = render(new PageCode(exam, again.bookletId(), again.page()), owner, boxes, true, false);
        ScanManifest.Distortion d = mild();
        Files.write(scans.resolve("zz-rescan.jpg"), OpenCv.jpeg(degrade(OpenCv.toMat(rescan), d, false), 85));
        files.add(new ScanManifest.FileEntry("zz-rescan.jpg", "jpeg", List.of(new ScanManifest.PageEntry(0,
                again.bookletId(), again.page(), owner.name(), owner.workNumber(), "QUARANTINED",
                QuarantineReason.DUPLICATE_PAGE.name(), d, boxes))));
    }

    private void writeBad(String name, BufferedImage page, String booklet, int pageNo, QuarantineReason reason)
            throws IOException {
        Files.write(scans.resolve(name), OpenCv.jpeg(degrade(OpenCv.toMat(page), mild(), false), 85));
        files.add(bad(name, "jpeg", booklet, pageNo, reason));
    }

    private static ScanManifest.FileEntry bad(String name, String format, String booklet, int page,
            QuarantineReason r) {
        return new ScanManifest.FileEntry(name, format, List.of(new ScanManifest.PageEntry(0, booklet, page, null,
                null, "QUARANTINED", r.name(), null, List.of())));
    }

    // ---------------------------------------------------------------- printing

    private BufferedImage render(PageCode code, Candidate c, List<ScanManifest.BoxEntry> boxes, boolean fiducials,
            boolean blotCode) {
        PageFrame f = template.frame();
        int w = px(f.pageWidthMm());
        int h = px(f.pageHeightMm());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        if (fiducials) {
            for (BookletTemplate.Marker m : f.markers()) {
                Mat marker = new Mat();
                Objdetect.generateImageMarker(OpenCv.dictionary(f.markerDictionary()), m.id(), px(f.markerSizeMm()),
                        marker, 1);
                g.drawImage(OpenCv.toImage(marker), px(m.xMm()), px(m.yMm()), null);
            }
        }
        drawQr(g, code.text(), f.pageCode());
        if (blotCode) {
            g.setColor(new Color(30, 30, 30));
            RectMm q = f.pageCode();
            g.fillOval(px(q.xMm() + 2), px(q.yMm() + 3), px(q.wMm() - 5), px(q.hMm() - 7));
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
        g.drawString(template.examId() + "   booklet " + code.bookletId() + "   page " + code.page() + " of "
                + template.pageCount(), px(40), px(34));
        BookletTemplate.PageLayout layout = template.page(code.page()).orElse(template.pages().get(0));
        for (RectMm id : layout.identity()) {
            g.setColor(new Color(CANARY_GREY, CANARY_GREY, CANARY_GREY));
            g.fillRect(px(id.xMm()), px(id.yMm()), px(id.wMm()), px(id.hMm()));
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(3));
            g.drawRect(px(id.xMm()), px(id.yMm()), px(id.wMm()), px(id.hMm()));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
            g.drawString("Name, surname", px(id.xMm() + 3), px(id.yMm() + 6));
            g.drawString("Work number", px(id.xMm() + 3), px(id.yMm() + 17));
            hand(g, c.name(), px(id.xMm() + 45), px(id.yMm() + 9), 0);
            hand(g, c.workNumber(), px(id.xMm() + 45), px(id.yMm() + 21), 0);
        }
        for (BookletTemplate.Item item : layout.items()) {
            RectMm r = item.rect();
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2));
            g.drawRect(px(r.xMm()), px(r.yMm()), px(r.wMm()), px(r.hMm()));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
            g.drawString("Item " + item.item(), px(r.xMm()), px(r.yMm() - 1.5));
            if (rnd.nextDouble() < 0.2) {
                boxes.add(new ScanManifest.BoxEntry(item.item(), ScanManifest.BLANK));
                continue;
            }
            String tag = "T" + Long.toString(Math.abs(rnd.nextLong()) % 2_821_109_907_456L, 36).toUpperCase();
            boxes.add(new ScanManifest.BoxEntry(item.item(), tag));
            int lines = 1 + rnd.nextInt(Math.max(1, (int) ((r.hMm() - 8) / 11)));
            for (int l = 0; l < lines; l++) {
                String text = PHRASES[rnd.nextInt(PHRASES.length)];
                hand(g, text, px(r.xMm() + 4 + rnd.nextDouble() * 10), px(r.yMm() + 11 + l * 11), l);
            }
            if (rnd.nextBoolean()) {
                scribble(g, r);
            }
            drawQr(g, tag, new RectMm(r.right() - TAG_MM - 4, r.bottom() - TAG_MM - 3, TAG_MM, TAG_MM));
        }
        g.dispose();
        return img;
    }

    private void hand(Graphics2D g, String text, int x, int y, int line) {
        int style = rnd.nextInt(4);
        Font font = new Font(FONTS[rnd.nextInt(FONTS.length)], style, 34 + rnd.nextInt(18));
        AffineTransform shear = AffineTransform.getShearInstance(-0.1 - rnd.nextDouble() * 0.25, 0);
        shear.rotate(Math.toRadians(rnd.nextGaussian() * 1.5));
        g.setFont(font.deriveFont(shear));
        int ink = 10 + rnd.nextInt(60);
        g.setColor(new Color(ink, ink, ink));
        g.drawString(text, x, y);
    }

    private void scribble(Graphics2D g, RectMm r) {
        g.setStroke(new BasicStroke(2 + rnd.nextInt(4), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double x0 = r.xMm() + 10 + rnd.nextDouble() * (r.wMm() * 0.5);
        double y0 = r.yMm() + r.hMm() * (0.4 + rnd.nextDouble() * 0.4);
        g.draw(new CubicCurve2D.Double(px(x0), px(y0), px(x0 + 10), px(y0 - 8), px(x0 + 25), px(y0 + 8),
                px(x0 + 20 + rnd.nextDouble() * 30), px(y0 - 2)));
    }

    private void drawQr(Graphics2D g, String text, RectMm box) {
        Mat qr = new Mat();
        QRCodeEncoder.create().encode(text, qr);
        Mat big = new Mat();
        int side = px(Math.min(box.wMm(), box.hMm()));
        Imgproc.resize(qr, big, new Size(side, side), 0, 0, Imgproc.INTER_NEAREST);
        g.drawImage(OpenCv.toImage(big), px(box.xMm()), px(box.yMm()), null);
    }

    // ---------------------------------------------------------------- scanning

    /** Cycles through the extremes first, so every kind of distortion is always made. */
    private ScanManifest.Distortion nextDistortion() {
        int k = distortionCounter++;
        return switch (k) {
            case 0 -> new ScanManifest.Distortion(10, 1.0, 3, -3, 3, 0.5, 85, false);
            case 1 -> new ScanManifest.Distortion(-10, 1.0, -3, 3, 3, 0.5, 85, false);
            case 2 -> new ScanManifest.Distortion(4, 1.0, 0, 0, 3, 0.5, 85, true);
            case 3 -> new ScanManifest.Distortion(-1, 1.0, 0, 0, 10, 1.4, 80, false);
            case 4 -> new ScanManifest.Distortion(2, 1.0, 0, 0, 6, 0.8, 45, false);
            case 5 -> new ScanManifest.Distortion(-3, 0.95, 5, 5, 3, 0.5, 85, false);
            case 6 -> new ScanManifest.Distortion(3, 1.05, -5, -5, 3, 0.5, 85, false);
            default -> new ScanManifest.Distortion(uniform(-10, 10), uniform(0.96, 1.04), uniform(-5, 5),
                    uniform(-5, 5), uniform(0, 10), uniform(0, 1.4), 45 + rnd.nextInt(51), rnd.nextDouble() < 0.1);
        };
    }

    private ScanManifest.Distortion mild() {
        return new ScanManifest.Distortion(uniform(-3, 3), 1.0, 0, 0, 3, 0.5, 85, false);
    }

    /**
     * Rotates, scales and shifts the page on a scanner bed just big enough for it
     * (or exactly the page size with {@code fixedCanvas}), then blurs, adds noise and
     * dims the paper a little.
     */
    private Mat degrade(Mat page, ScanManifest.Distortion d, boolean fixedCanvas) {
        double angle = d.rotationDeg() + (d.upsideDown() ? 180 : 0);
        double a = Math.toRadians(angle);
        int w = page.cols();
        int h = page.rows();
        int cw = w;
        int ch = h;
        if (!fixedCanvas) {
            double s = d.scale();
            cw = (int) Math.ceil(s * (Math.abs(w * Math.cos(a)) + Math.abs(h * Math.sin(a)))) + 2 * px(6);
            ch = (int) Math.ceil(s * (Math.abs(w * Math.sin(a)) + Math.abs(h * Math.cos(a)))) + 2 * px(6);
        }
        Mat m = Imgproc.getRotationMatrix2D(new Point(w / 2.0, h / 2.0), angle, d.scale());
        m.put(0, 2, m.get(0, 2)[0] + (cw - w) / 2.0 + px(d.shiftXMm()));
        m.put(1, 2, m.get(1, 2)[0] + (ch - h) / 2.0 + px(d.shiftYMm()));
        Mat out = new Mat();
        int bed = 235 + rnd.nextInt(20);
        Imgproc.warpAffine(page, out, m, new Size(cw, ch), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
                new Scalar(bed));
        if (d.blurSigma() >= 0.3) {
            Imgproc.GaussianBlur(out, out, new Size(0, 0), d.blurSigma());
        }
        double paper = 0.90 + rnd.nextDouble() * 0.1;
        out.convertTo(out, CvType.CV_16S, paper, 8);
        if (d.noiseSigma() > 0) {
            Mat noise = new Mat(out.size(), CvType.CV_16S);
            Core.randn(noise, 0, d.noiseSigma());
            Core.add(out, noise, out);
        }
        out.convertTo(out, CvType.CV_8U);
        return out;
    }

    private static Mat jpegRoundTrip(Mat scan, int quality) {
        return org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(OpenCv.jpeg(scan, quality)),
                org.opencv.imgcodecs.Imgcodecs.IMREAD_GRAYSCALE);
    }

    private static byte[] tiff(List<Mat> pages) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("Deflate");
            w.prepareWriteSequence(null);
            for (Mat page : pages) {
                w.writeToSequence(new IIOImage(OpenCv.toImage(page), null, null), p);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] pdf(List<Mat> pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (Mat page : pages) {
                float wPt = page.cols() * 72f / DPI;
                float hPt = page.rows() * 72f / DPI;
                PDPage p = new PDPage(new PDRectangle(wPt, hPt));
                doc.addPage(p);
                PDImageXObject img = JPEGFactory.createFromImage(doc, OpenCv.toImage(page), 0.85f, DPI);
                try (PDPageContentStream cs = new PDPageContentStream(doc, p)) {
                    cs.drawImage(img, 0, 0, wPt, hPt);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    private Candidate candidate() {
        return new Candidate(FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)],
                String.format("%06d", 100000 + rnd.nextInt(900000)));
    }

    private double uniform(double lo, double hi) {
        return lo + rnd.nextDouble() * (hi - lo);
    }

    private static int px(double mm) {
        return (int) Math.round(mm * DPI / 25.4);
    }

    static Map<String, String> contents(ScanManifest.PageEntry p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.boxes().forEach(b -> m.put(b.item(), b.content()));
        return m;
    }
}

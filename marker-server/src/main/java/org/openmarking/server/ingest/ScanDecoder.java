package org.openmarking.server.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes a scan file into 8-bit grey page images: PNG and JPEG through OpenCV
 * (libjpeg-turbo, straight to grey), TIFF (multi-page) through the JDK's ImageIO
 * TIFF plugin, PDF by rendering each page at {@link #PDF_DPI} with PDFBox. The
 * format is recognised by its magic bytes, not the file name.
 */
public final class ScanDecoder {
    static final int PDF_DPI = 300;

    /** A file's pages, decoded one at a time on demand. */
    public interface Pages extends AutoCloseable {
        int count();

        /**
         * Page {@code index} (from 0) as 8-bit grey.
         *
         * @throws IOException if the page cannot be decoded
         */
        Mat page(int index) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The container formats we read. */
    public enum Format { PNG, JPEG, TIFF, PDF }

    private ScanDecoder() {
    }

    /** The format of {@code bytes}, by magic number. */
    public static Format sniff(byte[] b) throws IOException {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return Format.PNG;
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return Format.JPEG;
        }
        if (b.length > 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
            return Format.TIFF;
        }
        if (b.length > 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') {
            return Format.PDF;
        }
        throw new IOException("not a PNG, JPEG, TIFF or PDF file");
    }

    /**
     * Opens a scan file.
     *
     * @throws IOException if the format is unknown or the container cannot be opened
     */
    public static Pages open(byte[] bytes) throws IOException {
        OpenCv.load();
        return switch (sniff(bytes)) {
            case PNG -> single(requireEnd(bytes, PNG_END, "PNG"));
            case JPEG -> single(requireEnd(bytes, JPEG_END, "JPEG"));
            case TIFF -> tiff(bytes);
            case PDF -> pdf(bytes);
        };
    }

    private static final byte[] PNG_END = {'I', 'E', 'N', 'D'};
    private static final byte[] JPEG_END = {(byte) 0xff, (byte) 0xd9};

    /**
     * Refuses a truncated file, which the codecs would otherwise decode in part (the
     * rest grey): the end marker must appear in the last 64 bytes.
     */
    private static byte[] requireEnd(byte[] bytes, byte[] marker, String format) throws IOException {
        for (int i = bytes.length - marker.length; i >= Math.max(0, bytes.length - 64); i--) {
            if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
                return bytes;
            }
        }
        throw new IOException(format + " file is truncated (no end marker)");
    }

    private static Pages single(byte[] bytes) {
        return new Pages() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public Mat page(int index) throws IOException {
                Mat m = Imgcodecs.imdecode(new MatOfByte(bytes), Imgcodecs.IMREAD_GRAYSCALE);
                if (m.empty()) {
                    throw new IOException("image data cannot be decoded");
                }
                return m;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Pages tiff(byte[] bytes) throws IOException {
        ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes));
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("no TIFF reader");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, false, true);
        int n;
        try {
            n = reader.getNumImages(true);
        } catch (IOException | RuntimeException e) {
            reader.dispose();
            in.close();
            throw new IOException("damaged TIFF", e);
        }
        return new Pages() {
            @Override
            public int count() {
                return n;
            }

            @Override
            public Mat page(int index) throws IOException {
                try {
                    return OpenCv.toMat(reader.read(index));
                } catch (RuntimeException e) {
                    throw new IOException("damaged TIFF page " + index, e);
                }
            }

            @Override
            public void close() throws IOException {
                reader.dispose();
                in.close();
            }
        };
    }

    private static Pages pdf(byte[] bytes) throws IOException {
        PDDocument doc = Loader.loadPDF(bytes);
        PDFRenderer renderer = new PDFRenderer(doc);
        return new Pages() {
            @Override
            public int count() {
                return doc.getNumberOfPages();
            }

            @Override
            public Mat page(int index) throws IOException {
                try {
                    BufferedImage img = renderer.renderImageWithDPI(index, PDF_DPI, ImageType.GRAY);
                    return OpenCv.toMat(img);
                } catch (RuntimeException e) {
                    throw new IOException("damaged PDF page " + index, e);
                }
            }

            @Override
            public void close() throws IOException {
                doc.close();
            }
        };
    }
}

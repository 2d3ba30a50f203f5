package org.openmarking.server.ingest;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_java;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.objdetect.Dictionary;
import org.opencv.objdetect.Objdetect;

/** Loads OpenCV's Java bindings once and converts between {@link Mat} and 8-bit grey images. */
public final class OpenCv {
    static {
        Loader.load(opencv_java.class);
    }

    private OpenCv() {
    }

    /** Makes sure the native library is loaded. */
    public static void load() {
        // the static initialiser does the work
    }

    /** An 8-bit single-channel copy of a grey image. */
    public static Mat toMat(BufferedImage image) {
        BufferedImage grey = image;
        if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            var g = grey.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        Mat m = new Mat(grey.getHeight(), grey.getWidth(), CvType.CV_8UC1);
        m.put(0, 0, data);
        return m;
    }

    /** A grey {@link BufferedImage} copy of an 8-bit single-channel {@link Mat}. */
    public static BufferedImage toImage(Mat grey) {
        BufferedImage img = new BufferedImage(grey.cols(), grey.rows(), BufferedImage.TYPE_BYTE_GRAY);
        grey.get(0, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
        return img;
    }

    /** Encodes as JPEG at {@code quality} (0..100). */
    public static byte[] jpeg(Mat image, int quality) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".jpg", image, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
        return out.toArray();
    }

    /** Encodes as PNG. */
    public static byte[] png(Mat image) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".png", image, out, new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 3));
        return out.toArray();
    }

    /** The predefined ArUco dictionary named as in OpenCV, e.g. {@code DICT_4X4_50}. */
    public static Dictionary dictionary(String name) {
        try {
            return Objdetect.getPredefinedDictionary(Objdetect.class.getField(name).getInt(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("unknown ArUco dictionary " + name, e);
        }
    }
}

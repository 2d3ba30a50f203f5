package org.openmarking.client.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.bytedeco.javacv.OpenCVFrameGrabber;

/**
 * Frames from javacv's {@link OpenCVFrameGrabber}: the webcam, or a video file read by
 * OpenCV's own video I/O. Only OpenCV's natives are shipped (no FFmpeg), so a video file must
 * be one OpenCV reads by itself: Motion-JPEG in an AVI container ({@code .avi}, MJPG).
 */
public final class JavacvCamera implements CameraSource {
    private final FrameGrabber grabber;
    private final String description;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final boolean loops;

    private JavacvCamera(FrameGrabber grabber, String description, boolean loops) throws IOException {
        this.grabber = grabber;
        this.description = description;
        this.loops = loops;
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException | UnsatisfiedLinkError e) {
            throw new IOException("cannot open " + description + ": " + e.getMessage(), e);
        }
    }

    /** The webcam with this index (0 is the first). */
    public static JavacvCamera webcam(int index) throws IOException {
        return new JavacvCamera(new OpenCVFrameGrabber(index), "webcam " + index, false);
    }

    /** A video file, played from the start again at its end. */
    public static JavacvCamera videoFile(Path file) throws IOException {
        return new JavacvCamera(new OpenCVFrameGrabber(file.toFile()), "video " + file, true);
    }

    @Override
    public synchronized byte[] grab() throws IOException {
        try {
            Frame f = nextImage();
            if (f == null && loops) {
                grabber.restart();
                f = nextImage();
            }
            if (f == null) {
                throw new IOException(description + " gave no frame");
            }
            BufferedImage img = converter.convert(f);
            return FolderCamera.Jpeg.encode(img);
        } catch (FrameGrabber.Exception e) {
            throw new IOException(description + ": " + e.getMessage(), e);
        }
    }

    private Frame nextImage() throws FrameGrabber.Exception {
        for (int i = 0; i < 5; i++) {
            Frame f = grabber.grab();
            if (f == null) {
                return null;
            }
            if (f.image != null) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public synchronized void close() {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            // closing
        }
    }
}

package org.openmarking.client.face;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.bytedeco.javacv.OpenCVFrameGrabber;

/** Frames from the webcam through javacv's {@link OpenCVFrameGrabber}, each encoded as a JPEG in memory. */
public final class JavacvCamera implements CameraSource {
    private final FrameGrabber grabber;
    private final String description;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();

    private JavacvCamera(FrameGrabber grabber, String description) throws IOException {
        this.grabber = grabber;
        this.description = description;
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException | UnsatisfiedLinkError e) {
            throw new IOException("cannot open " + description + ": " + e.getMessage(), e);
        }
    }

    /** The webcam with this index (0 is the first). */
    public static JavacvCamera webcam(int index) throws IOException {
        return new JavacvCamera(new OpenCVFrameGrabber(index), "webcam " + index);
    }

    @Override
    public synchronized byte[] grab() throws IOException {
        try {
            Frame f = nextImage();
            if (f == null) {
                throw new IOException(description + " gave no frame");
            }
            BufferedImage img = converter.convert(f);
            return FolderCamera.Jpeg.encode(img);
        } catch (FrameGrabber.Exception e) {
            throw new IOException(description + ": " + e.getMessage(), e);
        }
    }

    /** OpenCV keeps a few frames queued; those would show the marker before the instruction appeared. */
    @Override
    public synchronized void beginBurst(org.openmarking.client.api.Wire.FaceChallenge challenge) throws IOException {
        try {
            for (int i = 0; i < 4; i++) {
                grabber.grab();
            }
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

package org.openmarking.client.face;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_videoio.CAP_OPENCV_MJPEG;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_videoio.VideoCapture;

/**
 * Frames from a video file ({@code --camera marker.avi}), played from the start again at its
 * end, each encoded as a JPEG in memory. OpenCV's own Motion-JPEG reader is used because the
 * FFmpeg natives are not shipped: the file must be Motion-JPEG in an AVI container (what
 * {@code ffmpeg -i in.mp4 -c:v mjpeg -q:v 3 out.avi} makes). javacv's {@code OpenCVFrameGrabber}
 * fails on such files after a successful start (its first grab reports no frame), so the
 * capture is used directly.
 */
public final class VideoFileCamera implements CameraSource {
    private final Path file;
    private VideoCapture capture;

    public VideoFileCamera(Path file) throws IOException {
        this.file = file;
        this.capture = open();
    }

    private VideoCapture open() throws IOException {
        VideoCapture c = new VideoCapture(file.toString(), CAP_OPENCV_MJPEG);
        if (!c.isOpened()) {
            c.close();
            throw new IOException("cannot read " + file + " as a Motion-JPEG AVI video");
        }
        return c;
    }

    @Override
    public synchronized byte[] grab() throws IOException {
        try (Mat frame = new Mat()) {
            if (!capture.read(frame) || frame.empty()) {
                capture.close();
                capture = open(); // the end: play it again
                if (!capture.read(frame) || frame.empty()) {
                    throw new IOException(file + " holds no frame");
                }
            }
            try (BytePointer jpeg = new BytePointer()) {
                if (!imencode(".jpg", frame, jpeg)) {
                    throw new IOException("could not encode a frame of " + file);
                }
                byte[] out = new byte[(int) jpeg.limit()];
                jpeg.get(out);
                return out;
            }
        }
    }

    @Override
    public String describe() {
        return "video " + file;
    }

    @Override
    public synchronized void close() {
        capture.close();
    }
}

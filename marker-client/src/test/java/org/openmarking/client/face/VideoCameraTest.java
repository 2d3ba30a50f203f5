package org.openmarking.client.face;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_videoio.VideoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.client.testing.TestFaces;

/** {@code --camera VIDEO}: frames come from a Motion-JPEG video through OpenCV's own reader ({@code VideoCapture}), as JPEGs, and the video loops. */
class VideoCameraTest {
    @Test
    void aMotionJpegVideoGivesJpegFramesAndLoops(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("marker.avi");
        Path photo = TestFaces.person("obama").resolve("obama.jpg");
        Mat still = imread(photo.toString());
        Mat frame = new Mat();
        opencv_imgproc.resize(still, frame, new Size(320, 240));
        VideoWriter writer = new VideoWriter(video.toString(), org.bytedeco.opencv.global.opencv_videoio.CAP_OPENCV_MJPEG,
                VideoWriter.fourcc((byte) 'M', (byte) 'J', (byte) 'P', (byte) 'G'), 10, new Size(320, 240), true);
        assertTrue(writer.isOpened(), "OpenCV writes Motion-JPEG AVI by itself");
        for (int i = 0; i < 3; i++) {
            writer.write(frame);
        }
        writer.release();
        assertTrue(Files.size(video) > 1000);

        try (CameraSource camera = CameraSource.open(video.toString())) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 8; i++) { // more than the video holds: it starts again
                try {
                    frames.add(camera.grab());
                } catch (java.io.IOException e) {
                    throw new AssertionError("frame " + i + ": " + e.getMessage(), e);
                }
            }
            assertEquals(8, frames.size());
            for (byte[] f : frames) {
                assertEquals(0xFF, f[0] & 0xff);
                assertEquals(0xD8, f[1] & 0xff, "a JPEG");
            }
            assertTrue(camera.describe().startsWith("video "));
        }
    }
}

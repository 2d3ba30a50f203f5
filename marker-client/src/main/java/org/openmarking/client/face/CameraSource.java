package org.openmarking.client.face;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where face-check frames come from: the webcam, or (with {@code --camera}) a folder of
 * photos or a video file, for tests, demos and machines without a camera. A frame is a JPEG
 * in memory; it is never written to disk.
 */
public interface CameraSource extends AutoCloseable {
    /** The next frame as JPEG bytes. */
    byte[] grab() throws IOException;

    /**
     * Called before the frames of a burst are grabbed, with the challenge the marker was given.
     * The webcam drops the frames it buffered meanwhile (they would show the past); a simulated
     * camera in tests turns the way it was asked. The default does nothing.
     */
    default void beginBurst(org.openmarking.client.api.Wire.FaceChallenge challenge) throws IOException {
    }

    /** A human-readable name for the settings screen. */
    String describe();

    @Override
    void close();

    /**
     * The source named by {@code --camera}: a folder of images, a video file, or, when absent,
     * the first webcam.
     */
    static CameraSource open(String option) throws IOException {
        if (option == null || option.isBlank()) {
            return JavacvCamera.webcam(0);
        }
        Path p = Path.of(option);
        if (Files.isDirectory(p)) {
            return new FolderCamera(p);
        }
        if (Files.isRegularFile(p)) {
            return new VideoFileCamera(p);
        }
        throw new IOException("--camera " + option + ": no such folder or video file");
    }
}

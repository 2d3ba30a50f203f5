package org.openmarking.client.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.openmarking.client.face.CameraSource;

/** Opens the camera named by {@code --camera} (or the webcam) at the first face check, and keeps it open. */
final class Cameras implements Supplier<CameraSource>, AutoCloseable {
    private final String option;
    private CameraSource open;

    Cameras(String option) {
        this.option = option;
    }

    @Override
    public synchronized CameraSource get() {
        if (open == null) {
            try {
                open = CameraSource.open(option);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return open;
    }

    @Override
    public synchronized void close() {
        if (open != null) {
            open.close();
            open = null;
        }
    }
}

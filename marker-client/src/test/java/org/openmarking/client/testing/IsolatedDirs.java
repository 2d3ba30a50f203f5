package org.openmarking.client.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates the folders the build names as this test JVM's {@code java.io.tmpdir} and
 * {@code user.home} (under {@code target/}) before any test runs, so every file the client
 * could write lands where {@code NoAnswerOnDiskFxTest} looks.
 */
public final class IsolatedDirs implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(Path.of(System.getProperty("user.home")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

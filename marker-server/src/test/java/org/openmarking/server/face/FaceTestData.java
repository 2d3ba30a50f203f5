package org.openmarking.server.face;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where tests find the shared face models and photos (system property {@code openmarking.shared}). */
final class FaceTestData {
    private FaceTestData() {}

    static Path shared() {
        String prop = System.getProperty("openmarking.shared", "../shared");
        return Path.of(prop).toAbsolutePath().normalize();
    }

    /** The model directory; skips the test (with the reason) only when it is absent. */
    static Path models() {
        Path dir = shared().resolve("models");
        assumeTrue(Files.isDirectory(dir), "face models not found at " + dir
                + " (set -Dopenmarking.shared or lay out ../shared as CI does); face tests skipped");
        return dir;
    }

    static Path photo(String person, String file) {
        Path p = shared().resolve("data/faces/train").resolve(person).resolve(file);
        assumeTrue(Files.isRegularFile(p), "face photo not found at " + p);
        return p;
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] photoBytes(String person, String file) {
        return bytes(photo(person, file));
    }

    static List<Path> photos(String person) {
        Path dir = shared().resolve("data/faces/train").resolve(person);
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FaceModels models;
    private static FaceEngine engine;

    /**
     * One engine shared by the test classes, which JUnit runs one after another here; it lives
     * until the test JVM exits. Tests that need several threads use {@link FaceChecks}.
     */
    static synchronized FaceEngine engine() {
        if (engine == null) {
            engine = new FaceEngine(faceModels(), FaceCheckConfig.defaults());
        }
        return engine;
    }

    /** The models of the shared directory, verified once per test JVM. */
    static synchronized FaceModels faceModels() {
        Path dir = models();
        if (models == null) {
            try {
                models = ModelRegistry.open(dir).faceCheckModels(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (FaceModelsUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return models;
    }
}

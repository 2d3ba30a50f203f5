package org.openmarking.client.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The developers' face photos beside the project ({@code ../shared/data/faces/train/<person>}); never committed. */
public final class TestFaces {
    private TestFaces() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("openmarking.shared", "../../shared")).toAbsolutePath().normalize();
    }

    public static Path person(String name) {
        Path p = shared().resolve("data/faces/train").resolve(name);
        assumeTrue(Files.isDirectory(p), "face photos missing: " + p);
        return p;
    }
}

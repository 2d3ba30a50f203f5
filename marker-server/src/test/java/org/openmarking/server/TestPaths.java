package org.openmarking.server;

import java.nio.file.Path;

/** Where tests find the repository's files and the shared models and photos beside it. */
public final class TestPaths {
    private TestPaths() {
    }

    public static Path root() {
        return Path.of(System.getProperty("openmarking.root", "..")).toAbsolutePath().normalize();
    }

    public static Path shared() {
        return Path.of(System.getProperty("openmarking.shared", "../../shared")).toAbsolutePath().normalize();
    }

    public static Path schemes() {
        return root().resolve("config/schemes");
    }
}

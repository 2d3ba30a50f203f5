package org.openmarking.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.config.ConfigLoader;

/** A node that starts removes what crashed blob writes left, and nothing another node may be writing. */
class BlobTemporariesStartTest {
    @TempDir
    Path dir;

    @Test
    void aStartingNodeSweepsOldBlobTemporariesAndSparesFreshOnes() throws Exception {
        Path blobs = ConfigLoader.load(Optional.empty(), Map.of("OPENMARKING_DATA_DIR", dir.toString())).blobsDir();
        Path folder = Files.createDirectories(blobs.resolve("ab").resolve("cd"));
        Path crashed = Files.write(folder.resolve(".tmp-crashed"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path inFlight = Files.write(folder.resolve(".tmp-in-flight"), new byte[] {4, 5, 6});

        try (TestServer node = TestServer.start(dir, Map.of("OPENMARKING_FACE_CHECKS", "off"))) {
            Instant until = Instant.now().plusSeconds(30);
            while (Files.exists(crashed) && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            assertTrue(Files.notExists(crashed), "an hour-old temporary is a crashed write's: removed");
            assertTrue(Files.exists(inFlight), "a fresh one may be another node's write in flight: kept");
            assertTrue(node.get("/health", null).status() == 200);
        }
    }
}

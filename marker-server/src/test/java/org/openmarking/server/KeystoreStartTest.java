package org.openmarking.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.config.ConfigException;
import org.openmarking.server.config.ConfigLoader;
import org.openmarking.server.config.ServerConfig;
import org.openmarking.server.crypto.EncryptedBlobStore;

/** A node stores nothing in the clear: no passphrase, no start; the keystore is made once and reused. */
class KeystoreStartTest {
    @TempDir
    Path dir;

    @Test
    void aNodeWithoutAKeystorePassphraseRefusesToStartAndSaysWhichVariable() {
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of("OPENMARKING_DATA_DIR", dir.toString()));
        String message = assertThrows(ConfigException.class, () -> ServerApp.openBlobs(config, Map.of())).getMessage();
        assertTrue(message.contains("OPENMARKING_KEYSTORE_PASSPHRASE"), message);
        assertTrue(Files.notExists(config.keystore()), "nothing is created without a passphrase");
    }

    @Test
    void theFirstStartCreatesTheKeystoreAndLaterStartsReadWhatEarlierOnesWrote() throws Exception {
        Map<String, String> env = Map.of("OPENMARKING_DATA_DIR", dir.toString(), "OPENMARKING_KEYSTORE_PASSPHRASE", "correct horse");
        ServerConfig config = ConfigLoader.load(Optional.empty(), env);
        EncryptedBlobStore first = ServerApp.openBlobs(config, env);
        assertTrue(Files.exists(config.keystore()));
        byte[] image = "an answer image".getBytes(StandardCharsets.UTF_8);
        first.putIfAbsent("r-0001", image);

        EncryptedBlobStore second = ServerApp.openBlobs(config, env);
        assertArrayEquals(image, second.get("r-0001").orElseThrow());
        // At rest the blob is not the plaintext.
        try (var files = Files.walk(config.blobsDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertTrue(!new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("an answer image"), f.toString());
            }
        }

        Map<String, String> wrong = Map.of("OPENMARKING_DATA_DIR", dir.toString(), "OPENMARKING_KEYSTORE_PASSPHRASE", "wrong");
        assertThrows(IOException.class, () -> ServerApp.openBlobs(config, wrong));
    }
}

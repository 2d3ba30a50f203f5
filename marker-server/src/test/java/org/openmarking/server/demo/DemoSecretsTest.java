package org.openmarking.server.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's generated passwords and keystore passphrase: owner-only, made once, the same on every later start. */
class DemoSecretsTest {
    @TempDir
    Path dir;

    @Test
    void passwordsAreGeneratedOnceOwnerOnlyAndReadBack() throws Exception {
        Path file = dir.resolve("credentials.properties");
        Properties first = Demo.credentials(file);
        assertEquals(9, first.size(), "admin, chief, expert and marker1-6");
        assertNotEquals(first.getProperty("marker1"), first.getProperty("marker2"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, Demo.credentials(file), "a later start uses the same passwords");
    }

    @Test
    void aMissingAccountIsAddedAndTheOthersKept() throws Exception {
        Path file = dir.resolve("credentials.properties");
        Properties first = Demo.credentials(file);
        Properties edited = new Properties();
        edited.putAll(first);
        edited.remove("marker6");
        try (var out = Files.newOutputStream(file)) {
            edited.store(out, null);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // as a careless edit might leave it
        Properties again = Demo.credentials(file);
        assertEquals(first.getProperty("chief"), again.getProperty("chief"));
        assertEquals(9, again.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void theKeystorePassphraseIsMadeOnceOwnerOnly() throws Exception {
        Path file = Demo.keystorePassphrase(dir.resolve("keystore-passphrase"));
        String passphrase = Files.readString(file);
        assertEquals(32, passphrase.length(), "24 random bytes, base64url");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Demo.keystorePassphrase(file);
        assertEquals(passphrase, Files.readString(file), "kept on later starts");
    }
}

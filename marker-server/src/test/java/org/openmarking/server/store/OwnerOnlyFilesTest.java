package org.openmarking.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way secrets are written to disk: owner-only from the first byte, replaced whole. */
class OwnerOnlyFilesTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsOwnerOnlyAndHoldsExactlyTheText() throws Exception {
        Path f = dir.resolve("secret");
        OwnerOnlyFiles.write(f, "päss\n");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("päss\n", Files.readString(f, StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("secret.tmp")), "the temporary file is renamed into place, not left behind");
    }

    @Test
    void replacingAFileOthersCouldReadLeavesItOwnerOnly() throws Exception {
        Path f = dir.resolve("key.pem");
        Files.writeString(f, "an old, longer content that must not survive in part");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnlyFiles.write(f, "new");
        assertEquals("new", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void narrowTakesAwayOthersAccess() throws Exception {
        Path f = dir.resolve("password");
        Files.writeString(f, "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        OwnerOnlyFiles.narrow(f);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("x", Files.readString(f), "narrowing keeps the content");
    }
}

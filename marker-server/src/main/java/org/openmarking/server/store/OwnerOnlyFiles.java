package org.openmarking.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Files only their owner may read: the embedded database's password and access rules, the TLS
 * private keys, the demo's passphrase and passwords. One way to write them, so none is ever
 * readable by others for an instant (created 0600, not narrowed afterwards) and none is left
 * half-written by a crash (written beside and renamed into place).
 */
public final class OwnerOnlyFiles {
    private static final Logger LOG = Logger.getLogger(OwnerOnlyFiles.class.getName());
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code file}, replacing it whole: through a sibling temporary file and a rename. */
    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(tmp);
            narrow(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Narrows a file that others can read (a copied backup, a careless chmod) to its owner, with a warning. */
    public static void narrow(Path file) throws IOException {
        if (posix()) {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                LOG.warning(file + " was readable by others; narrowed to its owner (0600)");
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } else {
            java.io.File f = file.toFile();
            boolean narrowed = f.setReadable(false, false) && f.setReadable(true, true)
                    && f.setWritable(false, false) && f.setWritable(true, true);
            if (!narrowed) {
                throw new IOException("could not make " + file + " readable by its owner only");
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}

package org.openmarking.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Files only their owner may read: the embedded database's password and access rules, the TLS
 * private keys, the demo's passphrase and passwords; and folders only their owner may enter
 * (the upload spool). One way to write them, so none is ever readable by others for an instant
 * (created 0600, not narrowed afterwards) and none is left half-written by a crash (written
 * beside, forced to the disk, and renamed into place).
 */
public final class OwnerOnlyFiles {
    private static final Logger LOG = Logger.getLogger(OwnerOnlyFiles.class.getName());
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

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
        // Forced before the rename: a rename that reaches the disk before the data would leave an
        // empty file after a power cut (fatal for the embedded database's password).
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Creates {@code dir} (and its parents) if missing, and leaves it owner-only (0700) either way. */
    public static void directory(Path dir) throws IOException {
        if (!posix()) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR); // createDirectories' mode is cut by the umask
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

package org.openmarking.server.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link BlobStore} on a directory (local disk or a shared mount every node sees).
 *
 * <p>Blob {@code id} lives at {@code root/ab/cd/id} where {@code abcd} starts the
 * SHA-256 of the id, so folders stay small and evenly filled. A write goes to a
 * temporary file in the target folder, is forced to disk, then moved into place
 * atomically; readers never see half a blob, and a crash leaves at most a
 * {@code .tmp-*} file that {@link #sweepTemporaries} removes (every node sweeps once it has
 * started). The folder is forced too, so a stored blob survives a power cut before anything
 * refers to it.
 */
public final class DirectoryBlobStore implements BlobStore {
    private final Path root;

    public DirectoryBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** Where blob {@code id} is (or would be) stored. */
    public Path pathOf(String id) {
        BlobStore.checkId(id);
        String h = sha256Hex(id);
        return root.resolve(h.substring(0, 2)).resolve(h.substring(2, 4)).resolve(id);
    }

    @Override
    public boolean putIfAbsent(String id, byte[] bytes) throws IOException {
        Path target = pathOf(id);
        if (Files.exists(target)) {
            return false;
        }
        Path dir = Files.createDirectories(target.getParent());
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                // Files.move with ATOMIC_MOVE may replace an existing target on POSIX;
                // createLink fails instead, which keeps blobs write-once.
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, target);
            }
            forceDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<byte[]> get(String id) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(pathOf(id)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Head> head(String id, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(pathOf(id), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(n, ch.size()));
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until full or end of file
            }
            return Optional.of(new Head(java.util.Arrays.copyOf(buf.array(), buf.position()), ch.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String id) {
        return Files.exists(pathOf(id));
    }

    @Override
    public boolean erase(String id) throws IOException {
        Path target = pathOf(id);
        boolean was = Files.deleteIfExists(target);
        if (was) {
            forceDirectory(target.getParent()); // the removal survives a power cut like a write does
        }
        return was;
    }

    /**
     * Makes the new directory entry durable, so a ledger commit that follows never
     * names a blob a power cut could lose. Best effort: some platforms cannot open a
     * directory for syncing.
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the file itself is already forced
        }
    }

    /**
     * How old a temporary file must be before a sweep takes it for a crashed write's: a write
     * lasts milliseconds, and a younger one may be another node's write in flight in the shared folder.
     */
    public static final Duration TEMPORARY_AGE = Duration.ofHours(1);

    /**
     * Deletes the temporary files that writes which crashed left, last modified more than
     * {@code age} ago; returns how many. Files that vanish while the tree is walked (other
     * nodes' writes finishing) are passed over.
     */
    public int sweepTemporaries(Duration age) throws IOException {
        Instant before = Instant.now().minus(age);
        int[] n = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
                if (p.getFileName().toString().startsWith(".tmp-") && attrs.lastModifiedTime().toInstant().isBefore(before)
                        && Files.deleteIfExists(p)) {
                    n[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return n[0];
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

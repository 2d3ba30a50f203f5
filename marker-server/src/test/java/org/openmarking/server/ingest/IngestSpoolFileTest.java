package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SpoolFile}: what is written comes back only through its own object, the file holds
 * no plaintext, and a spool changed, cut or extended on disk is refused (and still deleted).
 */
class IngestSpoolFileTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static final Context LOOP = VERTX.getOrCreateContext();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @AfterAll
    static void close() throws Exception {
        VERTX.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A fake JPEG (magic + random bytes) written in uneven chunks, as the HTTP decoder hands them over. */
    private static byte[] scan(int size) {
        byte[] b = new byte[size];
        RANDOM.nextBytes(b);
        b[0] = (byte) 0xff;
        b[1] = (byte) 0xd8;
        b[2] = (byte) 0xff;
        return b;
    }

    /** Runs {@code action} on the one event loop the spools of this test live on, as a request's do. */
    private static <T> T onLoop(Function<Promise<T>, ?> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        LOOP.runOnContext(x -> {
            Promise<T> p = Promise.promise();
            p.future().onSuccess(result::complete).onFailure(result::completeExceptionally);
            action.apply(p);
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private SpoolFile spooled(byte[] content) throws Exception {
        return spooled(content, false);
    }

    /**
     * Writes {@code content} in chunks of 1 byte to 70 KB, as the HTTP decoder hands them over,
     * then ends: all in one go (before the file is even open), or one chunk per event-loop turn
     * (so writes land before, while and after the open completes).
     */
    private SpoolFile spooled(byte[] content, boolean chunkPerTurn) throws Exception {
        return onLoop(p -> {
            SpoolFile spool = SpoolFile.create(VERTX, dir, RANDOM);
            writeFrom(spool, content, 0, 1, chunkPerTurn, p);
            return null;
        });
    }

    private static void writeFrom(SpoolFile spool, byte[] content, int at, int step, boolean chunkPerTurn, Promise<SpoolFile> done) {
        while (at < content.length) {
            int n = Math.min(step, content.length - at);
            spool.write(Buffer.buffer(Arrays.copyOfRange(content, at, at + n)));
            int next = at + n;
            int nextStep = step * 7 % 70_001 + 1;
            if (chunkPerTurn) {
                LOOP.runOnContext(x -> writeFrom(spool, content, next, nextStep, true, done));
                return;
            }
            at = next;
            step = nextStep;
        }
        spool.end().map(spool).onComplete(done);
    }

    @Test
    void writtenChunksComeBackWholeAndTheFileHoldsOnlyCiphertext() throws Exception {
        byte[] content = scan(1_000_003);
        SpoolFile spool = spooled(content);
        assertEquals(List.of(), SpoolProbe.plaintextIn(dir, List.of(content)));
        assertEquals(content.length, spool.size());
        assertEquals(content.length + SpoolFile.TAG_BYTES, Files.size(spool.path()), "ciphertext and tag, no header");
        assertTrue(spool.path().getFileName().toString().endsWith(SpoolFile.SUFFIX));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.path())));

        assertArrayEquals(content, spool.readOnce());
        assertFalse(Files.exists(spool.path()), "deleted once read");
        assertThrows(IOException.class, spool::readOnce, "read once: the key is gone");

        for (int i = 0; i < 5; i++) {
            byte[] more = scan(300_000 + i);
            assertArrayEquals(more, spooled(more, true).readOnce(), "chunks in separate turns, round " + i);
        }
    }

    @Test
    void aSpoolFileChangedCutOrExtendedOnDiskIsRefusedAndDeleted() throws Exception {
        List<UnaryOperator<byte[]>> tamperings = List.of(
                b -> { b[b.length / 2] ^= 1; return b; },                  // a flipped bit in the content
                b -> { b[b.length - 1] ^= (byte) 0x80; return b; },         // in the tag
                b -> Arrays.copyOf(b, b.length - 1),                        // cut by one byte
                b -> Arrays.copyOf(b, 100),                                 // cut short
                b -> Arrays.copyOf(b, b.length + 1),                        // one byte more
                b -> new byte[0]);                                          // emptied
        for (int i = 0; i < tamperings.size(); i++) {
            byte[] content = scan(200_000);
            SpoolFile spool = spooled(content);
            Files.write(spool.path(), tamperings.get(i).apply(Files.readAllBytes(spool.path())));
            assertThrows(SpoolFile.TamperedSpoolException.class, spool::readOnce, "tampering " + i);
            assertFalse(Files.exists(spool.path()), "a refused spool is deleted too (" + i + ")");
        }
        // and two spools of the same content do not open each other's file: each has its own key
        byte[] content = scan(50_000);
        SpoolFile a = spooled(content);
        SpoolFile b = spooled(content);
        assertFalse(Arrays.equals(Files.readAllBytes(a.path()), Files.readAllBytes(b.path())));
        Files.copy(a.path(), b.path(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThrows(SpoolFile.TamperedSpoolException.class, b::readOnce);
        assertArrayEquals(content, a.readOnce());
    }

    @Test
    void aDiscardedSpoolIsDeletedAndCannotBeRead() throws Exception {
        SpoolFile spool = spooled(scan(10_000));
        onLoop(p -> {
            spool.discard();
            p.complete();
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(spool.path()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(spool.path()));
        assertThrows(IOException.class, spool::readOnce);
        assertTrue(onLoop(p -> spool.write(Buffer.buffer("more")).onComplete(p)) == null, "writes after a refusal are dropped");
        assertFalse(Files.exists(spool.path()));
    }

    @Test
    void theSweepMakesTheFolderOwnerOnlyAndEmptiesIt() throws Exception {
        Path uploads = dir.resolve("data/uploads");
        assertEquals(0, SpoolFile.sweep(uploads));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploads)));
        Files.setPosixFilePermissions(uploads, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(uploads.resolve("0123abcd.spool"), new byte[100]);
        Files.write(uploads.resolve("3b8e6a2c-7f7e-4a59-9d1e-1c7f2d6e9a10"), scan(100)); // a BodyHandler file of old
        Files.createDirectory(uploads.resolve("not-ours"));
        assertEquals(2, SpoolFile.sweep(uploads));
        assertEquals(List.of(uploads.resolve("not-ours")), SpoolProbe.files(uploads));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploads)), "narrowed");
    }
}

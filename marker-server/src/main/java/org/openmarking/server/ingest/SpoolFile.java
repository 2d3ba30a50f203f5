package org.openmarking.server.ingest;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.openmarking.server.crypto.EnvelopeCipher;
import org.openmarking.server.store.OwnerOnlyFiles;

/**
 * One uploaded scan file on its way from the request to the worker that ingests it, kept on
 * disk only as AES-256-GCM ciphertext under a fresh random key that exists only in this object.
 *
 * <p>Scans show candidates' names and identity areas, and the mission allows no plaintext image
 * at rest. A crash therefore leaves only ciphertext whose key died with the process;
 * {@link #sweep} removes such leftovers at start (the uploader was never answered, so it sends
 * the files again, and ingest is idempotent).
 *
 * <p>Written as a {@link WriteStream} on the event loop: each chunk the HTTP decoder hands over
 * (a few KB to 64 KB) is encrypted right there and queued on an {@link AsyncFile}, whose
 * write queue gives the request back-pressure. Encrypting on the event loop is deliberate:
 * BouncyCastle's native AES-GCM runs at about 1 GB/s, so a chunk costs tens of microseconds
 * (about 1 ms even with the pure-Java fallback at ~50 MB/s), far less than handing each chunk to
 * a worker and back, and GCM's running state must see the chunks in order anyway.
 *
 * <p>File format: ciphertext followed by the 16-byte GCM tag; nonce and key stay in memory.
 * {@link #readOnce} (blocking, on a worker) decrypts the file as it reads it and hands the bytes
 * out only after the tag verified, so a changed, cut or extended spool file is refused whole.
 */
public final class SpoolFile implements WriteStream<Buffer> {
    /** The folder under the data directory that holds spool files. */
    public static final String DIRECTORY = "uploads";
    static final String SUFFIX = ".spool";
    static final int TAG_BYTES = 16;
    private static final int READ_CHUNK = 64 * 1024;

    private final Vertx vertx;
    private final Path path;
    private final byte[] key = new byte[32];
    private final byte[] nonce = new byte[12];
    private final GCMModeCipher sealer;
    // The write side below is confined to the event-loop thread of the context that created the
    // spool (the request's): the open's completion is delivered there too, so no locking.
    private final List<Buffer> pending = new ArrayList<>();
    private AsyncFile file;
    private boolean openSettled;
    private Promise<Void> endWhenOpen;
    private Handler<Void> drainWhenOpen;
    private long plaintextBytes;
    private boolean ended;
    private boolean closed;
    private Throwable writeFailure;
    // Shared with the worker that reads the spool (see forgetKey).
    private volatile boolean discarded;
    private boolean reading;

    private SpoolFile(Vertx vertx, Path dir, SecureRandom random) {
        this.vertx = vertx;
        byte[] name = new byte[16];
        random.nextBytes(name);
        random.nextBytes(key);
        random.nextBytes(nonce);
        // A random name: nothing of the uploaded file's name reaches the disk.
        this.path = dir.resolve(HexFormat.of().formatHex(name) + SUFFIX);
        this.sealer = gcm(true);
        vertx.fileSystem().open(path.toString(), new OpenOptions().setCreateNew(true).setWrite(true).setPerms("rw-------"))
                .onComplete(this::opened);
    }

    /**
     * Starts a spool file in {@code dir}. Call it on the event loop that will write it. The file
     * is opened asynchronously: chunks written before it is open wait in memory, in order (already
     * encrypted), and {@link #writeQueueFull} holds the writer back until it is open.
     */
    static SpoolFile create(Vertx vertx, Path dir, SecureRandom random) {
        return new SpoolFile(vertx, dir, random);
    }

    /** The spool file on disk (random name). */
    Path path() {
        return path;
    }

    /** How many plaintext bytes were written. */
    long size() {
        return plaintextBytes;
    }

    /**
     * The open finished. Chunks are written here, and by {@link #write} once {@link #file} is set,
     * in call order: AsyncFile appends at its write position as each write is issued, so chaining
     * writes on the open's future instead could reorder them (a completed future runs a new
     * listener at once, before the listeners it is still delivering to).
     */
    private void opened(AsyncResult<AsyncFile> ar) {
        openSettled = true;
        if (ar.failed()) {
            recordFailure(ar.cause());
            pending.clear();
        } else if (discarded) {
            closed = true;
            pending.clear();
            ar.result().close().eventually(this::deleteFile);
        } else {
            file = ar.result();
            file.exceptionHandler(this::recordFailure);
            pending.forEach(this::writeToFile);
            pending.clear();
        }
        if (endWhenOpen != null) {
            close().onComplete(endWhenOpen);
        }
        Handler<Void> drain = drainWhenOpen;
        drainWhenOpen = null;
        if (drain != null) {
            drainHandler(drain);
        }
    }

    private void writeToFile(Buffer sealed) {
        file.write(sealed).onFailure(this::recordFailure);
    }

    @Override
    public SpoolFile exceptionHandler(Handler<Throwable> handler) {
        return this; // failures are reported by end()
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (discarded) {
            return Future.succeededFuture(); // the upload was refused or ended: its remaining bytes are dropped
        }
        if (ended) {
            return Future.failedFuture(new IllegalStateException("spool file already ended"));
        }
        byte[] in = data.getBytes();
        byte[] out = new byte[sealer.getUpdateOutputSize(in.length)];
        int n = sealer.processBytes(in, 0, in.length, out, 0);
        Arrays.fill(in, (byte) 0); // this copy only: the request's buffer is Netty's to release
        plaintextBytes += in.length;
        Buffer sealed = Buffer.buffer(n == out.length ? out : Arrays.copyOf(out, n));
        if (file != null) {
            writeToFile(sealed);
        } else if (!openSettled) {
            pending.add(sealed);
        }
        return writeFailure == null ? Future.succeededFuture() : Future.failedFuture(writeFailure);
    }

    /** Writes the GCM tag and closes the file; fails if the open or any write failed. */
    @Override
    public Future<Void> end() {
        if (ended || discarded) {
            return discarded ? Future.failedFuture(new IOException("spool file discarded")) : Future.succeededFuture();
        }
        ended = true;
        byte[] tail = new byte[sealer.getOutputSize(0)];
        int n;
        try {
            n = sealer.doFinal(tail, 0);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption failed", e);
        }
        Buffer last = Buffer.buffer(Arrays.copyOf(tail, n));
        if (!openSettled) {
            pending.add(last);
            endWhenOpen = Promise.promise();
            return endWhenOpen.future();
        }
        if (file != null) {
            writeToFile(last);
        }
        return close();
    }

    private Future<Void> close() {
        Future<Void> closing = file != null && !closed ? file.close() : Future.succeededFuture();
        closed = true;
        return closing.compose(v -> writeFailure == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(writeFailure));
    }

    private void recordFailure(Throwable e) {
        if (writeFailure == null) {
            writeFailure = e;
        }
    }

    @Override
    public SpoolFile setWriteQueueMaxSize(int maxSize) {
        throw new UnsupportedOperationException("the AsyncFile's default queue size is used");
    }

    /** Full while the file is still being opened, then whenever its write queue is. */
    @Override
    public boolean writeQueueFull() {
        return file != null ? file.writeQueueFull() : !openSettled;
    }

    @Override
    public SpoolFile drainHandler(Handler<Void> handler) {
        if (!openSettled) {
            drainWhenOpen = handler;
        } else if (file != null && file.writeQueueFull()) {
            file.drainHandler(handler);
        } else if (handler != null) {
            handler.handle(null); // room already (or the open failed: let the writer run into the failure)
        }
        return this;
    }

    /**
     * Decrypts the spool file as it reads it, verifies its tag, deletes the file and forgets the
     * key. Blocking: call it on a worker. Nothing is returned unless the whole file verified.
     *
     * @throws TamperedSpoolException if the file was changed, cut short or extended
     * @throws IOException if it cannot be read, or was discarded (its request ended)
     */
    byte[] readOnce() throws IOException {
        synchronized (this) {
            if (discarded || reading) {
                throw new IOException("spool file already read or discarded");
            }
            reading = true;
        }
        try {
            long size = Files.size(path);
            if (size < TAG_BYTES || size - TAG_BYTES > Integer.MAX_VALUE - 64) {
                throw new TamperedSpoolException("spool file has an impossible length");
            }
            byte[] plain = new byte[(int) (size - TAG_BYTES)];
            GCMModeCipher opener = gcm(false);
            int at = 0;
            try (InputStream in = Files.newInputStream(path)) {
                byte[] chunk = new byte[READ_CHUNK];
                for (int r = in.read(chunk); r > 0; r = in.read(chunk)) {
                    at += opener.processBytes(chunk, 0, r, plain, at);
                }
                at += opener.doFinal(plain, at);
            } catch (InvalidCipherTextException | RuntimeException e) {
                // RuntimeException: a file grown since it was measured overflows the output (DataLengthException).
                Arrays.fill(plain, (byte) 0);
                throw new TamperedSpoolException("spool file failed authentication");
            }
            if (at != plain.length) {
                Arrays.fill(plain, (byte) 0);
                throw new TamperedSpoolException("spool file has the wrong length");
            }
            return plain;
        } finally {
            forgetKey(true);
            Files.deleteIfExists(path);
        }
    }

    /**
     * Forgets the key, drops further writes and deletes the file (asynchronously, safe to call
     * again; on the writing event loop). If a worker is reading the file right now, the key is
     * zeroed by that read instead.
     */
    void discard() {
        forgetKey(false);
        pending.clear();
        if (!openSettled) {
            return; // opened() closes and deletes the file once it exists
        }
        if (file != null && !ended && !closed) {
            closed = true; // end() closes an ended file; a second close would throw
            file.close();
        }
        deleteFile();
    }

    private Future<Void> deleteFile() {
        return vertx.fileSystem().delete(path.toString()).recover(e ->
                e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException
                        ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private synchronized void forgetKey(boolean byReader) {
        discarded = true;
        if (byReader) {
            reading = false;
        }
        if (!reading) {
            Arrays.fill(key, (byte) 0);
        }
    }

    private GCMModeCipher gcm(boolean encrypt) {
        return EnvelopeCipher.aesGcm(encrypt, key, nonce, null);
    }

    /**
     * Creates the spool folder owner-only (0700; an existing one is narrowed to that) and deletes
     * every file in it: leftovers of a crashed run (unreadable without their keys), and plaintext
     * files of versions before spooling was encrypted. Call it once per node at start, before
     * any upload route runs (several API verticles share the folder). Blocking.
     *
     * @return how many files were removed
     */
    public static int sweep(Path dir) throws IOException {
        OwnerOnlyFiles.directory(dir);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** A spool file whose content no longer matches what was written: never ingested. */
    public static final class TamperedSpoolException extends IOException {
        private static final long serialVersionUID = 1L;

        TamperedSpoolException(String message) {
            super(message);
        }
    }
}

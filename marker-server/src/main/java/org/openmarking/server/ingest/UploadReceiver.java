package org.openmarking.server.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.openmarking.server.http.ApiException;

/**
 * Reads the body of one scan upload ({@code POST /api/v1/ingest/scans}) into encrypted
 * {@link SpoolFile}s, one per multipart file or one for a raw body sent with {@code ?name=}.
 *
 * <p>Instead of Vert.x's BodyHandler, which writes multipart files to disk in the clear. The
 * request arrives paused (the route authenticated the admin first); the body is counted
 * against the limit as it comes (more than the limit: 413, nothing kept), each file's chunks
 * are encrypted into its spool file with the file's write queue pausing the request, and the
 * spool files are discarded when the request ends, whatever its outcome.
 */
final class UploadReceiver {
    static final String USAGE = "send scan files as multipart/form-data, or one file as the raw body with ?name=FILE";

    /** Test seam: sees each spool file as it is created, and all of them once written, before ingest. */
    interface Observer {
        Observer NONE = new Observer() {
        };

        default void opened(Path spool) {
        }

        default void spooled(List<Path> spools) {
        }
    }

    private final RoutingContext ctx;
    private final Path dir;
    private final long limit;
    private final SecureRandom random;
    private final Observer observer;
    private final Promise<List<IngestService.Upload>> done = Promise.promise();
    private final List<IngestService.Upload> files = new ArrayList<>();
    private final List<Future<Void>> written = new ArrayList<>();
    private final List<ReadStream<Buffer>> sources = new ArrayList<>();
    private long received;
    private boolean refused;
    private boolean finished;

    private UploadReceiver(RoutingContext ctx, Path dir, long limit, SecureRandom random, Observer observer) {
        this.ctx = ctx;
        this.dir = dir;
        this.limit = limit;
        this.random = random;
        this.observer = observer;
    }

    /**
     * Reads the paused request's body into spool files in {@code dir}; the future holds the files
     * once every one is completely written, or fails with the refusal (400, 413) or write error.
     */
    static Future<List<IngestService.Upload>> receive(RoutingContext ctx, Path dir, long limit, SecureRandom random,
            Observer observer) {
        return new UploadReceiver(ctx, dir, limit, random, observer).start();
    }

    private Future<List<IngestService.Upload>> start() {
        HttpServerRequest req = ctx.request();
        ctx.addEndHandler(ar -> discardAll());
        if (declaredLength(req) > limit) {
            return Future.failedFuture(tooLarge()); // refused before a byte is read
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        SpoolFile raw = null;
        if (type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
            req.setExpectMultipart(true);
            req.uploadHandler(this::upload);
        } else {
            String name = req.getParam("name");
            if (name == null || name.isBlank()) {
                return Future.failedFuture(ApiException.badRequest(USAGE));
            }
            raw = spool(name);
            sources.add(req);
        }
        SpoolFile rawSpool = raw;
        Promise<Void> rawWritten = Promise.promise();
        if (raw != null) {
            written.add(rawWritten.future());
        }
        req.handler(chunk -> {
            if (refused) {
                return; // drained and dropped after a refusal
            }
            received += chunk.length();
            if (received > limit) {
                refuse(tooLarge());
            } else if (rawSpool != null) {
                feed(req, rawSpool, chunk);
            }
        });
        req.exceptionHandler(e -> refuse(ApiException.badRequest("the upload was cut off: " + e.getMessage())));
        req.endHandler(v -> {
            if (refused) {
                return;
            }
            if (rawSpool != null) {
                rawSpool.end().onComplete(rawWritten);
            }
            Future.all(written).onComplete(ar -> {
                if (refused || finished) {
                    return;
                }
                if (ar.failed()) {
                    refuse(ar.cause());
                } else if (files.isEmpty() || (rawSpool != null && rawSpool.size() == 0)) {
                    refuse(ApiException.badRequest(USAGE));
                } else {
                    observer.spooled(files.stream().map(f -> f.spool().path()).toList());
                    done.tryComplete(List.copyOf(files));
                }
            });
        });
        req.resume();
        return done.future();
    }

    private void upload(HttpServerFileUpload upload) {
        if (refused || finished) {
            upload.handler(chunk -> { });
            return;
        }
        SpoolFile spool = spool(upload.filename());
        Promise<Void> end = Promise.promise();
        written.add(end.future()); // now, while the decoder runs: the request's end waits for this file
        sources.add(upload);
        upload.handler(chunk -> {
            if (!refused) {
                feed(upload, spool, chunk);
            }
        });
        upload.exceptionHandler(end::tryFail);
        upload.endHandler(v -> spool.end().onComplete(end));
    }

    private SpoolFile spool(String fileName) {
        SpoolFile spool = SpoolFile.create(ctx.vertx(), dir, random);
        files.add(new IngestService.Upload(IngestRoutes.safeName(fileName), spool));
        observer.opened(spool.path());
        return spool;
    }

    /** Encrypts one chunk into the spool; pauses its source while the file's write queue is full. */
    private static void feed(ReadStream<Buffer> source, SpoolFile spool, Buffer chunk) {
        spool.write(chunk); // a failed write fails the spool's end(), and with it the upload
        if (spool.writeQueueFull()) {
            source.pause();
            spool.drainHandler(v -> source.resume());
        }
    }

    /** Drops every spool file and fails the upload; the rest of the body is read and ignored. */
    private void refuse(Throwable why) {
        if (refused) {
            return;
        }
        refused = true;
        discardAll();
        sources.forEach(ReadStream::resume); // a source paused for a spool that is gone would never resume
        done.tryFail(why);
    }

    private void discardAll() {
        finished = true;
        files.forEach(f -> f.spool().discard());
    }

    private ApiException tooLarge() {
        return new ApiException(413, "upload-too-large", "a scan upload is at most " + limit / (1024 * 1024)
                + " MB per request; send the files in several requests (scripts/ingest.sh --batch-mb)");
    }

    private static long declaredLength(HttpServerRequest req) {
        try {
            String v = req.getHeader(HttpHeaders.CONTENT_LENGTH);
            return v == null ? -1 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package org.openmarking.server.crypto;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.openmarking.server.ServerContext;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.http.ApiException;

/**
 * The one way server features open a stored blob for a person (an answer image for a marker,
 * a scan for an appeal or a quarantine review): reads and decrypts on the worker pool, and
 * refuses a blob whose authentication fails. A refused blob is never returned, not even in
 * part: the caller gets an {@link ApiException} with code {@value #TAMPERED} and the audit log
 * gets a {@code blob.tampered} entry naming the blob, the actor and the purpose.
 */
public final class BlobReader {
    private static final Logger LOG = Logger.getLogger(BlobReader.class.getName());
    /** The error code of a refused (tampered) blob. */
    public static final String TAMPERED = "blob-tampered";
    /** The error code of a blob the registry names but the store lacks. */
    public static final String MISSING = "blob-missing";

    private final EncryptedBlobStore blobs;
    private final Pool pool;
    private final WorkerExecutor workers;

    public BlobReader(EncryptedBlobStore blobs, Pool pool, WorkerExecutor workers) {
        this.blobs = blobs;
        this.pool = pool;
        this.workers = workers;
    }

    public static BlobReader of(ServerContext ctx) {
        return new BlobReader(ctx.blobs(), ctx.database().pool(), ctx.workers());
    }

    /**
     * The plaintext of blob {@code blobId}.
     *
     * @param actor who asked (null for the system), for the audit entry
     * @param purpose why it is read (e.g. {@code marking}, {@code appeal}, {@code quarantine}), for the audit entry
     * @return fails with {@link ApiException} 500 {@value #TAMPERED} (audited) or {@value #MISSING} (audited)
     */
    public Future<byte[]> read(String blobId, UUID actor, String purpose) {
        return workers.<Optional<byte[]>>executeBlocking(() -> blobs.get(blobId), false)
                .recover(e -> e instanceof TamperedBlobException t ? refuse(t, actor, purpose) : Future.failedFuture(e))
                .compose(found -> found.isPresent() ? Future.succeededFuture(found.get()) : missing(blobId, actor, purpose));
    }

    private Future<Optional<byte[]>> refuse(TamperedBlobException t, UUID actor, String purpose) {
        // The id is not secret; the blob's bytes never reach the log.
        LOG.severe("refused blob " + t.blobId() + " (" + purpose + "): " + t.getMessage());
        return AuditLog.record(pool, actor, "blob.tampered", t.blobId(),
                        new JsonObject().put("purpose", purpose).put("error", t.getMessage()))
                .transform(audited -> Future.failedFuture(new ApiException(500, TAMPERED, "stored blob " + t.blobId()
                        + " failed its integrity check and was refused; the incident is recorded in the audit log")));
    }

    private Future<byte[]> missing(String blobId, UUID actor, String purpose) {
        LOG.severe("blob " + blobId + " is missing from the store (" + purpose + ")");
        return AuditLog.record(pool, actor, "blob.missing", blobId, new JsonObject().put("purpose", purpose))
                .transform(audited -> Future.failedFuture(new ApiException(500, MISSING,
                        "stored blob " + blobId + " is missing from the blob store; the incident is recorded in the audit log")));
    }
}

package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.openmarking.server.account.Principal;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.face.Enrollment;
import org.openmarking.server.face.FaceChecks;
import org.openmarking.server.face.FaceTemplates;
import org.openmarking.server.http.ApiException;

/**
 * Enrolling markers: reference photos in, per-photo verdicts out, and only the embeddings kept,
 * sealed in the blob store (kind {@code face-template}) and referenced from
 * {@code face_enrollments}. The photos are never written anywhere.
 */
public final class Enrollments {
    private static final Logger LOG = Logger.getLogger(Enrollments.class.getName());
    /** Most photos one enrolment takes (each is decoded and searched for faces). */
    static final int MAX_PHOTOS = 10;

    private final FacePresence presence;
    private final Pool pool;
    private final Clock clock;
    private final WorkerExecutor workers;
    private final EncryptedBlobStore blobs;

    Enrollments(FacePresence presence, Pool pool, Clock clock, WorkerExecutor workers, EncryptedBlobStore blobs) {
        this.presence = presence;
        this.pool = pool;
        this.clock = clock;
        this.workers = workers;
        this.blobs = blobs;
    }

    /** What an enrolment request decided; {@code created} false means rejected (nothing stored). */
    public record Outcome(boolean created, JsonObject body) {
    }

    /** Enrols {@code username} from base64 photos on behalf of {@code actor} (admin or chief examiner in scope). */
    public Future<Outcome> enroll(Principal actor, String username, JsonArray photos) {
        if (photos == null || photos.isEmpty() || photos.size() > MAX_PHOTOS) {
            return Future.failedFuture(ApiException.badRequest("'photos' must be an array of 1 to " + MAX_PHOTOS
                    + " base64-encoded JPEG or PNG images"));
        }
        return presence.requireService().compose(v -> MarkerDirectory.findCovered(pool, actor, username))
                .compose(m -> current(m.id()).compose(existing -> existing.isPresent()
                        ? Future.failedFuture(new ApiException(409, "face-already-enrolled", "'" + username
                                + "' is already enrolled; DELETE the enrolment first to enrol again"))
                        : Future.succeededFuture(m)))
                .compose(m -> {
                    FaceChecks engine = presence.service().checks().orElseThrow();
                    return workers.executeBlocking(() -> engine.enroll(decode(photos, "photos")), false)
                            .compose(result -> result.succeeded() ? store(actor, m, result) : Future.succeededFuture(
                                    new Outcome(false, new JsonObject().put("error", rejection(result, engine.enrolMinPhotos()))
                                            .put("status", 422).put("code", "face-enrollment-rejected")
                                            .put("photos", verdicts(result)))));
                });
    }

    private static String rejection(Enrollment result, int needed) {
        long accepted = result.photos().stream().filter(Enrollment.PhotoVerdict::accepted).count();
        return (accepted == 0 ? "no photo was accepted" : "only " + accepted + " photo(s) accepted")
                + "; an enrolment needs at least " + needed + " photo(s) of the marker, each with exactly one clear face;"
                + " nothing was stored";
    }

    private Future<Outcome> store(Principal actor, MarkerDirectory.Marker m, Enrollment result) {
        FaceTemplates templates = result.templates().orElseThrow();
        UUID id = UUID.randomUUID();
        String ref = "face-template-" + id;
        Instant now = clock.instant();
        long accepted = result.photos().stream().filter(Enrollment.PhotoVerdict::accepted).count();
        byte[] plain = templates.toBytes();
        return workers.executeBlocking(() -> blobs.put(ref, plain).orElseThrow(), false)
                .compose(keyId -> pool.withTransaction(tx -> tx.preparedQuery(
                                "insert into blobs (ref, kind, key_id, size_bytes) values ($1, 'face-template', $2, $3)")
                        .execute(Tuple.of(ref, keyId, (long) plain.length))
                        .compose(x -> tx.preparedQuery("insert into face_enrollments (id, marker_id, template_ref, model_id, photos,"
                                        + " accepted, enrolled_by, enrolled_at) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                                .execute(Tuple.from(new Object[] {id, m.id(), ref, templates.modelId(), result.photos().size(),
                                        (int) accepted, actor.userId(), PresenceStore.time(now)})))
                        .compose(x -> AuditLog.record(tx, actor.userId(), "face.enrolled", m.username(), new JsonObject()
                                .put("markerId", m.id().toString()).put("photos", result.photos().size())
                                .put("accepted", accepted).put("model", templates.modelId())))))
                // Nothing registers the sealed templates if the transaction failed: they go at once.
                .recover(e -> erase(ref).otherwise(false).transform(x -> Future.<Void>failedFuture(
                        e.getMessage() != null && e.getMessage().contains("face_enrollments_current")
                                ? new ApiException(409, "face-already-enrolled", "'" + m.username() + "' was enrolled meanwhile") : e)))
                .map(v -> new Outcome(true, new JsonObject().put("username", m.username()).put("enrolled", true)
                        .put("enrolledAt", now.toString()).put("accepted", accepted).put("model", templates.modelId())
                        .put("photos", verdicts(result))));
    }

    private static JsonArray verdicts(Enrollment result) {
        JsonArray a = new JsonArray();
        for (Enrollment.PhotoVerdict v : result.photos()) {
            a.add(new JsonObject().put("index", v.index()).put("accepted", v.accepted())
                    .put("problem", v.problem() == null ? null : v.problem().name()).put("reason", v.reason())
                    .put("faceHeight", Math.round(v.faceHeight())).put("score", Math.round(v.score() * 1000) / 1000.0));
        }
        return a;
    }

    /** Enrolment status without any image or embedding. */
    public Future<JsonObject> status(Principal actor, String username) {
        return MarkerDirectory.findCovered(pool, actor, username).compose(m -> pool.preparedQuery(
                        "select e.model_id, e.photos, e.accepted, e.enrolled_at, u.username as enrolled_by from face_enrollments e"
                                + " join users u on u.id = e.enrolled_by where e.marker_id = $1 and e.deleted_at is null")
                .execute(Tuple.of(m.id())).map(rows -> {
                    JsonObject o = new JsonObject().put("username", m.username()).put("enrolled", rows.size() > 0);
                    if (rows.size() > 0) {
                        Row r = rows.iterator().next();
                        String model = r.getString("model_id");
                        o.put("model", model).put("photos", r.getInteger("photos")).put("accepted", r.getInteger("accepted"))
                                .put("enrolledAt", PresenceStore.instant(r, "enrolled_at").toString())
                                .put("enrolledBy", r.getString("enrolled_by"))
                                .put("usable", presence.service().checks().map(c -> c.recognizerId().equals(model)).orElse(false));
                    }
                    return o;
                }));
    }

    /**
     * Ends the current enrolment so the marker can be enrolled again, and erases its sealed
     * templates: biometric data is kept only while it serves its purpose. The row is kept, marked
     * deleted, for the audit trail, and so is the blob's row, marked erased, in the same
     * transaction; the bytes go once it commits. If the node dies in between or the file system
     * refuses, {@link #finishErasures} completes it (at a node's start and hourly).
     */
    public Future<JsonObject> delete(Principal actor, String username) {
        Instant now = clock.instant();
        return MarkerDirectory.findCovered(pool, actor, username).compose(m -> pool.withTransaction(tx -> tx.preparedQuery(
                        "update face_enrollments set deleted_at = $2, deleted_by = $3 where marker_id = $1 and deleted_at is null"
                                + " returning template_ref")
                .execute(Tuple.of(m.id(), PresenceStore.time(now), actor.userId()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("'" + username + "' is not enrolled"));
                    }
                    String ref = rows.iterator().next().getString(0);
                    return tx.preparedQuery("update blobs set erased_at = $2 where ref = $1").execute(Tuple.of(ref, PresenceStore.time(now)))
                            .compose(x -> AuditLog.record(tx, actor.userId(), "face.enrollment-deleted", m.username(),
                                    new JsonObject().put("markerId", m.id().toString()).put("templateRef", ref)))
                            .map(ref);
                }))
                .compose(ref -> erase(ref).map(gone -> true).otherwise(e -> {
                    // The enrolment is deleted either way; finishErasures completes the erasure later.
                    LOG.warning("could not erase the templates of a deleted enrolment yet: " + e);
                    return false;
                }).map(erased -> new JsonObject().put("username", m.username()).put("enrolled", false)
                        .put("templatesErased", erased))));
    }

    /** Removes a template blob's bytes on a worker (file system work). */
    private Future<Boolean> erase(String ref) {
        return workers.executeBlocking(() -> blobs.erase(ref), false);
    }

    /**
     * Erases the bytes of every face template marked erased whose bytes are still there: a
     * deletion the node did not live to finish, or whose file system refused. Every node runs it
     * when it starts and then hourly (see {@link PresenceSweeper}); returns how many.
     */
    public Future<Integer> finishErasures() {
        return pool.preparedQuery("select ref from blobs where kind = 'face-template' and erased_at is not null").execute()
                .compose(rows -> {
                    List<String> refs = new ArrayList<>();
                    rows.forEach(r -> refs.add(r.getString(0)));
                    return workers.executeBlocking(() -> {
                        int n = 0;
                        for (String ref : refs) {
                            if (blobs.erase(ref)) {
                                n++;
                            }
                        }
                        return n;
                    }, false);
                });
    }

    /** The current enrolment's blob reference, if any. */
    Future<Optional<String>> current(UUID markerId) {
        return current(pool, markerId);
    }

    static Future<Optional<String>> current(SqlClient sql, UUID markerId) {
        return sql.preparedQuery("select template_ref from face_enrollments where marker_id = $1 and deleted_at is null")
                .execute(Tuple.of(markerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("template_ref")));
    }

    /** The marker's templates, opened from the blob store on a worker; 409 face-not-enrolled without. */
    Future<FaceTemplates> templates(UUID markerId) {
        return current(markerId).compose(ref -> ref.isEmpty()
                ? Future.failedFuture(new ApiException(409, "face-not-enrolled",
                        "you are not enrolled for face checks; ask your chief examiner to enrol you"))
                : workers.executeBlocking(() -> FaceTemplates.fromBytes(blobs.get(ref.get())
                        // Erased by a deletion that committed after the enrolment was read: not enrolled any more.
                        .orElseThrow(() -> new ApiException(409, "face-not-enrolled",
                                "your face enrolment was just deleted; ask your chief examiner to enrol you"))), false));
    }

    /** Base64 images of a JSON array; 400 naming the element that is not one. */
    static List<byte[]> decode(JsonArray items, String field) {
        List<byte[]> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object o = items.getValue(i);
            if (!(o instanceof String s) || s.isEmpty()) {
                throw ApiException.badRequest("'" + field + "[" + i + "]' must be a base64-encoded image");
            }
            try {
                out.add(Base64.getDecoder().decode(s));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'" + field + "[" + i + "]' is not valid base64");
            }
        }
        return out;
    }
}

package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.face.BurstFingerprint;
import org.openmarking.server.face.Challenge;
import org.openmarking.server.face.CheckRequest;
import org.openmarking.server.face.CheckResult;
import org.openmarking.server.face.FaceChecks;
import org.openmarking.server.face.FaceTemplates;
import org.openmarking.server.face.presence.Presence.State;
import org.openmarking.server.http.ApiException;

/**
 * One presence check over HTTP: the marker asks for the challenge of their outstanding check
 * ({@link #open}), films the head turn and sends the burst ({@link #burst}). Verification runs
 * on the worker pool; the result is recorded under the marker's locked presence row.
 */
public final class Checks {
    /** Frames the client is asked to send, and the gap between them: 8 x 150 ms covers a turn and back. */
    public static final int FRAMES = 8;
    public static final int INTERVAL_MS = 150;
    /** Earlier bursts a new one is compared with for replay. */
    static final int REPLAY_HISTORY = 100;

    private final FacePresence presence;
    private final Pool pool;
    private final Clock clock;
    private final WorkerExecutor workers;
    private final EncryptedBlobStore blobs;

    Checks(FacePresence presence, Pool pool, Clock clock, WorkerExecutor workers, EncryptedBlobStore blobs) {
        this.presence = presence;
        this.pool = pool;
        this.clock = clock;
        this.workers = workers;
        this.blobs = blobs;
    }

    /** An opened check: the body, and whether it was issued now (201) or is the one already open (200). */
    public record Opened(boolean created, JsonObject body) {
    }

    /**
     * The challenge for the marker's outstanding check. While a challenge is open, asking again
     * returns the same one, so a client cannot draw directions until one suits a recording.
     */
    public Future<Opened> open(UUID markerId) {
        Instant now = clock.instant();
        return presence.requireService().compose(v -> presence.enrollments().current(markerId)).compose(ref -> ref.isEmpty()
                ? Future.failedFuture(new ApiException(409, "face-not-enrolled",
                        "you are not enrolled for face checks; ask your chief examiner to enrol you"))
                : presence.<Object>transact(markerId, markerId, (tx, p, login, name) -> {
                    PresenceRules.Step settled = presence.rules().onActivity(p, markerId, login, now);
                    Presence s = settled.next();
                    if (s.state() == State.OK) {
                        return Future.succeededFuture(new FacePresence.Outcome<>(settled, new ApiException(409, "no-check-due",
                                "no face check is due"), null, null));
                    }
                    if (s.state() == State.SUSPENDED) {
                        return Future.succeededFuture(new FacePresence.Outcome<>(settled, new ApiException(409,
                                "presence-suspended", "you are suspended; a chief examiner will review your checks"), null, null));
                    }
                    return tx.preparedQuery("select id, challenge, deadline from face_checks where marker_id = $1 and status = 'open'")
                            .execute(Tuple.of(markerId)).compose(rows -> {
                                if (rows.size() > 0) {
                                    Row r = rows.iterator().next();
                                    return Future.succeededFuture(new FacePresence.Outcome<>(settled, (Object) new Opened(false,
                                            body(r.getUUID("id"), r.getString("challenge"), PresenceStore.instant(r, "deadline"))),
                                            null, null));
                                }
                                PresenceRules.Step issued = presence.rules().onChallenge(s, now);
                                Challenge c = presence.challenge(now, issued.next().deadline());
                                UUID id = UUID.randomUUID();
                                List<PresenceRules.Change> all = new ArrayList<>(settled.changes());
                                all.addAll(issued.changes());
                                return tx.preparedQuery("insert into face_checks (id, marker_id, trigger, challenge, issued_at, deadline)"
                                                + " values ($1, $2, $3, $4, $5, $6)")
                                        .execute(Tuple.of(id, markerId, s.trigger().dbName(), c.direction().name(),
                                                PresenceStore.time(now), PresenceStore.time(c.expiresAt())))
                                        .map(x -> new FacePresence.Outcome<>(new PresenceRules.Step(issued.next(), all),
                                                (Object) new Opened(true, body(id, c.direction().name(), c.expiresAt())), id,
                                                new JsonObject().put("challenge", c.direction().name())));
                            });
                }).compose(r -> r.value() instanceof ApiException e ? Future.failedFuture(e)
                        : Future.succeededFuture((Opened) r.value())));
    }

    private static JsonObject body(UUID id, String challenge, Instant deadline) {
        return new JsonObject().put("checkId", id.toString()).put("challenge", challenge).put("deadline", deadline.toString())
                .put("frames", FRAMES).put("intervalMs", INTERVAL_MS);
    }

    /** The open check's row, as the burst needs it. */
    private record OpenCheck(UUID id, Challenge challenge, boolean retry) {
    }

    /**
     * Decides a burst for check {@code checkId}: {@code {result, reason, retryAllowed, state}}.
     * Unreadable input (frame count, not base64, not an image) is a 400 and leaves the check open;
     * so does a marker enrolled with another recognizer (409 face-reenrol-needed).
     */
    public Future<JsonObject> burst(UUID markerId, UUID checkId, JsonArray frames) {
        if (frames == null || frames.isEmpty()) {
            return Future.failedFuture(ApiException.badRequest("'frames' must be an array of base64-encoded JPEG frames"));
        }
        return presence.requireService().compose(v -> loadOpen(markerId, checkId)).compose(open -> presence.enrollments()
                .templates(markerId).compose(templates -> {
                    FaceChecks e = presence.service().checks().orElseThrow();
                    if (!templates.modelId().equals(e.recognizerId())) {
                        return Future.failedFuture(new ApiException(409, "face-reenrol-needed", "your enrolment was made with "
                                + templates.modelId() + " but checks now run " + e.recognizerId() + "; ask to be enrolled again"));
                    }
                    return earlierBursts(markerId, checkId).compose(earlier -> workers.executeBlocking(() -> {
                        List<byte[]> bytes = Enrollments.decode(frames, "frames");
                        CheckResult result = e.verify(new CheckRequest(bytes, templates, open.challenge(), earlier));
                        if (result.reason() == CheckResult.Reason.BAD_INPUT) {
                            throw ApiException.badRequest("burst refused, the check stays open: " + result.detail());
                        }
                        // Evidence is kept only for a failure that suspends (the retry's), sealed.
                        String evidence = null;
                        String keyId = null;
                        long size = 0;
                        if (!result.passed() && open.retry() && result.reason() != CheckResult.Reason.TIMEOUT) {
                            byte[] packed = EvidenceFrames.pack(bytes);
                            keyId = blobs.put("face-evidence-" + checkId, packed).orElse(null);
                            evidence = keyId == null ? null : "face-evidence-" + checkId;
                            size = packed.length;
                        }
                        return new Verified(result, evidence, keyId, size, bytes.size());
                    }, false)).compose(v -> record(markerId, checkId, v));
                }));
    }

    private record Verified(CheckResult result, String evidenceRef, String keyId, long size, int frames) {
    }

    private Future<OpenCheck> loadOpen(UUID markerId, UUID checkId) {
        return pool.preparedQuery("select c.marker_id, c.status, c.reason, c.challenge, c.issued_at, c.deadline, c.trigger"
                        + " from face_checks c where c.id = $1")
                .execute(Tuple.of(checkId)).compose(rows -> {
                    if (rows.size() == 0 || !rows.iterator().next().getUUID("marker_id").equals(markerId)) {
                        return Future.failedFuture(ApiException.notFound("no check " + checkId + " of yours"));
                    }
                    Row r = rows.iterator().next();
                    if (!"open".equals(r.getString("status"))) {
                        return Future.failedFuture(new ApiException(409, "face-check-closed", "check " + checkId + " was already decided: "
                                + r.getString("status") + (r.getString("reason") == null ? "" : " " + r.getString("reason"))));
                    }
                    Challenge c = new Challenge(Challenge.Direction.valueOf(r.getString("challenge")),
                            PresenceStore.instant(r, "issued_at"), PresenceStore.instant(r, "deadline"));
                    return Future.succeededFuture(new OpenCheck(checkId, c, "retry".equals(r.getString("trigger"))));
                });
    }

    private Future<List<BurstFingerprint>> earlierBursts(UUID markerId, UUID checkId) {
        return pool.preparedQuery("select fingerprint from face_checks where marker_id = $1 and id <> $2 and fingerprint is not null"
                        + " order by issued_at desc limit " + REPLAY_HISTORY)
                .execute(Tuple.of(markerId, checkId)).map(rows -> {
                    List<BurstFingerprint> out = new ArrayList<>();
                    rows.forEach(r -> out.add(BurstFingerprint.fromBytes(r.getBuffer("fingerprint").getBytes())));
                    return out;
                });
    }

    /** Records the verdict under the marker's lock; a check that timed out meanwhile stays a TIMEOUT. */
    private Future<JsonObject> record(UUID markerId, UUID checkId, Verified v) {
        Instant now = clock.instant();
        CheckResult res = v.result();
        return presence.<CheckResult.Reason>transact(markerId, markerId, (tx, p, login, name) -> {
            PresenceRules.Step settled = presence.rules().onActivity(p, markerId, login, now);
            return tx.preparedQuery("select status from face_checks where id = $1 for update").execute(Tuple.of(checkId))
                    .compose(rows -> {
                        boolean stillOpen = "open".equals(rows.iterator().next().getString("status"));
                        Presence s = settled.next();
                        boolean timedOut = settled.changes().stream().anyMatch(c -> c.reason() == CheckResult.Reason.TIMEOUT);
                        if (timedOut) {
                            // The deadline passed while the burst was verified: the settle closed the check.
                            return Future.succeededFuture(new FacePresence.Outcome<>(settled, CheckResult.Reason.TIMEOUT, checkId, null));
                        }
                        if (!stillOpen || (s.state() != State.CHECK_DUE && s.state() != State.PAUSED)) {
                            return Future.failedFuture(new ApiException(409, "face-check-closed",
                                    "check " + checkId + " was decided meanwhile by another burst"));
                        }
                        PresenceRules.Step decided = presence.rules().onResult(s, res.passed(), res.reason(), now);
                        List<PresenceRules.Change> all = new ArrayList<>(settled.changes());
                        all.addAll(decided.changes());
                        JsonObject detail = new JsonObject().put("detail", res.detail()).put("frames", v.frames())
                                .put("similarity", finite(res.similarity())).put("threshold", finite(res.threshold()))
                                .put("yawChange", finite(res.yawChange()));
                        Future<Void> blob = v.evidenceRef() == null ? Future.succeededFuture() : tx.preparedQuery(
                                        "insert into blobs (ref, kind, key_id, size_bytes) values ($1, 'face-evidence', $2, $3)")
                                .execute(Tuple.of(v.evidenceRef(), v.keyId(), v.size())).mapEmpty();
                        return blob.compose(x -> tx.preparedQuery("update face_checks set status = $2, reason = $3, detail = $4,"
                                                + " similarity = $5, threshold = $6, yaw_change = $7, frames = $8, answered_at = $9,"
                                                + " fingerprint = $10, evidence_ref = $11 where id = $1")
                                        .execute(Tuple.from(new Object[] {checkId, res.passed() ? "passed" : "failed",
                                                res.reason() == null ? null : res.reason().name(), res.detail(), finite(res.similarity()),
                                                finite(res.threshold()), finite(res.yawChange()), v.frames(), PresenceStore.time(now),
                                                res.fingerprint() == null ? null : io.vertx.core.buffer.Buffer.buffer(res.fingerprint().toBytes()),
                                                v.evidenceRef()})))
                                .map(x -> new FacePresence.Outcome<>(new PresenceRules.Step(decided.next(), all), res.reason(),
                                        checkId, detail));
                    });
        }).map(r -> {
            boolean passed = r.presence().state() == State.OK && r.value() == null;
            return new JsonObject().put("result", passed ? "PASS" : "FAIL")
                    .put("reason", r.value() == null ? null : r.value().name())
                    .put("retryAllowed", r.presence().state() == State.PAUSED)
                    .put("state", r.presence().state().name());
        });
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}

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
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.openmarking.server.account.Principal;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.face.presence.Presence.State;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.presence.MarkHolds;

/**
 * What chief examiners (and admins) see and decide: presence events and suspended markers
 * within their scope, the evidence frames of a failed check (every view audited), and the
 * decision on a suspension: reinstate, accepting or withdrawing the held marks, or keep the
 * marker suspended.
 */
public final class Review {
    private final FacePresence presence;
    private final Pool pool;
    private final Clock clock;
    private final WorkerExecutor workers;
    private final EncryptedBlobStore blobs;
    private final MarkHolds holds;

    Review(FacePresence presence, Pool pool, Clock clock, WorkerExecutor workers, EncryptedBlobStore blobs, MarkHolds holds) {
        this.presence = presence;
        this.pool = pool;
        this.clock = clock;
        this.workers = workers;
        this.blobs = blobs;
        this.holds = holds;
    }

    /** The latest presence events of markers within the caller's scope, newest first. */
    public Future<JsonObject> events(Principal actor, int limit) {
        return pool.preparedQuery("select e.id as event_id, e.at, e.kind, e.check_id, e.reason, e.detail, u.id, u.username, "
                        + MarkerDirectory.COVERAGE + " from presence_events e join users u on u.id = e.marker_id"
                        + " order by e.id desc limit $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        if (MarkerDirectory.covers(actor, MarkerDirectory.read(r))) {
                            out.add(new JsonObject().put("id", r.getLong("event_id")).put("at", PresenceStore.instant(r, "at").toString())
                                    .put("marker", r.getString("username")).put("kind", r.getString("kind"))
                                    .put("checkId", r.getUUID("check_id") == null ? null : r.getUUID("check_id").toString())
                                    .put("reason", r.getString("reason")).put("detail", (JsonObject) r.getJson("detail")));
                        }
                    }
                    return new JsonObject().put("events", out);
                });
    }

    /** Markers of an exam: a marker role scoped to it (or inside it), or a task of it begun. */
    static final String EXAM_MARKERS = "(exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'marker'"
            + " and (r.scope = $1 or r.scope like $1 || '.%')) or exists (select 1 from marker_tasks mt where mt.marker_id = u.id"
            + " and mt.task_id like $1 || '.%'))";

    /**
     * Presence totals of an exam's markers within the caller's scope: checks passed and failed,
     * pauses and suspensions, and the failures by reason, for each marker and summed over them.
     * Counted by PostgreSQL over every event, not a page of the latest. Presence is per marker,
     * not per exam, so a marker of two exams counts in both; the exam's sum is taken over the
     * markers the caller may see, so a subject's chief examiner gets their subject's figures.
     */
    public Future<JsonObject> totals(Principal actor, String examId) {
        return pool.preparedQuery("select u.id, u.username, " + MarkerDirectory.COVERAGE + ", p.state,"
                        + " count(e.id) filter (where e.kind = 'passed') as passed, count(e.id) filter (where e.kind = 'failed') as failed,"
                        + " count(e.id) filter (where e.kind = 'paused') as paused, count(e.id) filter (where e.kind = 'suspended') as suspended,"
                        + " (select coalesce(json_object_agg(x.reason, x.n), '{}'::json) from (select coalesce(f.reason, 'UNRECORDED') as reason,"
                        + "   count(*) as n from presence_events f where f.marker_id = u.id and f.kind = 'failed' group by 1) x) as reasons"
                        + " from users u left join presence p on p.marker_id = u.id left join presence_events e on e.marker_id = u.id"
                        + " where " + EXAM_MARKERS + " group by u.id, u.username, p.state order by u.username")
                .execute(Tuple.of(examId)).map(rows -> {
                    JsonArray markers = new JsonArray();
                    long[] sums = new long[4];
                    JsonObject reasons = new JsonObject();
                    String[] kinds = {"passed", "failed", "paused", "suspended"};
                    for (Row r : rows) {
                        if (!MarkerDirectory.covers(actor, MarkerDirectory.read(r))) {
                            continue;
                        }
                        JsonObject m = new JsonObject().put("marker", r.getString("username"))
                                .put("state", r.getString("state") == null ? null : Presence.State.fromDb(r.getString("state")).name());
                        for (int i = 0; i < kinds.length; i++) {
                            long n = r.getLong(kinds[i]);
                            m.put(kinds[i], n);
                            sums[i] += n;
                        }
                        JsonObject mine = new JsonObject(r.getValue("reasons").toString());
                        mine.forEach(e -> reasons.put(e.getKey(), reasons.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
                        markers.add(m.put("failureReasons", mine));
                    }
                    JsonObject exam = new JsonObject();
                    for (int i = 0; i < kinds.length; i++) {
                        exam.put(kinds[i], sums[i]);
                    }
                    return new JsonObject().put("exam", examId).put("totals", exam.put("failureReasons", reasons)).put("markers", markers);
                });
    }

    /** Suspended markers within the caller's scope, with their failed checks since the last pass. */
    public Future<JsonObject> suspended(Principal actor) {
        return pool.preparedQuery("select u.id, u.username, p.suspended_at, p.hold_pending, p.last_passed_at, "
                        + MarkerDirectory.COVERAGE + ", coalesce((select json_agg(json_build_object('checkId', c.id, 'at', c.answered_at, 'reason', c.reason,"
                        + " 'detail', c.detail, 'answeredAt', c.answered_at, 'similarity', c.similarity, 'evidence', c.evidence_ref is not null)"
                        + " order by c.issued_at) from face_checks c where c.marker_id = p.marker_id and c.status = 'failed'"
                        + " and (p.last_passed_at is null or c.issued_at > p.last_passed_at)), '[]'::json) as checks"
                        + " from presence p join users u on u.id = p.marker_id where p.state = 'suspended' order by p.suspended_at")
                .execute().map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        if (MarkerDirectory.covers(actor, MarkerDirectory.read(r))) {
                            Instant passed = PresenceStore.instant(r, "last_passed_at");
                            out.add(new JsonObject().put("marker", r.getString("username"))
                                    .put("suspendedAt", PresenceStore.instant(r, "suspended_at").toString())
                                    .put("lastPassedAt", passed == null ? null : passed.toString())
                                    .put("marksHeld", !r.getBoolean("hold_pending"))
                                    .put("checks", (JsonArray) r.getJson("checks")));
                        }
                    }
                    return new JsonObject().put("markers", out);
                });
    }

    /** The evidence frames of one failed check, base64 JPEG; the view is audited before the frames leave. */
    public Future<JsonObject> evidence(Principal actor, String username, UUID checkId) {
        return MarkerDirectory.findCovered(pool, actor, username).compose(m -> pool.preparedQuery(
                        "select evidence_ref, reason from face_checks where id = $1 and marker_id = $2")
                .execute(Tuple.of(checkId, m.id())).compose(rows -> {
                    if (rows.size() == 0 || rows.iterator().next().getString("evidence_ref") == null) {
                        return Future.failedFuture(ApiException.notFound("no evidence for check " + checkId + " of " + username));
                    }
                    Row r = rows.iterator().next();
                    String ref = r.getString("evidence_ref");
                    return pool.withTransaction(tx -> AuditLog.record(tx, actor.userId(), "face.evidence-viewed", m.username(),
                                    new JsonObject().put("markerId", m.id().toString()).put("checkId", checkId.toString())))
                            .compose(v -> workers.executeBlocking(() -> EvidenceFrames.unpack(blobs.get(ref)
                                    .orElseThrow(() -> new IllegalStateException("evidence blob " + ref + " is missing"))), false))
                            .map(frames -> {
                                JsonArray a = new JsonArray();
                                frames.forEach(f -> a.add(Base64.getEncoder().encodeToString(f)));
                                return new JsonObject().put("marker", m.username()).put("checkId", checkId.toString())
                                        .put("reason", r.getString("reason")).put("frames", a);
                            });
                }));
    }

    /**
     * Decides a suspension. {@code reinstate} with {@code marks} {@code accept} or
     * {@code withdraw}: the held marks are released first (so a failure changes nothing), then
     * the marker may work again after passing a fresh check. {@code keep-suspended} with
     * {@code marks} {@code withdraw} (their responses go back to other markers) or {@code hold}.
     */
    public Future<JsonObject> decide(Principal actor, String username, String decision, String marks, String note) {
        boolean reinstate = "reinstate".equals(decision);
        if (!reinstate && !"keep-suspended".equals(decision)) {
            return Future.failedFuture(ApiException.badRequest("'decision' must be 'reinstate' or 'keep-suspended'"));
        }
        List<String> allowed = reinstate ? List.of("accept", "withdraw") : List.of("withdraw", "hold");
        if (!allowed.contains(marks)) {
            return Future.failedFuture(ApiException.badRequest("'marks' must be one of " + allowed + " when the decision is " + decision));
        }
        return MarkerDirectory.findCovered(pool, actor, username).compose(m -> pool.preparedQuery(
                        "select state from presence where marker_id = $1").execute(Tuple.of(m.id())).compose(rows -> {
                    if (rows.size() == 0 || !"suspended".equals(rows.iterator().next().getString("state"))) {
                        return Future.failedFuture(new ApiException(409, "not-suspended", "'" + username + "' is not suspended"));
                    }
                    Future<Integer> released = "hold".equals(marks) ? Future.succeededFuture(0)
                            : holds.release(m.id(), "accept".equals(marks), actor.userId());
                    return released.compose(changed -> presence.<Integer>transact(m.id(), actor.userId(), (tx, p, login, name) -> {
                        if (p.state() != State.SUSPENDED) {
                            return Future.failedFuture(new ApiException(409, "not-suspended", "'" + username + "' is not suspended"));
                        }
                        JsonObject detail = new JsonObject().put("decision", decision).put("marks", marks).put("marksChanged", changed)
                                .put("note", note == null ? "" : note);
                        if (reinstate) {
                            return Future.succeededFuture(new FacePresence.Outcome<>(presence.rules().reinstate(p, clock.instant()),
                                    changed, null, detail));
                        }
                        return tx.preparedQuery("insert into presence_events (marker_id, at, kind, actor, detail)"
                                        + " values ($1, $2, 'kept-suspended', $3, $4)")
                                .execute(Tuple.of(m.id(), PresenceStore.time(clock.instant()), actor.userId(), detail))
                                .compose(x -> AuditLog.record(tx, actor.userId(), "presence.kept-suspended", name,
                                        detail.copy().put("markerId", m.id().toString())))
                                .map(x -> new FacePresence.Outcome<>(new PresenceRules.Step(p, List.of()), changed, null, null));
                    })).map(r -> new JsonObject().put("marker", m.username()).put("state", r.presence().state().name())
                            .put("decision", decision).put("marks", marks).put("marksChanged", r.value()));
                }));
    }
}

package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.openmarking.domain.Mark;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.calibration.CalibrationService;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.store.Transactions;
import org.openmarking.server.seeding.SeedService;

/**
 * Marks and escalations from markers, and the chief examiner's own marks (adjudication, an
 * escalation settled with a mark).
 *
 * <p>A submission carries a client-chosen id: the same id again gets the same answer and counts
 * nothing twice (the id is the primary key, so even two copies racing each other insert once).
 * Every refusal happens before anything is written. The answer for a seed is the answer for live
 * work, so the client cannot tell them apart.
 */
public final class MarkService {
    public static final Set<String> ESCALATION_REASONS = Set.of("illegible", "blank", "other-question", "concerning", "malpractice");
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final CalibrationService calibration;
    private final SeedService seeds;
    private final Notices notices;

    public MarkService(Pool pool, CalibrationService calibration, SeedService seeds, Notices notices) {
        this.pool = pool;
        this.calibration = calibration;
        this.seeds = seeds;
        this.notices = notices;
    }

    /** A mark as submitted. */
    public record Submission(UUID id, String responseId, Mark mark, int criteriaVersion, Instant markedAt) {
    }

    /**
     * Records a marker's mark.
     *
     * @param inScope whether the marker's scope covers a task (checked against the task of the
     *                lease or calibration item, read in the same statement, so it costs no round trip)
     */
    public Future<JsonObject> submit(UUID markerId, Submission s, Predicate<String> inScope) {
        return submit(markerId, s, inScope, 1);
    }

    private Future<JsonObject> submit(UUID markerId, Submission s, Predicate<String> inScope, int attempt) {
        return submitOnce(markerId, s, inScope).recover(e -> {
            // Two copies of one submission raced: the loser finds the winner's mark and answers the same.
            // Two markers' submissions deadlocked: PostgreSQL rolled one back; it runs again from the start
            // (with a fresh outbox, so nothing is announced twice).
            boolean raced = e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
            if ((raced || Transactions.retryable(e)) && attempt < Transactions.ATTEMPTS) {
                return submit(markerId, s, inScope, attempt + 1);
            }
            return Future.failedFuture(e);
        });
    }

    /**
     * The live path in four round trips: BEGIN; one statement that locks the lease and the
     * response and reads everything the checks and the resolution need (including whether this
     * id was used before); one statement that writes the mark, ends the lease, appends the audit
     * entry and sets the response's new status; COMMIT. Anything else (a calibration item, a
     * resubmission after the lease ended) takes the general path.
     */
    private Future<JsonObject> submitOnce(UUID markerId, Submission s, Predicate<String> inScope) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> tx.preparedQuery(LEASE).execute(Tuple.of(s.responseId(), markerId, s.id()))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return previous(tx, markerId, s).compose(prev -> prev.isPresent() ? Future.succeededFuture(prev.get())
                                : calibrationMark(tx, markerId, s, inScope, outbox));
                    }
                    Row a = rs.iterator().next();
                    // A marker whose scope no longer covers the task keeps no right to its leases.
                    requireScope(inScope, a.getString(4));
                    if (a.getValue(10) != null) {
                        return previous(tx, markerId, s).map(Optional::orElseThrow);
                    }
                    if (a.getString(2).equals("marked")) {
                        // Perhaps a copy of this very submission that we waited for: that one's answer, if so.
                        return previous(tx, markerId, s).compose(prev -> prev.isPresent() ? Future.succeededFuture(prev.get())
                                : leased(tx, markerId, s, a, "[]", outbox));
                    }
                    // Read after the lock (a statement that waited for a lock sees other rows as of its start).
                    return tx.preparedQuery(FACTS).execute(Tuple.of(s.responseId(), a.getLong(0)))
                            .compose(facts -> leased(tx, markerId, s, a, facts.iterator().next().getValue(0).toString(), outbox));
                }))
                .onSuccess(x -> outbox.flush());
    }

    /** The lease, its marker's standing, the task, and the response with its marks and other leases, locked. */
    private static final String LEASE = "select a.id, a.kind, a.state, a.expires_at <= now(), a.task_id, mt.state, t.settings, t.exam_id, "
            + "(select max(version) from criteria_versions v where v.task_id = a.task_id), r.status, "
            + "(select 1 from marks p where p.id = $3 union all select 1 from calibration_marks c where c.mark_id = $3 limit 1) "
            + "from allocations a join marker_tasks mt on mt.marker_id = a.marker_id and mt.task_id = a.task_id "
            + "join tasks t on t.id = a.task_id join responses r on r.id = a.response_id "
            + "where a.response_id = $1 and a.marker_id = $2 for update of a, r";

    /** The response's other running leases and its counted marks, read once the response is locked. */
    private static final String FACTS = "select json_build_array("
            + "(select count(*) from allocations x where x.response_id = $1 and x.kind = 'live' and x.state = 'leased' and x.id <> $2), "
            + "(select count(*) from allocations x where x.response_id = $1 and x.kind = 'senior' and x.state = 'leased' and x.id <> $2), "
            + "(select coalesce(json_agg(json_build_array(m.marker_id::text, m.sixths, m.kind, m.status)), '[]'::json) "
            + "   from marks m where m.response_id = $1 and m.kind <> 'seed' and m.status <> 'withdrawn'))";

    /** The answer already given to this id, if any; 409 if the id was used for a different mark. */
    private Future<Optional<JsonObject>> previous(SqlClient tx, UUID markerId, Submission s) {
        return tx.preparedQuery("select marker_id, response_id, sixths, 'live' from marks where id = $1 "
                        + "union all select a.marker_id, m.response_id, m.sixths, 'calibration' from calibration_marks m "
                        + "join calibration_attempts a on a.id = m.attempt_id where m.mark_id = $1")
                .execute(Tuple.of(s.id()))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    Row r = rs.iterator().next();
                    if (!r.getUUID(0).equals(markerId) || !r.getString(1).equals(s.responseId()) || r.getInteger(2) != s.mark().sixths()) {
                        return Future.failedFuture(new ApiException(409, "id-reused",
                                "mark id " + s.id() + " was already used for a different mark; choose a new id for a new mark"));
                    }
                    JsonObject answer = accepted(s.id());
                    return r.getString(3).equals("live") ? Future.succeededFuture(Optional.of(answer))
                            : calibration.replay(tx, s.id()).map(p -> Optional.of(answer.put("calibration", p)));
                });
    }

    private static JsonObject accepted(UUID id) {
        return new JsonObject().put("id", id.toString()).put("status", "accepted");
    }

    private Future<JsonObject> calibrationMark(SqlClient tx, UUID markerId, Submission s, Predicate<String> inScope, Outbox outbox) {
        return tx.preparedQuery("select max(v.version), a.task_id, mt.state from calibration_attempts a "
                        + "join calibration_items i on i.set_id = a.set_id join criteria_versions v on v.task_id = a.task_id "
                        + "join marker_tasks mt on mt.marker_id = a.marker_id and mt.task_id = a.task_id "
                        + "where a.marker_id = $1 and a.finished_at is null and i.response_id = $2 group by a.task_id, mt.state")
                .execute(Tuple.of(markerId, s.responseId()))
                .compose(v -> {
                    if (v.size() == 0) {
                        return Future.failedFuture(new ApiException(403, "not-leased", "response " + s.responseId()
                                + " is not leased to you; ask for work with POST /api/v1/marking/tasks/{taskId}/next"));
                    }
                    Row r = v.iterator().next();
                    requireScope(inScope, r.getString(1));
                    if (r.getString(2).equals("suspended")) {
                        return Future.failedFuture(suspended(r.getString(1)));
                    }
                    int inForce = r.getInteger(0);
                    if (inForce != s.criteriaVersion()) {
                        return Future.failedFuture(criteriaOutdated(s.criteriaVersion(), inForce));
                    }
                    return calibration.recordMark(tx, markerId, s.id(), s.responseId(), s.mark(), outbox)
                            .map(p -> accepted(s.id()).put("calibration", p.orElseThrow()));
                });
    }

    /** 403 out-of-scope unless the caller's marker scope covers {@code taskId}. */
    static void requireScope(Predicate<String> inScope, String taskId) {
        if (!inScope.test(taskId)) {
            throw new ApiException(403, "out-of-scope", "you are not a marker of task " + taskId);
        }
    }

    /**
     * Suspension comes before every check of the lease: suspending released the marker's leases,
     * and "lease expired" would send them to ask for work they may no longer have.
     */
    private static ApiException suspended(String taskId) {
        return new ApiException(409, "marker-suspended", "you are suspended from task " + taskId + "; a chief examiner must reinstate you");
    }

    private static ApiException criteriaOutdated(int given, int inForce) {
        return new ApiException(409, "criteria-outdated", "criteria version " + given + " is no longer in force; version " + inForce
                + " is: read it (GET /api/v1/exams/tasks/{taskId}/criteria) and mark again");
    }

    /** A live, seed or senior lease: every check, then one statement writes mark, lease and audit entry. */
    private Future<JsonObject> leased(SqlClient tx, UUID markerId, Submission s, Row a, String factsJson, Outbox outbox) {
        long allocationId = a.getLong(0);
        String kind = a.getString(1);
        String state = a.getString(2);
        String taskId = a.getString(4);
        if (a.getString(5).equals("suspended")) {
            return Future.failedFuture(suspended(taskId));
        }
        if (!state.equals("leased")) {
            return Future.failedFuture(switch (state) {
                case "marked" -> new ApiException(409, "already-marked", "you have already marked response " + s.responseId()
                        + " under another mark id");
                case "escalated" -> new ApiException(409, "escalated", "you escalated response " + s.responseId() + "; it waits for the chief examiner");
                default -> new ApiException(409, "lease-expired", "your lease on response " + s.responseId()
                        + " has ended and it went back to the pool; ask for new work");
            });
        }
        if (a.getBoolean(3)) {
            return Future.failedFuture(new ApiException(409, "lease-expired", "your lease on response " + s.responseId()
                    + " has expired; ask for new work"));
        }
        if (!a.getString(5).equals("qualified")) {
            return Future.failedFuture(new ApiException(409, "not-qualified", "you may not live-mark task " + taskId + " now ("
                    + a.getString(5) + ")"));
        }
        int inForce = a.getInteger(8);
        if (inForce != s.criteriaVersion()) {
            return Future.failedFuture(criteriaOutdated(s.criteriaVersion(), inForce));
        }
        TaskSettings settings = TaskSettings.parse((JsonObject) a.getValue(6));
        String examId = a.getString(7);
        JsonObject audit = new JsonObject().put("id", s.id().toString()).put("task", taskId).put("mark", s.mark().toString())
                .put("kind", kind).put("criteriaVersion", s.criteriaVersion());
        // The response's new standing, decided before the write so that one statement does it all.
        ResponseState.Outcome outcome = null;
        String before = a.getString(9);
        if (!kind.equals("seed") && !ResponseState.settledElsewhere(before)) {
            JsonArray facts = new JsonArray(factsJson);
            JsonArray marks = facts.getJsonArray(2).copy().add(new JsonArray().add(markerId.toString()).add(s.mark().sixths()).add(kind).add("valid"));
            outcome = ResponseState.decide(s.responseId(), facts.getLong(0), facts.getLong(1), marks, settings.resolution());
        }
        ResponseState.Outcome o = outcome;
        return tx.preparedQuery("with m as (insert into marks (id, allocation_id, response_id, marker_id, task_id, sixths, criteria_version, "
                        + "kind, made_at, client_marked_at) values ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9) returning id), "
                        + "a as (update allocations set state = 'marked' where id = $2), "
                        + "l as (insert into audit_log (actor, action, subject, detail) values ($4, 'mark.submitted', $3, $10)), "
                        + "r as (update responses set status = $12, assigned = $13, final_sixths = $14, marks_needed = $15 where id = $3 and $11) "
                        + "select id from m")
                .execute(Tuple.from(new Object[] {s.id(), allocationId, s.responseId(), markerId, taskId, (short) s.mark().sixths(),
                        s.criteriaVersion(), kind, s.markedAt() == null ? null : OffsetDateTime.ofInstant(s.markedAt(), ZoneOffset.UTC), audit,
                        o != null, o == null ? before : o.status(), o == null ? 0 : o.assigned(),
                        o == null || o.finalMark() == null ? null : (short) o.finalMark().sixths(), o == null ? 0 : o.needed()}))
                .compose(x -> {
                    if (kind.equals("seed")) {
                        return seeds.afterSeedMark(tx, markerId, taskId, examId, settings, outbox);
                    }
                    if (o != null) {
                        announce(new ResponseState.Change(s.responseId(), taskId, examId, before, o.status()), outbox);
                    }
                    return Future.<Void>succeededFuture();
                })
                .map(x -> accepted(s.id()));
    }

    /** Pushes what a response's new status means to the chief examiners. */
    void announce(ResponseState.Change c, Outbox outbox) {
        if (c.became("adjudication")) {
            outbox.add(() -> notices.toChiefs(c.examId(), "adjudication-needed", c.taskId(), new JsonObject().put("responseId", c.responseId())));
        }
        outbox.add(() -> notices.statsChanged(c.examId(), c.taskId()));
    }

    /** A marker escalates a leased response instead of marking it; idempotent by the client's id. */
    public Future<JsonObject> escalate(UUID markerId, UUID clientId, String responseId, String reason, String note, Predicate<String> inScope) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> tx.preparedQuery("select marker_id, response_id, reason, id from escalations where client_id = $1")
                .execute(Tuple.of(clientId))
                .compose(prev -> {
                    if (prev.size() > 0) {
                        Row p = prev.iterator().next();
                        if (!p.getUUID(0).equals(markerId) || !p.getString(1).equals(responseId) || !p.getString(2).equals(reason)) {
                            return Future.failedFuture(new ApiException(409, "id-reused", "escalation id " + clientId + " was already used"));
                        }
                        return Future.succeededFuture(escalated(clientId));
                    }
                    return tx.preparedQuery("select a.id, a.kind, a.state, a.expires_at <= now(), a.task_id, mt.state, t.exam_id "
                                    + "from allocations a join marker_tasks mt on mt.marker_id = a.marker_id and mt.task_id = a.task_id "
                                    + "join tasks t on t.id = a.task_id where a.response_id = $1 and a.marker_id = $2 for update of a")
                            .execute(Tuple.of(responseId, markerId))
                            .compose(rs -> {
                                if (rs.size() == 0) {
                                    return Future.failedFuture(new ApiException(403, "not-leased", "response " + responseId + " is not leased to you"));
                                }
                                Row a = rs.iterator().next();
                                String taskId = a.getString(4);
                                requireScope(inScope, taskId);
                                if (a.getString(5).equals("suspended")) {
                                    return Future.failedFuture(suspended(taskId));
                                }
                                if (!a.getString(2).equals("leased") || a.getBoolean(3)) {
                                    return Future.failedFuture(new ApiException(409, "lease-expired", "your lease on response " + responseId
                                            + " is not running"));
                                }
                                boolean live = !a.getString(1).equals("seed");
                                return tx.preparedQuery("insert into escalations (client_id, response_id, task_id, marker_id, allocation_id, reason, note) "
                                                + "values ($1, $2, $3, $4, $5, $6, $7) returning id")
                                        .execute(Tuple.of(clientId, responseId, taskId, markerId, a.getLong(0), reason, note))
                                        .compose(x -> tx.preparedQuery("update allocations set state = 'escalated' where id = $1").execute(Tuple.of(a.getLong(0))))
                                        // A seed escalated stays a seed; the chief examiner sees the escalation all the same.
                                        .compose(x -> live ? tx.preparedQuery("update responses set status = 'escalated' where id = $1")
                                                .execute(Tuple.of(responseId)).mapEmpty() : Future.succeededFuture())
                                        .compose(x -> AuditLog.record(tx, markerId, "response.escalated", responseId, new JsonObject()
                                                .put("task", taskId).put("reason", reason)))
                                        .map(x -> {
                                            outbox.add(() -> notices.toChiefs(a.getString(6), "escalation", taskId,
                                                    new JsonObject().put("responseId", responseId).put("reason", reason)));
                                            outbox.add(() -> notices.statsChanged(a.getString(6), taskId));
                                            return escalated(clientId);
                                        });
                            });
                })).onSuccess(x -> outbox.flush());
    }

    private static JsonObject escalated(UUID id) {
        return new JsonObject().put("id", id.toString()).put("status", "escalated");
    }

    /** The task of an escalation, for the scope check before resolving it. */
    public Future<String> escalationTask(long escalationId) {
        return pool.preparedQuery("select task_id from escalations where id = $1").execute(Tuple.of(escalationId))
                .compose(rs -> rs.size() == 0 ? Future.failedFuture(ApiException.notFound("no escalation " + escalationId))
                        : Future.succeededFuture(rs.iterator().next().getString(0)));
    }

    /** The task of a response, for scope checks. */
    public Future<String> responseTask(String responseId) {
        return pool.preparedQuery("select task_id from responses where id = $1").execute(Tuple.of(responseId))
                .compose(rs -> rs.size() == 0 ? Future.failedFuture(ApiException.notFound("no response " + responseId))
                        : Future.succeededFuture(rs.iterator().next().getString(0)));
    }

    /**
     * The chief examiner settles an escalation: with a mark (which becomes final) or by sending
     * the response back to the pool (for a misplaced escalation).
     */
    public Future<JsonObject> resolveEscalation(long escalationId, Mark mark, String note, UUID chief) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> tx.preparedQuery("select e.response_id, e.status, e.task_id, a.kind from escalations e "
                        + "join allocations a on a.id = e.allocation_id where e.id = $1 for update of e")
                .execute(Tuple.of(escalationId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no escalation " + escalationId));
                    }
                    Row e = rs.iterator().next();
                    if (!e.getString(1).equals("open")) {
                        return Future.failedFuture(ApiException.conflict("escalation " + escalationId + " is already resolved"));
                    }
                    String responseId = e.getString(0);
                    boolean live = !e.getString(3).equals("seed");
                    // Another escalation of the same response may still be open; the response stays out until all are settled.
                    Future<?> settle = tx.preparedQuery("update escalations set status = 'resolved', resolution = $2, resolved_sixths = $3, "
                                    + "resolution_note = $4, resolved_by = $5, resolved_at = now() where id = $1")
                            .execute(Tuple.of(escalationId, mark == null ? "returned" : "marked", mark == null ? null : (short) mark.sixths(), note, chief));
                    if (live) {
                        settle = settle.compose(x -> tx.preparedQuery("update responses set status = 'marking' where id = $1 and status = 'escalated' "
                                        + "and not exists (select 1 from escalations e where e.response_id = $1 and e.status = 'open')")
                                .execute(Tuple.of(responseId)))
                                .compose(x -> mark == null ? Future.succeededFuture() : chiefMark(tx, responseId, mark, chief))
                                .compose(x -> ResponseState.reconsider(tx, responseId).map(c -> {
                                    announce(c, outbox);
                                    return c;
                                }));
                    }
                    return settle.compose(x -> AuditLog.record(tx, chief, "escalation.resolved", responseId, new JsonObject()
                                    .put("escalation", escalationId).put("resolution", mark == null ? "returned" : "marked")
                                    .put("mark", mark == null ? null : mark.toString()).put("note", note)))
                            .compose(x -> tx.preparedQuery("select status from responses where id = $1").execute(Tuple.of(responseId)))
                            .map(st -> new JsonObject().put("escalationId", escalationId).put("responseId", responseId)
                                    .put("resolution", mark == null ? "returned" : "marked").put("responseStatus", st.iterator().next().getString(0)));
                })).onSuccess(x -> outbox.flush());
    }

    /** The chief examiner decides the final mark of a response waiting for adjudication. */
    public Future<JsonObject> adjudicate(String responseId, Mark mark, String note, UUID chief) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> tx.preparedQuery("select status from responses where id = $1 for update").execute(Tuple.of(responseId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no response " + responseId));
                    }
                    if (!rs.iterator().next().getString(0).equals("adjudication")) {
                        return Future.failedFuture(ApiException.conflict("response " + responseId + " is not waiting for adjudication ("
                                + rs.iterator().next().getString(0) + ")"));
                    }
                    return chiefMark(tx, responseId, mark, chief)
                            .compose(x -> ResponseState.reconsider(tx, responseId))
                            .compose(c -> {
                                announce(c, outbox);
                                return AuditLog.record(tx, chief, "mark.adjudicated", responseId, new JsonObject().put("mark", mark.toString())
                                        .put("note", note)).map(c);
                            })
                            .map(c -> new JsonObject().put("responseId", responseId).put("status", c.after()).put("finalMark", mark.toString()));
                })).onSuccess(x -> outbox.flush());
    }

    /** The chief examiner's own mark, made without a lease; it settles the response. */
    private static Future<Void> chiefMark(SqlClient tx, String responseId, Mark mark, UUID chief) {
        return tx.preparedQuery("insert into marks (id, allocation_id, response_id, marker_id, task_id, sixths, criteria_version, kind) "
                        + "select $1, null, r.id, $2, r.task_id, $3, coalesce((select max(version) from criteria_versions v where v.task_id = r.task_id), 0), "
                        + "'adjudication' from responses r where r.id = $4")
                .execute(Tuple.of(UUID.randomUUID(), chief, (short) mark.sixths(), responseId)).mapEmpty();
    }

    /** Open (or all) escalations of a task, oldest first. */
    public Future<JsonArray> escalations(String taskId, boolean openOnly) {
        return pool.preparedQuery("select e.id, e.response_id, e.reason, e.note, e.created_at, u.username, e.status, e.resolution, "
                        + "e.resolved_sixths, e.resolution_note, e.resolved_at from escalations e join users u on u.id = e.marker_id "
                        + "where e.task_id = $1 and ($2 = false or e.status = 'open') order by e.created_at, e.id")
                .execute(Tuple.of(taskId, openOnly))
                .map(rs -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rs) {
                        JsonObject o = new JsonObject().put("escalationId", r.getLong(0)).put("responseId", r.getString(1))
                                .put("reason", r.getString(2)).put("note", r.getString(3)).put("createdAt", r.getOffsetDateTime(4).toInstant().toString())
                                .put("marker", r.getString(5)).put("status", r.getString(6)).put("imageUrl",
                                        "/api/v1/quality/responses/" + r.getString(1) + "/image");
                        if (r.getString(7) != null) {
                            o.put("resolution", r.getString(7)).put("resolutionNote", r.getString(9))
                                    .put("resolvedAt", r.getOffsetDateTime(10).toInstant().toString());
                            if (r.getInteger(8) != null) {
                                o.put("mark", Mark.ofSixths(r.getInteger(8)).toString());
                            }
                        }
                        out.add(o);
                    }
                    return out;
                });
    }

    /** Responses waiting for adjudication, with every counted mark (who, what, independent or senior). */
    public Future<JsonArray> adjudications(String taskId) {
        return pool.preparedQuery("select r.id, coalesce(json_agg(json_build_object('marker', u.username, 'sixths', m.sixths, "
                        + "'kind', m.kind, 'markedAt', m.made_at) order by m.made_at) filter (where m.id is not null), '[]'::json) "
                        + "from responses r left join marks m on m.response_id = r.id and m.status = 'valid' and m.kind in ('live', 'senior') "
                        + "left join users u on u.id = m.marker_id where r.task_id = $1 and r.status = 'adjudication' group by r.id order by r.id")
                .execute(Tuple.of(taskId))
                .map(rs -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rs) {
                        JsonArray marks = new JsonArray();
                        for (Object o : new JsonArray(r.getValue(1).toString())) {
                            JsonObject m = (JsonObject) o;
                            marks.add(new JsonObject().put("marker", m.getString("marker")).put("mark", Mark.ofSixths(m.getInteger("sixths")).toString())
                                    .put("senior", m.getString("kind").equals("senior")).put("markedAt", m.getValue("markedAt")));
                        }
                        out.add(new JsonObject().put("responseId", r.getString(0)).put("marks", marks)
                                .put("imageUrl", "/api/v1/quality/responses/" + r.getString(0) + "/image"));
                    }
                    return out;
                });
    }
}

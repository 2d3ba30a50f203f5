package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.openmarking.domain.Mark;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.crypto.TamperedBlobException;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;

/**
 * {@code /api/v1/marking}: the marker's API (the desktop client's contract). Every route needs
 * the marker role in the task's scope; allocation, submission, escalation and answer images first
 * ask the presence gate.
 * Nothing here ever names a candidate: a response is an opaque id and an image.
 */
public final class MarkingRoutes {
    private final ServerContext context;
    private final MarkingEngine engine;
    private final Pool pool;

    public MarkingRoutes(ServerContext context) {
        this.context = context;
        this.engine = MarkingEngine.of(context);
        this.pool = context.database().pool();
    }

    /** Mounted at {@code /api/v1/marking/*}. */
    public Router router(Vertx vertx) {
        engine.startSweeper(vertx);
        Router r = Router.router(vertx);
        r.route().handler(Auth.authenticate(context.accounts())).handler(Auth.require(Role.MARKER));
        r.get("/tasks").handler(this::handleTasks);
        r.post("/tasks/:taskId/next").handler(this::handleNext);
        r.get("/tasks/:taskId/calibration/feedback").handler(this::handleFeedback);
        r.get("/responses/:responseId/image").handler(this::handleImage);
        r.post("/responses/:responseId/escalate").handler(this::handleEscalate);
        r.post("/marks").handler(this::handleMark);
        return r;
    }

    private static void requireTask(Principal p, String taskId) {
        MarkService.requireScope(inScope(p), taskId);
    }

    /**
     * Whether the caller's marker scope covers a task. Routes that name a response, not a task
     * (marks, escalations, images), check it against the task the service reads with the lease,
     * so a marker whose scope was narrowed loses even the leases they hold.
     */
    private static Predicate<String> inScope(Principal p) {
        return taskId -> p.has(Role.MARKER, taskId);
    }

    private void handleTasks(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        tasks(p).onSuccess(t -> ctx.json(new JsonObject().put("tasks", t))).onFailure(ctx::fail);
    }

    /** The marker's tasks (those their marker role's scope covers), joining them on first sight. */
    private Future<JsonArray> tasks(Principal p) {
        return pool.preparedQuery("select id from tasks order by id").execute().compose(all -> {
            List<String> mine = new ArrayList<>();
            all.forEach(r -> {
                if (p.has(Role.MARKER, r.getString(0))) {
                    mine.add(r.getString(0));
                }
            });
            String[] ids = mine.toArray(new String[0]);
            return pool.preparedQuery("insert into marker_tasks (marker_id, task_id, state, state_reason) "
                            + "select $1, t.id, case when coalesce((t.settings->'calibration'->>'required')::boolean, true) "
                            + "then 'calibrating' else 'qualified' end, 'started' from tasks t where t.id = any($2) on conflict do nothing")
                    .execute(Tuple.of(p.userId(), (Object) ids))
                    .compose(x -> pool.preparedQuery("select t.id, t.title, t.settings, mt.state, "
                                    + "(select count(*) from marks m where m.marker_id = $1 and m.task_id = t.id and m.kind in ('live', 'seed', 'senior') "
                                    + "   and m.status <> 'withdrawn'), "
                                    + "(select coalesce(sum(r.marks_needed), 0) from responses r where r.task_id = t.id "
                                    + "   and r.status not in ('reference', 'withdrawn')), "
                                    + "(select count(*) from marker_tasks x where x.task_id = t.id and x.state <> 'suspended'), "
                                    + "(select e.after_state from calibration_events e where e.marker_id = $1 and e.task_id = t.id order by e.id desc limit 1), "
                                    + "(select count(*) from marks m where m.task_id = t.id and m.kind in ('live', 'senior') and m.status <> 'withdrawn') "
                                    + "from tasks t join marker_tasks mt on mt.task_id = t.id and mt.marker_id = $1 where t.id = any($2) order by t.id")
                            .execute(Tuple.of(p.userId(), (Object) ids)))
                    .map(rs -> {
                        JsonArray out = new JsonArray();
                        for (Row r : rs) {
                            TaskSettings s = TaskSettings.parse((JsonObject) r.getValue(2));
                            String gate = r.getString(7);
                            boolean calibrated = "PASSED".equals(gate) || "APPROVED".equals(gate);
                            long markers = Math.max(1, r.getLong(6));
                            // The marker's likely total: what they have done plus their share of the marks
                            // the task still needs. (An even share of the whole task was exceeded by anyone
                            // faster than the rest: "50 of 33 marked".) Held marks keep their place.
                            long remaining = Math.max(0, r.getLong(5) - r.getLong(8));
                            long done = r.getLong(4);
                            out.add(new JsonObject().put("taskId", r.getString(0)).put("title", r.getString(1))
                                    .put("done", done).put("target", done + (remaining + markers - 1) / markers)
                                    .put("calibrationRequired", s.calibrationRequired() && !calibrated)
                                    .put("calibrated", calibrated).put("state", r.getString(3)));
                        }
                        return out;
                    });
        });
    }

    private void handleNext(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        String taskId = ctx.pathParam("taskId");
        requireTask(p, taskId);
        context.presence().requireClear(p.userId())
                .compose(v -> engine.allocation().next(p.userId(), taskId))
                .onSuccess(work -> {
                    if (work.isEmpty()) {
                        ctx.response().setStatusCode(204).end();
                    } else {
                        ctx.json(work.get());
                    }
                })
                .onFailure(ctx::fail);
    }

    private void handleFeedback(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        String taskId = ctx.pathParam("taskId");
        requireTask(p, taskId);
        engine.calibration().feedback(p.userId(), taskId).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void handleImage(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        String responseId = ctx.pathParam("responseId");
        // The presence gate guards the answers themselves, not only the work: whoever sits at a
        // marker's screen when a check is due, failed or suspended sees no candidate's writing.
        context.presence().requireClear(p.userId())
                .compose(v -> pool.preparedQuery("select r.blob_ref, r.task_id from responses r where r.id = $1 and (exists (select 1 "
                        + "from allocations a where a.response_id = r.id and a.marker_id = $2 and a.state = 'leased' and a.expires_at > now()) "
                        + "or exists (select 1 from calibration_attempts c join calibration_items i on i.set_id = c.set_id "
                        + "where c.marker_id = $2 and c.finished_at is null and i.response_id = r.id))")
                        .execute(Tuple.of(responseId, p.userId())))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(new ApiException(403, "not-leased", "response " + responseId + " is not leased to you now"));
                    }
                    Row r = rs.iterator().next();
                    requireTask(p, r.getString(1));
                    return Images.read(context, r.getString(0), p.userId(), responseId);
                })
                .onSuccess(img -> ctx.response().putHeader("content-type", img.contentType()).end(io.vertx.core.buffer.Buffer.buffer(img.bytes())))
                .onFailure(ctx::fail);
    }

    private void handleMark(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        JsonObject body = Bodies.json(ctx);
        MarkService.Submission s = new MarkService.Submission(uuid(body, "id"), Bodies.text(body, "responseId"), mark(body, "mark"),
                integer(body, "criteriaVersion"), instant(body, "markedAt"));
        context.presence().requireClear(p.userId())
                .compose(v -> engine.marks().submit(p.userId(), s, inScope(p)))
                .onSuccess(answer -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(answer.encode()))
                .onFailure(ctx::fail);
    }

    private void handleEscalate(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        JsonObject body = Bodies.json(ctx);
        UUID id = uuid(body, "id");
        String reason = Bodies.text(body, "reason");
        if (!MarkService.ESCALATION_REASONS.contains(reason)) {
            throw ApiException.badRequest("reason must be one of illegible, blank, other-question, concerning, malpractice; not '" + reason + "'");
        }
        String note = body.getValue("note") == null ? "" : String.valueOf(body.getValue("note"));
        if (note.length() > 2000) {
            throw ApiException.badRequest("the note is limited to 2000 characters");
        }
        context.presence().requireClear(p.userId())
                .compose(v -> engine.marks().escalate(p.userId(), id, ctx.pathParam("responseId"), reason, note, inScope(p)))
                .onSuccess(answer -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(answer.encode()))
                .onFailure(ctx::fail);
    }

    static UUID uuid(JsonObject body, String field) {
        String text = Bodies.text(body, field);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + field + "' must be a UUID chosen by the client, not '" + text + "'");
        }
    }

    static Mark mark(JsonObject body, String field) {
        String text = Bodies.text(body, field);
        try {
            return Mark.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "mark-off-scale", "'" + text + "' is not on the mark scale; a mark is one of " + Mark.allowed());
        }
    }

    static int integer(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (!(v instanceof Number n) || n.doubleValue() != n.intValue()) {
            throw ApiException.badRequest("'" + field + "' is required and must be a whole number");
        }
        return n.intValue();
    }

    static Instant instant(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(String.valueOf(v));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + field + "' must be an ISO-8601 instant such as 2026-04-12T10:15:30Z");
        }
    }

    /** Audits a blob that failed its integrity check; the image is never served. */
    static Future<Void> auditTampered(Pool pool, UUID actor, String responseId, String blobRef) {
        return AuditLog.record(pool, actor, "blob.tampered", responseId, new JsonObject().put("blob", blobRef));
    }
}

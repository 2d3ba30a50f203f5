package org.openmarking.server.quality;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.openmarking.domain.Mark;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;
import org.openmarking.server.marking.Access;
import org.openmarking.server.marking.Images;
import org.openmarking.server.marking.MarkingEngine;
import org.openmarking.server.marking.ResponseState;
import org.openmarking.server.marking.TaskSettings;

/**
 * {@code /api/v1/quality}: the chief examiner's side of marking. Calibration sets and the seed
 * bank, markers' calibration and standing (approve, send back, suspend, reinstate, senior), the
 * escalation and adjudication queues, a task's progress and per-marker statistics. Every route
 * needs a chief examiner whose scope covers the task (or the board's administrator), and every
 * change is audited in the transaction that makes it.
 */
public final class QualityRoutes {
    private final ServerContext context;
    private final MarkingEngine engine;
    private final QualityService quality;
    private final Pool pool;

    public QualityRoutes(ServerContext context) {
        this.context = context;
        this.engine = MarkingEngine.of(context);
        this.pool = context.database().pool();
        this.quality = new QualityService(pool, context.clock());
    }

    /** Mounted at {@code /api/v1/quality/*}. */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.route().handler(Auth.authenticate(context.accounts())).handler(Auth.require(Role.ADMIN, Role.CHIEF_EXAMINER));
        r.get("/tasks").handler(this::handleTasks);
        r.get("/tasks/:taskId/settings").handler(task(this::settings));
        r.put("/tasks/:taskId/settings").handler(task(this::updateSettings));
        r.get("/tasks/:taskId/progress").handler(task((ctx, t) -> quality.progress(t)));
        r.get("/tasks/:taskId/stats").handler(task((ctx, t) -> settingsOf(t).compose(s -> quality.stats(t, s))));
        r.get("/tasks/:taskId/seed-deviations").handler(task((ctx, t) -> engine.seeds().deviations(t, limit(ctx, 20, 200))));
        r.get("/tasks/:taskId/standing-events").handler(task((ctx, t) -> engine.seeds().standingHistory(t)));
        r.get("/tasks/:taskId/responses").handler(task((ctx, t) -> quality.responses(t, ctx.queryParams().get("status"), limit(ctx, 100, 1000))
                .map(a -> new JsonObject().put("taskId", t).put("responses", a))));
        r.get("/tasks/:taskId/markers").handler(task((ctx, t) -> settingsOf(t).compose(s -> engine.calibration().markers(t, s.calibrationRule()))
                .map(a -> new JsonObject().put("taskId", t).put("markers", a))));
        r.post("/tasks/:taskId/markers/:markerId/approve").handler(task((ctx, t) -> engine.calibration()
                .decide(marker(ctx), t, true, note(ctx), actor(ctx))));
        r.post("/tasks/:taskId/markers/:markerId/send-back").handler(task((ctx, t) -> engine.calibration()
                .decide(marker(ctx), t, false, note(ctx), actor(ctx))));
        r.post("/tasks/:taskId/markers/:markerId/suspend").handler(task((ctx, t) -> engine.seeds()
                .suspendByChief(marker(ctx), t, required(ctx, "reason"), actor(ctx))));
        r.post("/tasks/:taskId/markers/:markerId/reinstate").handler(task((ctx, t) -> engine.seeds()
                .reinstate(marker(ctx), t, note(ctx), actor(ctx))));
        r.post("/tasks/:taskId/markers/:markerId/senior").handler(task(this::senior));
        r.get("/tasks/:taskId/calibration-sets").handler(task((ctx, t) -> engine.calibration().listSets(t)));
        r.post("/tasks/:taskId/calibration-sets").handler(created(task((ctx, t) -> engine.calibration()
                .createSet(t, items(ctx), actor(ctx)))));
        r.get("/tasks/:taskId/seeds").handler(task((ctx, t) -> settingsOf(t).compose(s -> engine.seeds().list(t, s))));
        r.post("/tasks/:taskId/seeds").handler(created(task((ctx, t) -> {
            JsonObject body = Bodies.json(ctx);
            return engine.seeds().promote(t, Bodies.text(body, "responseId"), Mark.parse(Bodies.text(body, "mark")),
                    body.getString("rationale", ""), actor(ctx));
        })));
        r.get("/tasks/:taskId/escalations").handler(task((ctx, t) -> engine.marks()
                .escalations(t, !"all".equals(ctx.queryParams().get("status"))).map(a -> new JsonObject().put("taskId", t).put("escalations", a))));
        r.get("/tasks/:taskId/adjudications").handler(task((ctx, t) -> engine.marks().adjudications(t)
                .map(a -> new JsonObject().put("taskId", t).put("responses", a))));
        r.post("/escalations/:escalationId/resolve").handler(this::handleResolve);
        r.post("/responses/:responseId/adjudicate").handler(this::handleAdjudicate);
        r.get("/responses/:responseId/image").handler(this::handleImage);
        return r;
    }

    /** A handler for a task route: scope check first, then the action's JSON answer. */
    private Handler task(Action action) {
        return ctx -> {
            String taskId = ctx.pathParam("taskId");
            Access.requireStaff(Auth.principal(ctx), taskId);
            action.run(ctx, taskId).onSuccess(ctx::json).onFailure(ctx::fail);
        };
    }

    /** Answers 201 instead of 200. */
    private static Handler created(Handler inner) {
        return ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 200) {
                    ctx.response().setStatusCode(201);
                }
            });
            inner.handle(ctx);
        };
    }

    interface Handler extends io.vertx.core.Handler<RoutingContext> {
    }

    interface Action {
        Future<JsonObject> run(RoutingContext ctx, String taskId);
    }

    private void handleTasks(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        pool.preparedQuery("select t.id, t.title, t.exam_id, t.settings from tasks t order by t.id").execute()
                .map(rs -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rs) {
                        if (Access.isStaff(p, r.getString(0))) {
                            out.add(new JsonObject().put("taskId", r.getString(0)).put("title", r.getString(1)).put("examId", r.getString(2))
                                    .put("settings", TaskSettings.parse((JsonObject) r.getValue(3)).toJson()));
                        }
                    }
                    return new JsonObject().put("tasks", out);
                })
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private Future<TaskSettings> settingsOf(String taskId) {
        return pool.preparedQuery("select settings from tasks where id = $1").execute(Tuple.of(taskId))
                .compose(rs -> rs.size() == 0 ? Future.failedFuture(ApiException.notFound("no task '" + taskId + "'"))
                        : Future.succeededFuture(TaskSettings.parse((JsonObject) rs.iterator().next().getValue(0))));
    }

    private Future<JsonObject> settings(RoutingContext ctx, String taskId) {
        return settingsOf(taskId).map(s -> new JsonObject().put("taskId", taskId).put("settings", s.toJson()));
    }

    /**
     * Changes a task's settings (sections merged into the current ones) and re-derives every
     * unfinished response's number of independent marks under the new policy.
     */
    private Future<JsonObject> updateSettings(RoutingContext ctx, String taskId) {
        JsonObject changes = Bodies.json(ctx);
        UUID actor = actor(ctx);
        return pool.withTransaction(tx -> tx.preparedQuery("select settings from tasks where id = $1 for update").execute(Tuple.of(taskId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no task '" + taskId + "'"));
                    }
                    TaskSettings next;
                    try {
                        next = TaskSettings.parse((JsonObject) rs.iterator().next().getValue(0)).with(changes);
                    } catch (IllegalArgumentException | ClassCastException e) {
                        throw ApiException.badRequest("settings refused: " + e.getMessage());
                    }
                    return tx.preparedQuery("update tasks set settings = $2, marks_required = $3 where id = $1")
                            .execute(Tuple.of(taskId, next.toJson(), Math.min(5, next.resolution().independentMarks())))
                            .compose(x -> tx.preparedQuery("select id, marks_needed from responses where task_id = $1 "
                                    + "and status not in ('final', 'reference', 'withdrawn')").execute(Tuple.of(taskId)))
                            .compose(open -> {
                                List<Tuple> changed = new ArrayList<>();
                                for (Row r : open) {
                                    int needed = next.resolution().requiredMarks(r.getString(0));
                                    if (needed != r.getInteger(1)) {
                                        changed.add(Tuple.of(r.getString(0), needed));
                                    }
                                }
                                Future<?> f = changed.isEmpty() ? Future.succeededFuture()
                                        : tx.preparedQuery("update responses set marks_needed = $2 where id = $1").executeBatch(changed);
                                for (Tuple t : changed) {
                                    f = f.compose(x -> ResponseState.reconsider(tx, t.getString(0)));
                                }
                                return f.map(x -> changed.size());
                            })
                            .compose(n -> AuditLog.record(tx, actor, "task.settings-changed", taskId, new JsonObject().put("changes", changes)
                                            .put("responsesRecounted", n))
                                    .map(x -> new JsonObject().put("taskId", taskId).put("settings", next.toJson()).put("responsesRecounted", n)));
                }));
    }

    private Future<JsonObject> senior(RoutingContext ctx, String taskId) {
        UUID marker = marker(ctx);
        Object v = Bodies.json(ctx).getValue("senior");
        if (!(v instanceof Boolean senior)) {
            throw ApiException.badRequest("'senior' must be true or false");
        }
        UUID actor = actor(ctx);
        return pool.withTransaction(tx -> tx.preparedQuery("update marker_tasks set senior = $3 where marker_id = $1 and task_id = $2 returning 1")
                .execute(Tuple.of(marker, taskId, senior))
                .compose(rs -> rs.rowCount() == 0 ? Future.failedFuture(ApiException.notFound("the marker has not started on task " + taskId))
                        : AuditLog.record(tx, actor, "marker.senior", taskId, new JsonObject().put("marker", marker.toString()).put("senior", senior)))
                .map(x -> new JsonObject().put("markerId", marker.toString()).put("senior", senior)));
    }

    private void handleResolve(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("escalationId"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("escalation ids are numbers");
        }
        JsonObject body = Bodies.json(ctx);
        String action = Bodies.text(body, "action");
        Mark mark;
        if (action.equals("mark")) {
            mark = Mark.parse(Bodies.text(body, "mark"));
        } else if (action.equals("return")) {
            mark = null;
        } else {
            throw ApiException.badRequest("'action' is 'mark' (with a mark) or 'return' (back to the pool)");
        }
        Principal p = Auth.principal(ctx);
        engine.marks().escalationTask(id)
                .compose(taskId -> {
                    Access.requireStaff(p, taskId);
                    return engine.marks().resolveEscalation(id, mark, body.getString("note", ""), p.userId());
                })
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void handleAdjudicate(RoutingContext ctx) {
        String responseId = ctx.pathParam("responseId");
        JsonObject body = Bodies.json(ctx);
        Mark mark = Mark.parse(Bodies.text(body, "mark"));
        Principal p = Auth.principal(ctx);
        engine.marks().responseTask(responseId)
                .compose(taskId -> {
                    Access.requireChief(p, taskId);
                    return engine.marks().adjudicate(responseId, mark, body.getString("note", ""), p.userId());
                })
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void handleImage(RoutingContext ctx) {
        String responseId = ctx.pathParam("responseId");
        Principal p = Auth.principal(ctx);
        pool.preparedQuery("select task_id, blob_ref from responses where id = $1").execute(Tuple.of(responseId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no response " + responseId));
                    }
                    Row r = rs.iterator().next();
                    Access.requireStaff(p, r.getString(0));
                    return Images.read(context, r.getString(1), p.userId(), responseId);
                })
                .onSuccess(img -> ctx.response().putHeader("content-type", img.contentType()).end(io.vertx.core.buffer.Buffer.buffer(img.bytes())))
                .onFailure(ctx::fail);
    }

    private static UUID actor(RoutingContext ctx) {
        return Auth.principal(ctx).userId();
    }

    private static UUID marker(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam("markerId"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("markerId must be the marker's id (a UUID, as listed by /markers)");
        }
    }

    private static String note(RoutingContext ctx) {
        JsonObject body = ctx.body().length() == 0 ? new JsonObject() : Bodies.json(ctx);
        return body.getString("note", "");
    }

    private static String required(RoutingContext ctx, String field) {
        return Bodies.text(Bodies.json(ctx), field);
    }

    private static JsonArray items(RoutingContext ctx) {
        JsonArray items = Bodies.json(ctx).getJsonArray("items");
        if (items == null || items.isEmpty()) {
            throw ApiException.badRequest("'items' must list the set's responses: [{responseId, mark, rationale}]");
        }
        return items;
    }

    private static int limit(RoutingContext ctx, int dflt, int max) {
        String v = ctx.queryParams().get("limit");
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > max) {
                throw ApiException.badRequest("limit must be between 1 and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a whole number");
        }
    }
}

package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;

/**
 * {@code /api/v1/face}: the service's state, a marker's status and checks, enrolment by an admin
 * or chief examiner, and the chief examiners' review of presence events and suspensions. See
 * {@code openapi/face.json}.
 */
public final class FaceRoutes {
    /**
     * Body limit of the face routes: a burst of 8 webcam JPEGs or a few reference photos, base64,
     * is more than the API's 1 MiB; mounted before the general body handler, for these routes only.
     */
    public static final long BODY_LIMIT = 8L * 1024 * 1024;

    private final ServerContext context;
    private final FacePresence presence;

    public FaceRoutes(ServerContext context) {
        this.context = context;
        if (!(context.presence() instanceof FacePresence p)) {
            throw new IllegalStateException("the face routes need the face presence service as the node's presence gate");
        }
        this.presence = p;
    }

    /** Mounted at {@code /api/v1/face/*}. */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        Role[] staff = {Role.ADMIN, Role.CHIEF_EXAMINER};
        r.route().handler(Auth.authenticate(context.accounts()));
        r.get("/service").handler(ctx -> json(ctx, 200, Future.succeededFuture(presence.service().describe())));
        r.get("/status").handler(Auth.require(Role.MARKER)).handler(this::handleStatus);
        r.post("/checks").handler(Auth.require(Role.MARKER)).handler(this::handleOpen);
        r.post("/checks/:checkId/burst").handler(Auth.require(Role.MARKER)).handler(this::handleBurst);
        r.post("/enrollments/:username").handler(Auth.require(staff)).handler(this::handleEnroll);
        r.get("/enrollments/:username").handler(Auth.require(staff)).handler(this::handleEnrollment);
        r.delete("/enrollments/:username").handler(Auth.require(staff)).handler(this::handleDeleteEnrollment);
        r.get("/presence/events").handler(Auth.require(staff)).handler(this::handleEvents);
        r.get("/presence/totals").handler(Auth.require(staff)).handler(this::handleTotals);
        r.get("/presence/suspended").handler(Auth.require(staff)).handler(this::handleSuspended);
        r.get("/presence/:username/checks/:checkId/evidence").handler(Auth.require(staff)).handler(this::handleEvidence);
        r.post("/presence/:username/decision").handler(Auth.require(staff)).handler(this::handleDecision);
        return r;
    }

    private void handleStatus(RoutingContext ctx) {
        json(ctx, 200, presence.status(Auth.principal(ctx).userId()));
    }

    private void handleOpen(RoutingContext ctx) {
        presence.checks().open(Auth.principal(ctx).userId())
                .onSuccess(o -> send(ctx, o.created() ? 201 : 200, o.body())).onFailure(ctx::fail);
    }

    private void handleBurst(RoutingContext ctx) {
        UUID checkId = uuid(ctx.pathParam("checkId"));
        JsonArray frames = array(Bodies.json(ctx), "frames");
        json(ctx, 200, presence.checks().burst(Auth.principal(ctx).userId(), checkId, frames));
    }

    private void handleEnroll(RoutingContext ctx) {
        JsonArray photos = array(Bodies.json(ctx), "photos");
        presence.enrollments().enroll(Auth.principal(ctx), ctx.pathParam("username"), photos)
                .onSuccess(o -> send(ctx, o.created() ? 201 : 422, o.body())).onFailure(ctx::fail);
    }

    private void handleEnrollment(RoutingContext ctx) {
        json(ctx, 200, presence.enrollments().status(Auth.principal(ctx), ctx.pathParam("username")));
    }

    private void handleDeleteEnrollment(RoutingContext ctx) {
        json(ctx, 200, presence.enrollments().delete(Auth.principal(ctx), ctx.pathParam("username")));
    }

    private void handleEvents(RoutingContext ctx) {
        int limit = 200;
        String l = ctx.queryParams().get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("'limit' must be a whole number");
            }
            if (limit < 1 || limit > 1000) {
                throw ApiException.badRequest("'limit' must be between 1 and 1000");
            }
        }
        json(ctx, 200, presence.review().events(Auth.principal(ctx), limit));
    }

    /** {@code ?exam=}: refused outside the caller's scope, so no exam's figures leak to another's chief examiner. */
    private void handleTotals(RoutingContext ctx) {
        String exam = ctx.queryParams().get("exam");
        if (exam == null || exam.isBlank()) {
            throw ApiException.badRequest("'exam' is required: the exam whose presence totals to count");
        }
        Principal p = Auth.principal(ctx);
        if (!p.overseesExam(exam)) {
            throw ApiException.forbidden("exam " + exam + " is outside your scope");
        }
        json(ctx, 200, presence.review().totals(p, exam));
    }

    private void handleSuspended(RoutingContext ctx) {
        json(ctx, 200, presence.review().suspended(Auth.principal(ctx)));
    }

    private void handleEvidence(RoutingContext ctx) {
        json(ctx, 200, presence.review().evidence(Auth.principal(ctx), ctx.pathParam("username"), uuid(ctx.pathParam("checkId"))));
    }

    private void handleDecision(RoutingContext ctx) {
        JsonObject body = Bodies.json(ctx);
        Principal p = Auth.principal(ctx);
        json(ctx, 200, presence.review().decide(p, ctx.pathParam("username"), Bodies.text(body, "decision"),
                Bodies.text(body, "marks"), body.getString("note")));
    }

    private static JsonArray array(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (!(v instanceof JsonArray a)) {
            throw ApiException.badRequest("'" + field + "' is required and must be an array of base64-encoded images");
        }
        return a;
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no check " + s);
        }
    }

    private static void json(RoutingContext ctx, int status, Future<JsonObject> body) {
        body.onSuccess(b -> send(ctx, status, b)).onFailure(ctx::fail);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}

package org.openmarking.server.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.openmarking.server.ServerContext;
import org.openmarking.server.face.presence.FacePresence;

/**
 * {@code GET /health}: whether this node reaches its database, and its version. Public
 * on purpose (load balancers call it) and so it reveals nothing else.
 */
public final class HealthRoutes {
    private final ServerContext context;

    public HealthRoutes(ServerContext context) {
        this.context = context;
    }

    public void handleHealth(RoutingContext ctx) {
        context.database().pool().query("select 1").execute()
                .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
                .onComplete(ar -> {
                    boolean up = ar.succeeded();
                    JsonObject body = new JsonObject()
                            .put("status", up ? "up" : "down")
                            .put("database", up ? "up" : "down")
                            .put("version", context.version())
                            .put("faceChecks", context.presence() instanceof FacePresence face
                                    ? face.service().mode().name().toLowerCase(java.util.Locale.ROOT) : context.config().faceChecks());
                    ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json").end(body.encode());
                });
    }
}

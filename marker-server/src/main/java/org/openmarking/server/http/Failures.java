package org.openmarking.server.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one failure handler: domain refusals become a 4xx with a JSON message, anything
 * unexpected a 500 with a reference the operator can find in the log. No stack trace
 * ever reaches a client.
 */
public final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class.getName());

    private Failures() {
    }

    public static void handle(RoutingContext ctx) {
        Throwable cause = ctx.failure();
        int status = ctx.statusCode();
        String message;
        String code = null;
        if (cause instanceof ApiException api) {
            status = api.status();
            message = api.getMessage();
            code = api.code();
        } else if (cause instanceof DecodeException) {
            status = 400;
            message = "the request body is not valid JSON";
        } else if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            // Domain types (Mark.parse, schemes, ...) reject bad values with readable messages.
            status = 400;
            message = cause.getMessage();
        } else if (cause == null && status >= 400 && status < 500) {
            message = switch (status) {
                case 401 -> "log in first";
                case 403 -> "not allowed";
                case 404 -> "no such resource";
                case 405 -> "method not allowed";
                case 413 -> "request body too large";
                default -> "bad request";
            };
        } else {
            status = 500;
            String ref = Long.toHexString(System.nanoTime());
            LOG.log(Level.SEVERE, "internal error " + ref + " on " + ctx.request().method() + " " + ctx.request().path(), cause);
            message = "internal error (reference " + ref + ")";
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        JsonObject body = new JsonObject().put("error", message).put("status", status);
        if (code != null) {
            body.put("code", code);
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}

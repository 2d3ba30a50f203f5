package org.openmarking.server.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading request bodies with a 400 and a clear message when they are not what a route needs. */
public final class Bodies {
    private Bodies() {
    }

    public static JsonObject json(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not a JSON object");
        }
        if (body == null) {
            throw ApiException.badRequest("send a JSON object in the request body");
        }
        return body;
    }

    public static String text(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required and must be text");
        }
        return s;
    }
}

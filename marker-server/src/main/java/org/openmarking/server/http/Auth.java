package org.openmarking.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import org.openmarking.server.account.AccountService;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;

/**
 * Authentication and role checks for routes: {@link #authenticate} resolves the bearer
 * token to a {@link Principal}; {@link #require} refuses with 403 a user without the role.
 */
public final class Auth {
    private static final String KEY = "principal";

    private Auth() {
    }

    /** Resolves {@code Authorization: Bearer <token>}; fails the request with 401 otherwise. */
    public static Handler<RoutingContext> authenticate(AccountService accounts) {
        return ctx -> {
            String token = token(ctx);
            if (token == null) {
                ctx.fail(ApiException.unauthorized("log in first: send 'Authorization: Bearer <token>'"));
                return;
            }
            accounts.authenticate(token).onSuccess(p -> {
                ctx.put(KEY, p);
                ctx.next();
            }).onFailure(ctx::fail);
        };
    }

    /** Lets the request through only for users holding one of {@code roles} (in any scope). */
    public static Handler<RoutingContext> require(Role... roles) {
        return ctx -> {
            Principal p = principal(ctx);
            if (Arrays.stream(roles).anyMatch(p::has)) {
                ctx.next();
            } else {
                ctx.fail(ApiException.forbidden("this needs the role " + String.join(" or ",
                        Arrays.stream(roles).map(Role::dbName).toList())));
            }
        };
    }

    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(KEY);
        if (p == null) {
            throw new IllegalStateException("route is missing Auth.authenticate");
        }
        return p;
    }

    public static String token(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).strip();
        }
        return null;
    }

    /** The caller's address, for rate limits and the audit log. */
    public static String remote(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }
}

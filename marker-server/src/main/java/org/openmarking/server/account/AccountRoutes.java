package org.openmarking.server.account;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;

/**
 * {@code /api/v1/auth} (log in, log out, who am I) and {@code /api/v1/admin/users}
 * (administrators create and list accounts).
 */
public final class AccountRoutes {
    private final AccountService accounts;

    public AccountRoutes(AccountService accounts) {
        this.accounts = accounts;
    }

    public Router auth(Vertx vertx) {
        Router r = Router.router(vertx);
        r.post("/login").handler(this::handleLogin);
        r.post("/logout").handler(Auth.authenticate(accounts)).handler(this::handleLogout);
        r.get("/me").handler(Auth.authenticate(accounts)).handler(this::handleMe);
        return r;
    }

    public Router admin(Vertx vertx) {
        Router r = Router.router(vertx);
        r.route().handler(Auth.authenticate(accounts)).handler(Auth.require(Role.ADMIN));
        r.get("/users").handler(this::handleListUsers);
        r.post("/users").handler(this::handleCreateUser);
        return r;
    }

    private void handleLogin(RoutingContext ctx) {
        JsonObject body = Bodies.json(ctx);
        accounts.login(Bodies.text(body, "username"), Bodies.text(body, "password"), Auth.remote(ctx))
                .onSuccess(s -> ctx.json(new JsonObject().put("token", s.token()).put("expiresAt", s.expiresAt().toString())
                        .put("user", describe(s.principal()))))
                .onFailure(ctx::fail);
    }

    private void handleLogout(RoutingContext ctx) {
        accounts.logout(Auth.token(ctx), Auth.principal(ctx).userId())
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    private void handleMe(RoutingContext ctx) {
        ctx.json(describe(Auth.principal(ctx)));
    }

    private void handleListUsers(RoutingContext ctx) {
        accounts.listUsers().onSuccess(list -> ctx.json(new JsonObject().put("users", new JsonArray(list)))).onFailure(ctx::fail);
    }

    private void handleCreateUser(RoutingContext ctx) {
        JsonObject body = Bodies.json(ctx);
        JsonArray roles = body.getJsonArray("roles");
        if (roles == null || roles.isEmpty()) {
            throw ApiException.badRequest("'roles' must list at least one role, e.g. [{\"role\":\"marker\",\"scope\":\"*\"}]");
        }
        Set<Principal.Grant> grants = new HashSet<>();
        for (Object o : roles) {
            if (!(o instanceof JsonObject g)) {
                throw ApiException.badRequest("each role is an object {\"role\": ..., \"scope\": ...}");
            }
            grants.add(new Principal.Grant(Role.parse(Bodies.text(g, "role")), g.getString("scope", "*")));
        }
        AccountService.NewUser user = new AccountService.NewUser(Bodies.text(body, "username"), body.getString("displayName"),
                Bodies.text(body, "password"), grants, body.getString("schoolCode"), body.getString("regionCode"));
        accounts.createUser(user, Auth.principal(ctx).userId())
                .onSuccess(p -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                        .end(describe(p).encode()))
                .onFailure(ctx::fail);
    }

    static JsonObject describe(Principal p) {
        JsonArray roles = new JsonArray();
        p.grants().stream().sorted((a, b) -> (a.role() + a.scope()).compareTo(b.role() + b.scope()))
                .forEach(g -> roles.add(new JsonObject().put("role", g.role().dbName()).put("scope", g.scope())));
        return new JsonObject().put("id", p.userId().toString()).put("username", p.username()).put("displayName", p.displayName())
                .put("roles", roles);
    }
}

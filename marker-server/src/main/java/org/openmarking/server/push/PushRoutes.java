package org.openmarking.server.push;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.openmarking.server.account.AccountService;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.http.Auth;

/**
 * {@code GET /api/v1/push/events}: a server-sent event stream of the messages for the
 * logged-in user (and, for chief examiners and admins, for the exams they watch).
 */
public final class PushRoutes {
    /** A comment line every so often keeps proxies from closing an idle stream. */
    static final long HEARTBEAT_MS = 15_000;

    private final AccountService accounts;

    public PushRoutes(AccountService accounts) {
        this.accounts = accounts;
    }

    /** Mounted at {@code /api/v1/*}. */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.get("/push/events").handler(Auth.authenticate(accounts)).handler(ctx -> handleEvents(vertx, ctx));
        return r;
    }

    private void handleEvents(Vertx vertx, RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        HttpServerResponse res = ctx.response();
        res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-store")
                .putHeader("x-accel-buffering", "no");
        List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
        consumers.add(vertx.eventBus().<JsonObject>consumer(Push.userAddress(p.userId()), m -> send(res, m.body())));
        String exam = ctx.queryParams().get("exam");
        // A chief examiner of a subject of the exam also watches the exam's stream (events carry their task).
        if (exam != null && p.overseesExam(exam)) {
            consumers.add(vertx.eventBus().<JsonObject>consumer(Push.scopeAddress(exam), m -> {
                if (visible(p, m.body())) {
                    send(res, m.body());
                }
            }));
        }
        long timer = vertx.setPeriodic(HEARTBEAT_MS, t -> res.write(": keep-alive\n\n"));
        res.closeHandler(v -> {
            vertx.cancelTimer(timer);
            consumers.forEach(MessageConsumer::unregister);
        });
        // Tell the client the stream is open only once the consumers are registered cluster-wide.
        io.vertx.core.Future.all(consumers.stream().map(MessageConsumer::completion).toList())
                .onComplete(ar -> send(res, new JsonObject().put("type", "connected").put("data", new JsonObject())));
    }

    /**
     * An exam event about one task (its data carries {@code taskId}) reaches only those whose
     * scope covers the task: a chief examiner of one subject never sees another's markers. An
     * event about a marker rather than a task (presence) carries the marker's scopes and tasks
     * within the exam as {@code covers}, and reaches those whose scope covers one of them.
     */
    static boolean visible(Principal p, JsonObject event) {
        JsonObject data = event.getJsonObject("data", new JsonObject());
        if (p.has(Role.ADMIN)) {
            return true;
        }
        if (data.getValue("covers") instanceof JsonArray covers) {
            return covers.stream().anyMatch(s -> s instanceof String scope && p.has(Role.CHIEF_EXAMINER, scope));
        }
        String task = data.getString("taskId");
        return task == null || p.has(Role.CHIEF_EXAMINER, task);
    }

    private static void send(HttpServerResponse res, JsonObject event) {
        if (!res.closed()) {
            res.write("event: " + event.getString("type") + "\ndata: " + event.getJsonObject("data").encode() + "\n\n");
        }
    }
}

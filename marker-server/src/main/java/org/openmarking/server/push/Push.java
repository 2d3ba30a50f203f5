package org.openmarking.server.push;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Messages pushed to markers' clients and chief examiners' dashboards ("face check now",
 * "you are suspended", "a marker was suspended"). They travel on the event bus, which the
 * Hazelcast cluster spans, so whichever node holds the receiver's open stream delivers it.
 *
 * <p>Pushes are notifications, not the record: the state they announce is already in
 * PostgreSQL, so a client that missed one (it was offline) learns it on its next request.
 */
public final class Push {
    private final Vertx vertx;
    private final EventBus bus;

    public Push(Vertx vertx) {
        this.vertx = vertx;
        this.bus = vertx.eventBus();
    }

    static String userAddress(UUID userId) {
        return "openmarking.push.user." + userId;
    }

    static String scopeAddress(String scope) {
        return "openmarking.push.scope." + scope;
    }

    /** One user's clients, on whichever node they are connected. */
    public void toUser(UUID userId, String type, JsonObject data) {
        bus.publish(userAddress(userId), envelope(type, data));
    }

    /**
     * Dashboards watching a scope (an exam id): published to the exam's address, so a chief
     * examiner of the exam, or of one of its subjects, sees it (their stream filters by scope).
     */
    public void toScope(String examId, String type, JsonObject data) {
        bus.publish(scopeAddress(examId), envelope(type, data));
    }

    /**
     * Runs {@code action} once after {@code delayMillis} on a Vert.x timer, for a push that
     * must wait (a throttle's trailing push) without blocking the caller's thread.
     */
    public void later(long delayMillis, Runnable action) {
        vertx.setTimer(Math.max(1, delayMillis), id -> action.run());
    }

    private static JsonObject envelope(String type, JsonObject data) {
        return new JsonObject().put("type", type).put("data", data == null ? new JsonObject() : data);
    }
}

package org.openmarking.server.marking;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.openmarking.server.push.Push;

/**
 * The marking engine's pushes. Markers get {@code warning}, {@code suspended},
 * {@code reinstated}, {@code recalibration-required} and {@code criteria-updated}; the task's
 * chief examiners (the exam's scope) get {@code marker-suspended}, {@code marker-held},
 * {@code escalation}, {@code adjudication-needed} and {@code stats-changed}, each with the
 * task id. Pushes only announce what is already committed, so senders call them from an
 * {@link Outbox}.
 */
public final class Notices {
    /** A dashboard re-reads its figures on {@code stats-changed}; more than one a second per task is noise. */
    private static final long STATS_NUDGE_MILLIS = 1000;

    private final Push push;
    private final Map<String, Long> lastNudge = new ConcurrentHashMap<>();

    public Notices(Push push) {
        this.push = push;
    }

    public void toMarker(UUID markerId, String type, String taskId, JsonObject data) {
        push.toUser(markerId, type, data.copy().put("taskId", taskId));
    }

    public void toChiefs(String examId, String type, String taskId, JsonObject data) {
        push.toScope(examId, type, data.copy().put("taskId", taskId));
    }

    /** Tells dashboards the task's figures moved, at most once a second per task and node. */
    public void statsChanged(String examId, String taskId) {
        long now = System.currentTimeMillis();
        Long last = lastNudge.get(taskId);
        if (last != null && now - last < STATS_NUDGE_MILLIS) {
            return;
        }
        lastNudge.put(taskId, now);
        push.toScope(examId, "stats-changed", new JsonObject().put("taskId", taskId));
    }
}

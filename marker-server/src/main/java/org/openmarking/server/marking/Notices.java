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
    static final long STATS_NUDGE_MILLIS = 1000;

    private final Push push;
    /** Per task: when the last nudge went out, and whether a trailing one is already scheduled. */
    private final Map<String, Nudge> nudges = new ConcurrentHashMap<>();

    private record Nudge(long sentAt, boolean trailing) {
    }

    public Notices(Push push) {
        this.push = push;
    }

    public void toMarker(UUID markerId, String type, String taskId, JsonObject data) {
        push.toUser(markerId, type, data.copy().put("taskId", taskId));
    }

    public void toChiefs(String examId, String type, String taskId, JsonObject data) {
        push.toScope(examId, type, data.copy().put("taskId", taskId));
    }

    /**
     * Tells dashboards the task's figures moved, at most once a second per task and node. A
     * change inside the window is not dropped: one trailing nudge goes out when the window
     * ends, so the last change of a burst always reaches the dashboards (they would otherwise
     * show figures up to a second stale until the next, perhaps distant, change).
     */
    public void statsChanged(String examId, String taskId) {
        long now = System.currentTimeMillis();
        boolean[] sendNow = {false};
        long[] wait = {-1};
        nudges.compute(taskId, (k, n) -> {
            if (n == null || (!n.trailing() && now - n.sentAt() >= STATS_NUDGE_MILLIS)) {
                sendNow[0] = true;
                return new Nudge(now, false);
            }
            if (n.trailing()) {
                return n; // the scheduled nudge goes out after this change and covers it
            }
            wait[0] = n.sentAt() + STATS_NUDGE_MILLIS - now;
            return new Nudge(n.sentAt(), true);
        });
        if (sendNow[0]) {
            nudge(examId, taskId);
        } else if (wait[0] >= 0) {
            push.later(wait[0], () -> {
                nudges.put(taskId, new Nudge(System.currentTimeMillis(), false));
                nudge(examId, taskId);
            });
        }
    }

    private void nudge(String examId, String taskId) {
        push.toScope(examId, "stats-changed", new JsonObject().put("taskId", taskId));
    }
}

package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Logger;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.exam.ExamService;
import org.openmarking.server.face.CheckResult;
import org.openmarking.server.face.presence.PresenceRules.Change;
import org.openmarking.server.presence.MarkHolds;
import org.openmarking.server.push.Push;

/**
 * What a presence {@link PresenceRules.Step} does beyond the row: inside the transaction, an
 * event row and an audit entry per change; after the commit, the pushes (to the marker, and to
 * the dashboards of the marker's exams) and the hold of the marks made since the last
 * passed check. Pushes come after the commit because they announce state that must already be
 * in PostgreSQL.
 */
final class Effects {
    private static final Logger LOG = Logger.getLogger(Effects.class.getName());

    private final Pool pool;
    private final Push push;
    private final MarkHolds holds;
    private final Clock clock;

    Effects(Pool pool, Push push, MarkHolds holds, Clock clock) {
        this.pool = pool;
        this.push = push;
        this.holds = holds;
        this.clock = clock;
    }

    /** Records each change as an event and an audit entry, in the caller's transaction. */
    static Future<Void> record(SqlClient tx, UUID markerId, String username, List<Change> changes, UUID checkId, UUID actor,
                               JsonObject extra) {
        Future<Void> f = Future.succeededFuture();
        for (Change c : changes) {
            JsonObject detail = new JsonObject();
            if (c.trigger() != null) {
                detail.put("trigger", c.trigger().dbName());
            }
            if (extra != null) {
                detail.mergeIn(extra);
            }
            String kind = kind(c);
            // A timeout found while settling concerns the earlier check, not the one the caller names.
            UUID check = c.kind() == PresenceRules.Kind.CHECK_DUE || c.reason() == CheckResult.Reason.TIMEOUT ? null : checkId;
            f = f.compose(v -> tx.preparedQuery("insert into presence_events (marker_id, at, kind, check_id, reason, actor, detail)"
                            + " values ($1, $2, $3, $4, $5, $6, $7)")
                    .execute(Tuple.from(new Object[] {markerId, PresenceStore.time(c.at()), kind, check,
                            c.reason() == null ? null : c.reason().name(), actor, detail}))
                    .compose(x -> AuditLog.record(tx, actor, "presence." + kind, username, detail.copy()
                            .put("markerId", markerId.toString()).put("checkId", check == null ? null : check.toString())
                            .put("reason", c.reason() == null ? null : c.reason().name()))));
        }
        return f;
    }

    static String kind(Change c) {
        return c.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What the exam's dashboards hear of, as {@code presence-<kind>}; the rest concerns only the marker. */
    private static final Set<PresenceRules.Kind> TO_DASHBOARDS = EnumSet.of(PresenceRules.Kind.PASSED,
            PresenceRules.Kind.FAILED, PresenceRules.Kind.PAUSED, PresenceRules.Kind.SUSPENDED, PresenceRules.Kind.REINSTATED);

    /** After the commit: tells the marker and the exam's dashboards, and holds marks on suspension. */
    void afterCommit(Presence after, List<Change> changes, String username) {
        List<Change> shown = changes.stream().filter(c -> TO_DASHBOARDS.contains(c.kind())).toList();
        if (!shown.isEmpty()) {
            notifyDashboards(after.markerId(), username, shown);
        }
        for (Change c : changes) {
            JsonObject data = new JsonObject().put("state", after.state().name());
            switch (c.kind()) {
                case CHECK_DUE -> push.toUser(after.markerId(), "face-check", data.put("trigger", c.trigger().dbName())
                        .put("deadline", after.deadline() == null ? null : after.deadline().toString()));
                case PAUSED -> push.toUser(after.markerId(), "paused", data.put("reason", c.reason().name())
                        .put("retryAllowed", true));
                case SUSPENDED -> {
                    push.toUser(after.markerId(), "suspended", data.put("reason", c.reason().name()));
                    holdMarks(after, username);
                }
                case REINSTATED -> push.toUser(after.markerId(), "reinstated", data);
                default -> { }
            }
        }
    }

    /** Holds the marks made since the last passed check; a failure leaves hold_pending for the sweeper to retry. */
    void holdMarks(Presence p, String username) {
        if (!p.holdPending()) {
            return;
        }
        holds.holdSince(p.markerId(), p.lastPassedAt(), "face checks failed twice", null)
                .compose(n -> pool.withTransaction(tx -> tx.preparedQuery(
                                "update presence set hold_pending = false where marker_id = $1 and state = 'suspended'"
                                        + " and suspended_at = $2 and hold_pending returning marker_id")
                        .execute(Tuple.of(p.markerId(), PresenceStore.time(p.suspendedAt())))
                        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : tx.preparedQuery(
                                        "insert into presence_events (marker_id, at, kind, detail) values ($1, $2, 'marks-held', $3)")
                                .execute(Tuple.of(p.markerId(), PresenceStore.time(clock.instant()), new JsonObject().put("held", n)
                                        .put("since", p.lastPassedAt().toString())))
                                .compose(x -> AuditLog.record(tx, null, "presence.marks-held", username,
                                        new JsonObject().put("markerId", p.markerId().toString()).put("held", n)
                                                .put("since", p.lastPassedAt().toString()))))))
                .onFailure(e -> LOG.warning("holding the marks of suspended marker " + p.markerId()
                        + " failed (retried by the sweeper): " + e.getMessage()));
    }

    /**
     * Pushes each change to the dashboards of every exam the marker marks in (presence is per
     * marker, not per task), as {@code presence-passed}, {@code -failed}, {@code -paused},
     * {@code -suspended} or {@code -reinstated}. The data names the marker's scopes and tasks
     * within that exam under {@code covers}, so the stream shows it only to chief examiners whose
     * scope covers one of them, as the presence routes decide who may see a marker.
     */
    private void notifyDashboards(UUID markerId, String username, List<Change> changes) {
        pool.preparedQuery("select u.id, u.username, " + MarkerDirectory.COVERAGE + " from users u where u.id = $1")
                .execute(Tuple.of(markerId))
                .onSuccess(rows -> {
                    if (rows.size() == 0) {
                        return;
                    }
                    MarkerDirectory.Marker m = MarkerDirectory.read(rows.iterator().next());
                    Map<String, JsonArray> byExam = new TreeMap<>();
                    for (String s : m.coverage()) {
                        // A marker scoped to every exam ("*") belongs to none in particular: no exam stream to tell.
                        if (!s.equals("*")) {
                            byExam.computeIfAbsent(ExamService.examOf(s), k -> new JsonArray()).add(s);
                        }
                    }
                    for (Change c : changes) {
                        String type = "presence-" + kind(c);
                        byExam.forEach((exam, covers) -> push.toScope(exam, type, new JsonObject().put("marker", username)
                                .put("markerId", markerId.toString()).put("kind", kind(c)).put("at", c.at().toString())
                                .put("reason", c.reason() == null ? null : c.reason().name()).put("covers", covers.copy())));
                    }
                })
                .onFailure(e -> LOG.warning("could not tell the dashboards about " + markerId + ": " + e.getMessage()));
    }
}

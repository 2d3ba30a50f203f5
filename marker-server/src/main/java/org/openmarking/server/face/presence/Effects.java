package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.face.CheckResult;
import org.openmarking.server.face.presence.PresenceRules.Change;
import org.openmarking.server.presence.MarkHolds;
import org.openmarking.server.push.Push;

/**
 * What a presence {@link PresenceRules.Step} does beyond the row: inside the transaction, an
 * event row and an audit entry per change; after the commit, the pushes (to the marker, and to
 * the chief examiners of a suspended marker) and the hold of the marks made since the last
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

    /** After the commit: tells the marker, the chief examiners, and holds marks on suspension. */
    void afterCommit(Presence after, List<Change> changes, String username) {
        for (Change c : changes) {
            JsonObject data = new JsonObject().put("state", after.state().name());
            switch (c.kind()) {
                case CHECK_DUE -> push.toUser(after.markerId(), "face-check", data.put("trigger", c.trigger().dbName())
                        .put("deadline", after.deadline() == null ? null : after.deadline().toString()));
                case PAUSED -> push.toUser(after.markerId(), "paused", data.put("reason", c.reason().name())
                        .put("retryAllowed", true));
                case SUSPENDED -> {
                    push.toUser(after.markerId(), "suspended", data.put("reason", c.reason().name()));
                    notifyChiefExaminers(after.markerId(), username, c.reason().name(), c.at());
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

    /** Chief examiners whose scope covers one of the marker's scopes or tasks get a push. */
    private void notifyChiefExaminers(UUID markerId, String username, String reason, Instant at) {
        pool.preparedQuery("select distinct r.user_id from user_roles r where r.role = 'chief_examiner' and (r.scope = '*'"
                        + " or exists (select 1 from marker_tasks mt where mt.marker_id = $1"
                        + "   and (mt.task_id = r.scope or mt.task_id like r.scope || '.%'))"
                        + " or exists (select 1 from user_roles m where m.user_id = $1 and m.role = 'marker'"
                        + "   and (m.scope = r.scope or m.scope like r.scope || '.%')))")
                .execute(Tuple.of(markerId))
                .onSuccess(rows -> {
                    List<UUID> chiefs = new ArrayList<>();
                    for (Row r : rows) {
                        chiefs.add(r.getUUID("user_id"));
                    }
                    JsonObject data = new JsonObject().put("marker", username).put("reason", reason)
                            .put("at", at.toString());
                    chiefs.forEach(c -> push.toUser(c, "marker-suspended", data));
                })
                .onFailure(e -> LOG.warning("could not notify the chief examiners of " + markerId + ": " + e.getMessage()));
    }
}

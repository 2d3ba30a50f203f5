package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.presence.MarkHolds;

/**
 * The marking engine's side of presence: a marker who fails face checks has their live and
 * senior marks since the last passed check held (they stop counting; their responses wait rather
 * than go to others while the chief examiner decides), then accepted (counting again, completing
 * responses) or withdrawn (the responses go back to the pool). Marks are never deleted.
 */
public final class HeldMarks implements MarkHolds {
    private final Pool pool;
    private final Notices notices;

    public HeldMarks(Pool pool, Notices notices) {
        this.pool = pool;
        this.notices = notices;
    }

    @Override
    public Future<Integer> holdSince(UUID markerId, Instant since, String reason, UUID actor) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> tx.preparedQuery("update marks set status = 'held', status_reason = $3 where marker_id = $1 "
                                + "and status = 'valid' and kind in ('live', 'senior') and made_at > $2 returning id, response_id")
                        .execute(Tuple.of(markerId, OffsetDateTime.ofInstant(since, ZoneOffset.UTC), "held: " + reason))
                        .compose(rs -> reconsiderAll(tx, rs, outbox)
                                .compose(x -> AuditLog.record(tx, actor, "marks.held", markerId.toString(), new JsonObject()
                                        .put("since", since.toString()).put("reason", reason).put("marks", ids(rs))))
                                .map(x -> rs.rowCount())))
                .onSuccess(x -> outbox.flush());
    }

    @Override
    public Future<Integer> release(UUID markerId, boolean accept, UUID actor) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> tx.preparedQuery("update marks set status = $2, status_reason = $3 where marker_id = $1 "
                                + "and status = 'held' returning id, response_id")
                        .execute(Tuple.of(markerId, accept ? "valid" : "withdrawn", accept ? "" : "withdrawn after a failed presence check"))
                        .compose(rs -> reconsiderAll(tx, rs, outbox)
                                .compose(x -> AuditLog.record(tx, actor, accept ? "marks.accepted" : "marks.withdrawn", markerId.toString(),
                                        new JsonObject().put("marks", ids(rs)).put("reason", "presence hold released")))
                                .map(x -> rs.rowCount())))
                .onSuccess(x -> outbox.flush());
    }

    private Future<Void> reconsiderAll(SqlClient tx, RowSet<Row> rs, Outbox outbox) {
        Set<String> responses = new LinkedHashSet<>();
        rs.forEach(r -> responses.add(r.getString(1)));
        Future<?> f = Future.succeededFuture();
        for (String id : responses) {
            f = f.compose(x -> ResponseState.reconsider(tx, id).map(c -> {
                if (c.became("adjudication")) {
                    outbox.add(() -> notices.toChiefs(c.examId(), "adjudication-needed", c.taskId(), new JsonObject().put("responseId", id)));
                }
                outbox.add(() -> notices.statsChanged(c.examId(), c.taskId()));
                return c;
            }));
        }
        return f.mapEmpty();
    }

    private static JsonArray ids(RowSet<Row> rs) {
        JsonArray out = new JsonArray();
        rs.forEach(r -> out.add(r.getUUID(0).toString()));
        return out;
    }
}

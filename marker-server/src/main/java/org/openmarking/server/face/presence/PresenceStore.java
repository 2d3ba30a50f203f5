package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** The {@code presence} table: reading, locking and writing one marker's {@link Presence}. */
final class PresenceStore {
    static final String COLUMNS = "marker_id, state, trigger, due_since, deadline, next_check_at, failures, last_passed_at, "
            + "last_active_at, notified_at, suspended_at, hold_pending";

    /** The latest login of a user (sessions are created with the server's clock). */
    static final String LAST_LOGIN = "(select max(s.created_at) from sessions s where s.user_id = $1 and not s.revoked)";

    private PresenceStore() {
    }

    /** One cheap read for the gate: the row (or nulls), the latest login, and whether the marker is enrolled. */
    static Future<Row> peek(SqlClient sql, UUID markerId) {
        return sql.preparedQuery("select " + prefixed("p") + ", " + LAST_LOGIN + " as last_login,"
                        + " exists (select 1 from face_enrollments e where e.marker_id = $1 and e.deleted_at is null) as enrolled"
                        + " from (select $1::uuid as id) m left join presence p on p.marker_id = m.id")
                .execute(Tuple.of(markerId)).map(rows -> rows.iterator().next());
    }

    /** Makes sure the row exists, then locks it for this transaction; with the latest login and user name. */
    static Future<Row> lock(SqlClient sql, UUID markerId, Instant now) {
        return sql.preparedQuery("insert into presence (marker_id, state, trigger, updated_at) values ($1, 'ok', 'random', $2)"
                        + " on conflict (marker_id) do nothing")
                .execute(Tuple.of(markerId, time(now)))
                .compose(x -> sql.preparedQuery("select " + prefixed("p") + ", " + LAST_LOGIN + " as last_login, u.username"
                                + " from presence p join users u on u.id = p.marker_id where p.marker_id = $1 for update of p")
                        .execute(Tuple.of(markerId)))
                .map(rows -> rows.iterator().next());
    }

    static Future<Void> write(SqlClient sql, Presence p, Instant now) {
        return sql.preparedQuery("update presence set state = $2, trigger = $3, due_since = $4, deadline = $5, next_check_at = $6,"
                        + " failures = $7, last_passed_at = $8, last_active_at = $9, notified_at = $10, suspended_at = $11,"
                        + " hold_pending = $12, updated_at = $13 where marker_id = $1")
                .execute(Tuple.from(new Object[] {p.markerId(), p.state().dbName(), p.trigger() == null ? null : p.trigger().dbName(),
                        time(p.dueSince()), time(p.deadline()), time(p.nextCheckAt()), p.failures(), time(p.lastPassedAt()),
                        time(p.lastActiveAt()), time(p.notifiedAt()), time(p.suspendedAt()), p.holdPending(), time(now)}))
                .mapEmpty();
    }

    /** The presence in a row read with {@link #COLUMNS}; null when the left join found none. */
    static Presence read(Row r) {
        UUID id = r.getUUID("marker_id");
        if (id == null) {
            return null;
        }
        return new Presence(id, Presence.State.fromDb(r.getString("state")), Presence.Trigger.fromDb(r.getString("trigger")),
                instant(r, "due_since"), instant(r, "deadline"), instant(r, "next_check_at"), r.getInteger("failures"),
                instant(r, "last_passed_at"), instant(r, "last_active_at"), instant(r, "notified_at"),
                instant(r, "suspended_at"), r.getBoolean("hold_pending"));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }
}

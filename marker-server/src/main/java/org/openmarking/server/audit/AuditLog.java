package org.openmarking.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The append-only audit log: every mark, withdrawal, suspension, adjudication, login and
 * administrative change. Callers pass the same {@link SqlClient} as the change itself
 * (a transaction's connection) so the entry and the change commit together or not at all.
 */
public final class AuditLog {
    private AuditLog() {
    }

    /**
     * Appends one entry.
     *
     * @param actor the user who acted, or null for the system itself
     * @param action a dotted verb such as {@code account.login} or {@code mark.withdrawn}
     * @param subject what was acted on (a user name, a response id), never candidate identity
     * @param detail structured facts; never secrets, tokens or images
     */
    public static Future<Void> record(SqlClient sql, UUID actor, String action, String subject, JsonObject detail) {
        return sql.preparedQuery("insert into audit_log (actor, action, subject, detail) values ($1, $2, $3, $4)")
                .execute(Tuple.of(actor, action, subject == null ? "" : subject, detail == null ? new JsonObject() : detail))
                .mapEmpty();
    }
}

package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.http.ApiException;

/**
 * Markers as the presence routes name them (by user name), with the scopes of their marker
 * role and the tasks they mark, which decide which chief examiners may act on them.
 */
final class MarkerDirectory {
    /** A marker: their marker-role scopes and their tasks. */
    record Marker(UUID id, String username, List<String> scopes, List<String> tasks) {
        /** Everything the marker marks in: their marker scopes, then the tasks they joined. */
        List<String> coverage() {
            List<String> all = new ArrayList<>(scopes);
            all.addAll(tasks);
            return all;
        }
    }

    static final String COVERAGE = "array(select r.scope from user_roles r where r.user_id = u.id and r.role = 'marker') as scopes,"
            + " array(select mt.task_id from marker_tasks mt where mt.marker_id = u.id) as tasks";

    private MarkerDirectory() {
    }

    /** The marker named {@code username}; 404 when there is no such user or they are not a marker. */
    static Future<Marker> find(SqlClient sql, String username) {
        return sql.preparedQuery("select u.id, u.username, " + COVERAGE + " from users u where u.username = $1")
                .execute(Tuple.of(username)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no user named '" + username + "'"));
                    }
                    Marker m = read(rows.iterator().next());
                    if (m.scopes().isEmpty()) {
                        return Future.failedFuture(ApiException.notFound("'" + username + "' is not a marker"));
                    }
                    return Future.succeededFuture(m);
                });
    }

    static Marker read(Row r) {
        return new Marker(r.getUUID("id"), r.getString("username"), strings(r, "scopes"), strings(r, "tasks"));
    }

    private static List<String> strings(Row r, String column) {
        String[] a = r.getArrayOfStrings(column);
        return a == null ? List.of() : List.of(a);
    }

    /** True for an admin, or a chief examiner whose scope holds one of the marker's scopes or tasks. */
    static boolean covers(Principal p, Marker m) {
        if (p.has(Role.ADMIN)) {
            return true;
        }
        return m.coverage().stream().anyMatch(s -> p.has(Role.CHIEF_EXAMINER, s));
    }

    /** {@link #find} and {@link #covers}, refusing with 403 outside the caller's scope. */
    static Future<Marker> findCovered(SqlClient sql, Principal p, String username) {
        return find(sql, username).compose(m -> covers(p, m) ? Future.succeededFuture(m)
                : Future.failedFuture(ApiException.forbidden("'" + username + "' marks outside your scope")));
    }
}

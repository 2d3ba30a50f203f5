package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.openmarking.server.http.ApiException;

/**
 * Responses chosen as calibration items or seeds. A chief examiner may choose reference material
 * already set aside, a response whose mark is final, or live work nobody has touched yet, which
 * then leaves the live pool ({@code reference}): an answer being marked must not double as a
 * check on its own markers.
 */
public final class ReferenceMaterial {
    private ReferenceMaterial() {
    }

    /** Checks every response and takes untouched ones out of the live pool; 400/404/409 otherwise. */
    public static Future<Void> claim(SqlClient tx, String taskId, List<String> responseIds) {
        if (responseIds.isEmpty()) {
            return Future.failedFuture(ApiException.badRequest("name at least one response"));
        }
        if (responseIds.stream().distinct().count() != responseIds.size()) {
            return Future.failedFuture(ApiException.badRequest("a response may appear only once"));
        }
        return tx.preparedQuery("select r.id, r.task_id, r.status, r.assigned, "
                        + "exists (select 1 from allocations a where a.response_id = r.id) "
                        + "from responses r where r.id = any($1) for update")
                .execute(Tuple.of(responseIds.toArray(new String[0])))
                .compose(rs -> {
                    List<String> found = new ArrayList<>();
                    List<String> untouched = new ArrayList<>();
                    for (Row r : rs) {
                        String id = r.getString(0);
                        found.add(id);
                        if (!r.getString(1).equals(taskId)) {
                            return Future.failedFuture(ApiException.badRequest("response " + id + " belongs to another task"));
                        }
                        String status = r.getString(2);
                        if (status.equals("open") && r.getInteger(3) == 0 && !r.getBoolean(4)) {
                            untouched.add(id);
                        } else if (!status.equals("final") && !status.equals("reference")) {
                            return Future.failedFuture(ApiException.conflict("response " + id + " is being marked (" + status
                                    + "); choose reference material, a final response or untouched live work"));
                        }
                    }
                    List<String> missing = responseIds.stream().filter(id -> !found.contains(id)).toList();
                    if (!missing.isEmpty()) {
                        return Future.failedFuture(ApiException.notFound("no responses " + missing));
                    }
                    if (untouched.isEmpty()) {
                        return Future.<Void>succeededFuture();
                    }
                    return tx.preparedQuery("update responses set status = 'reference' where id = any($1)")
                            .execute(Tuple.of(untouched.toArray(new String[0]))).mapEmpty();
                });
    }
}

package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.openmarking.calibration.resolution.GivenMark;
import org.openmarking.calibration.resolution.Resolution;
import org.openmarking.calibration.resolution.ResolutionPolicy;
import org.openmarking.domain.Mark;

/**
 * Where a response stands in marking, recomputed from its valid marks and running leases
 * whenever either changes (a mark, an expired or released lease, a withdrawal, an escalation
 * sent back). The status list is in {@code V2__marking.sql}; the decision is the library's
 * {@link ResolutionPolicy}.
 */
public final class ResponseState {
    private ResponseState() {
    }

    /** Statuses a recomputation never leaves: they wait for a person, or are not live work. */
    private static boolean settledElsewhere(String status) {
        return status.equals("escalated") || status.equals("withdrawn") || status.equals("reference");
    }

    /**
     * Recomputes a response's status, assigned count and final mark inside {@code tx}, with its
     * row locked.
     *
     * @return the status it is left in
     */
    public static Future<String> reconsider(SqlClient tx, String responseId, ResolutionPolicy policy) {
        return tx.preparedQuery("select r.status, r.marks_needed, "
                        + "(select count(*) from allocations a where a.response_id = r.id and a.kind = 'live' and a.state = 'leased'), "
                        + "(select count(*) from allocations a where a.response_id = r.id and a.kind = 'senior' and a.state = 'leased') "
                        + "from responses r where r.id = $1 for update")
                .execute(Tuple.of(responseId))
                .compose(rs -> {
                    Row r = rs.iterator().next();
                    String status = r.getString(0);
                    if (settledElsewhere(status)) {
                        return Future.succeededFuture(status);
                    }
                    int needed = r.getInteger(1);
                    long liveLeases = r.getLong(2);
                    long seniorLeases = r.getLong(3);
                    return tx.preparedQuery("select marker_id::text, sixths, kind from marks where response_id = $1 and status = 'valid' "
                                    + "order by made_at")
                            .execute(Tuple.of(responseId))
                            .compose(marks -> {
                                List<GivenMark> given = new ArrayList<>();
                                Mark adjudicated = null;
                                for (Row m : marks) {
                                    Mark mark = Mark.ofSixths(m.getInteger(1));
                                    switch (m.getString(2)) {
                                        case "live" -> given.add(GivenMark.independent(m.getString(0), mark));
                                        case "senior" -> given.add(GivenMark.senior(m.getString(0), mark));
                                        case "adjudication" -> adjudicated = mark;
                                        default -> { }
                                    }
                                }
                                long independent = given.stream().filter(g -> !g.senior()).count();
                                String next;
                                Mark finalMark = null;
                                if (adjudicated != null) {
                                    next = "final";
                                    finalMark = adjudicated;
                                } else if (independent + liveLeases < needed) {
                                    next = "open";
                                } else if (independent < needed) {
                                    next = "marking";
                                } else {
                                    Resolution res = resolve(policy, responseId, needed, given);
                                    switch (res.status()) {
                                        case FINAL -> {
                                            next = "final";
                                            finalMark = ((Resolution.Final) res).mark();
                                        }
                                        case NEEDS_SENIOR -> next = seniorLeases > 0 ? "senior-marking" : "senior";
                                        case NEEDS_ADJUDICATION -> next = "adjudication";
                                        default -> next = "open";
                                    }
                                }
                                return tx.preparedQuery("update responses set status = $2, assigned = $3, final_sixths = $4 where id = $1")
                                        .execute(Tuple.of(responseId, next, (int) (independent + liveLeases),
                                                finalMark == null ? null : (short) finalMark.sixths()))
                                        .map(x -> next);
                            });
                });
    }

    /**
     * The policy's resolution for a response that needs {@code needed} marks: the stored count
     * wins over the policy's own, since settings may change after import.
     */
    private static Resolution resolve(ResolutionPolicy policy, String responseId, int needed, List<GivenMark> given) {
        ResolutionPolicy effective = needed == policy.requiredMarks(responseId) ? policy
                : new ResolutionPolicy(needed, 0, policy.toleranceSteps());
        return effective.resolve(responseId, given);
    }
}

package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
 * Where a response stands in marking, recomputed from its marks and running leases whenever
 * either changes (a mark, an expired or released lease, a withdrawal, a hold, an escalation sent
 * back). The statuses are listed in {@code V2__marking.sql}; the decision between final, senior
 * marking and adjudication is the library's {@link ResolutionPolicy}, never re-implemented here.
 */
public final class ResponseState {
    private ResponseState() {
    }

    /** A response's status before and after a recomputation, for pushes to the chief examiner. */
    public record Change(String responseId, String taskId, String examId, String before, String after) {
        public boolean became(String status) {
            return after.equals(status) && !before.equals(status);
        }
    }

    /** Statuses a recomputation never leaves: they wait for a person, or are not live work. */
    private static boolean settledElsewhere(String status) {
        return status.equals("escalated") || status.equals("withdrawn") || status.equals("reference");
    }

    /**
     * Recomputes a response's status, assigned count and final mark inside {@code tx}, with its
     * row locked for the rest of the transaction.
     */
    public static Future<Change> reconsider(SqlClient tx, String responseId) {
        return tx.preparedQuery("select r.status, r.marks_needed, t.settings, t.id, t.exam_id, "
                        + "(select count(*) from allocations a where a.response_id = r.id and a.kind = 'live' and a.state = 'leased'), "
                        + "(select count(*) from allocations a where a.response_id = r.id and a.kind = 'senior' and a.state = 'leased'), "
                        + "(select coalesce(json_agg(json_build_array(m.marker_id::text, m.sixths, m.kind, m.status)), '[]'::json) "
                        + "   from marks m where m.response_id = r.id and m.kind <> 'seed' and m.status <> 'withdrawn') "
                        + "from responses r join tasks t on t.id = r.task_id where r.id = $1 for update of r")
                .execute(Tuple.of(responseId))
                .compose(rs -> {
                    Row r = rs.iterator().next();
                    String status = r.getString(0);
                    Change unchanged = new Change(responseId, r.getString(3), r.getString(4), status, status);
                    if (settledElsewhere(status)) {
                        return Future.succeededFuture(unchanged);
                    }
                    TaskSettings settings = TaskSettings.parse((JsonObject) r.getValue(2));
                    Outcome o = decide(responseId, r.getLong(5), r.getLong(6),
                            new io.vertx.core.json.JsonArray(r.getValue(7).toString()), settings.resolution());
                    return tx.preparedQuery("update responses set status = $2, assigned = $3, final_sixths = $4, marks_needed = $5 where id = $1")
                            .execute(Tuple.of(responseId, o.status(), o.assigned(), o.finalMark() == null ? null : (short) o.finalMark().sixths(),
                                    o.needed()))
                            .map(x -> new Change(responseId, unchanged.taskId(), unchanged.examId(), status, o.status()));
                });
    }

    /** What a response's marks and leases make of it. */
    record Outcome(String status, int needed, int assigned, Mark finalMark) {
    }

    /**
     * The pure decision: marks are rows [marker, sixths, kind, status] (seed and withdrawn marks
     * left out). Held marks keep their marker's place (the response is not offered to someone
     * else while the hold is undecided) but never count towards a result.
     */
    static Outcome decide(String responseId, long liveLeases, long seniorLeases, io.vertx.core.json.JsonArray marks,
                          ResolutionPolicy policy) {
        List<GivenMark> given = new ArrayList<>();
        Mark adjudicated = null;
        int independent = 0;
        int held = 0;
        boolean seniorHeld = false;
        for (Object o : marks) {
            io.vertx.core.json.JsonArray m = (io.vertx.core.json.JsonArray) o;
            Mark mark = Mark.ofSixths(m.getInteger(1));
            boolean valid = "valid".equals(m.getString(3));
            switch (m.getString(2)) {
                case "live" -> {
                    if (valid) {
                        given.add(GivenMark.independent(m.getString(0), mark));
                        independent++;
                    } else {
                        held++;
                    }
                }
                case "senior" -> {
                    if (valid) {
                        given.add(GivenMark.senior(m.getString(0), mark));
                    } else {
                        seniorHeld = true;
                    }
                }
                case "adjudication" -> adjudicated = mark;
                default -> { }
            }
        }
        // The policy in force decides how many marks a response needs (single marking second-marks
        // a share chosen by id), whatever count the response was imported with.
        int needed = policy.requiredMarks(responseId);
        int assigned = (int) (independent + held + liveLeases);
        if (adjudicated != null) {
            return new Outcome("final", needed, assigned, adjudicated);
        }
        if (independent < needed) {
            return new Outcome(assigned < needed ? "open" : "marking", needed, assigned, null);
        }
        Resolution res = policy.resolve(responseId, given);
        return switch (res.status()) {
            case FINAL -> new Outcome("final", needed, assigned, ((Resolution.Final) res).mark());
            case NEEDS_SENIOR -> new Outcome(seniorLeases > 0 || seniorHeld ? "senior-marking" : "senior", needed, assigned, null);
            case NEEDS_ADJUDICATION -> new Outcome("adjudication", needed, assigned, null);
            case NEEDS_MORE_MARKS -> new Outcome(assigned < needed ? "open" : "marking", needed, assigned, null);
        };
    }
}

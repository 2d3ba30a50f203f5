package org.openmarking.server.calibration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.openmarking.calibration.AttemptResult;
import org.openmarking.calibration.CalibrationItem;
import org.openmarking.calibration.CalibrationSet;
import org.openmarking.calibration.ItemFeedback;
import org.openmarking.calibration.gate.CalibrationGate;
import org.openmarking.calibration.gate.GateEvent;
import org.openmarking.calibration.gate.GateState;
import org.openmarking.calibration.gate.MarkerCalibration;
import org.openmarking.domain.Mark;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.marking.TaskSettings;
import org.openmarking.server.push.Push;

/**
 * Calibration on the server: chief examiners build a task's calibration sets; markers attempt
 * them blind and then see every definitive mark and rationale; held markers wait for a chief
 * examiner. The rules are the library's {@link CalibrationGate}; this class loads a marker's
 * standing from {@code calibration_events}, lets the gate make the transition, and appends the
 * new event (the history is never edited). {@code marker_tasks.state} mirrors the gate state:
 * PASSED/APPROVED are {@code qualified}, HELD is {@code held}, the rest {@code calibrating}.
 */
public final class CalibrationService {
    private final Pool pool;
    private final Clock clock;
    private final Push push;

    public CalibrationService(Pool pool, Clock clock, Push push) {
        this.pool = pool;
        this.clock = clock;
        this.push = push;
    }

    /** A marker's standing on a task as the gate sees it, with the gate itself. */
    public record Standing(CalibrationGate gate, MarkerCalibration calibration, String examId, int criteriaInForce) {
    }

    /** Creates the task's next calibration set; its responses become reference items, never live work. */
    public Future<JsonObject> createSet(String taskId, JsonArray items, TaskSettings settings, UUID actor) {
        List<CalibrationItem> parsed = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof JsonObject i)) {
                return Future.failedFuture(ApiException.badRequest("each item is {responseId, mark, rationale}"));
            }
            parsed.add(CalibrationItem.of(i.getString("responseId", ""), Mark.parse(i.getString("mark", "")), i.getString("rationale", "")));
        }
        return pool.withTransaction(tx -> tx.preparedQuery("select coalesce(max(ordinal), 0) + 1 from calibration_sets where task_id = $1")
                .execute(Tuple.of(taskId))
                .compose(rs -> {
                    int ordinal = rs.iterator().next().getInteger(0);
                    settings.calibrationRule().check(CalibrationSet.of("new", taskId, ordinal, parsed));
                    return reserveReferences(tx, taskId, parsed.stream().map(CalibrationItem::responseId).toList())
                            .compose(v -> tx.preparedQuery("insert into calibration_sets (task_id, ordinal, created_by, created_at) "
                                    + "values ($1, $2, $3, $4) returning id").execute(Tuple.of(taskId, ordinal, actor, now())))
                            .compose(ids -> {
                                long setId = ids.iterator().next().getLong(0);
                                List<Tuple> rows = new ArrayList<>();
                                for (int i = 0; i < parsed.size(); i++) {
                                    CalibrationItem it = parsed.get(i);
                                    rows.add(Tuple.of(setId, i + 1, it.responseId(), (short) it.definitive().sixths(), it.rationale()));
                                }
                                return tx.preparedQuery("insert into calibration_items (set_id, position, response_id, definitive_sixths, rationale) "
                                                + "values ($1, $2, $3, $4, $5)").executeBatch(rows)
                                        .compose(x -> AuditLog.record(tx, actor, "calibration.set-created", taskId,
                                                new JsonObject().put("set", setId).put("ordinal", ordinal).put("items", parsed.size())))
                                        .map(x -> new JsonObject().put("setId", Long.toString(setId)).put("ordinal", ordinal)
                                                .put("items", parsed.size()));
                            });
                }));
    }

    /**
     * Makes responses of a task reference items (seeds, calibration): only responses never
     * allocated may become one, so no marker has seen them as live work.
     */
    public static Future<Void> reserveReferences(SqlClient tx, String taskId, List<String> responseIds) {
        return tx.preparedQuery("update responses set status = 'reference' where task_id = $1 and id = any($2) "
                        + "and ((status = 'open' and assigned = 0 and not exists (select 1 from allocations a where a.response_id = responses.id)) "
                        + "or status = 'reference') returning id")
                .execute(Tuple.of(taskId, responseIds.toArray(new String[0])))
                .compose(rs -> rs.rowCount() == responseIds.size() ? Future.<Void>succeededFuture()
                        : Future.failedFuture(ApiException.conflict("every response must belong to task " + taskId
                        + " and never have been allocated; " + (responseIds.size() - rs.rowCount()) + " do not qualify")));
    }

    /** Loads the gate of a task and a marker's standing on it; 409 when the task has fewer than two sets. */
    public Future<Standing> standing(SqlClient sql, UUID markerId, String taskId, TaskSettings settings) {
        return sql.preparedQuery("select s.id, s.ordinal, i.response_id, i.definitive_sixths, i.rationale, t.exam_id, "
                        + "(select max(version) from criteria_versions v where v.task_id = t.id) "
                        + "from tasks t left join calibration_sets s on s.task_id = t.id "
                        + "left join calibration_items i on i.set_id = s.id where t.id = $1 order by s.ordinal, i.position")
                .execute(Tuple.of(taskId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no task '" + taskId + "'"));
                    }
                    Map<Long, List<CalibrationItem>> items = new LinkedHashMap<>();
                    Map<Long, Integer> ordinals = new HashMap<>();
                    String examId = null;
                    Integer inForce = null;
                    for (Row r : rs) {
                        examId = r.getString(5);
                        inForce = r.getInteger(6);
                        if (r.getLong(0) != null) {
                            ordinals.put(r.getLong(0), r.getInteger(1));
                            items.computeIfAbsent(r.getLong(0), k -> new ArrayList<>())
                                    .add(CalibrationItem.of(r.getString(2), Mark.ofSixths(r.getInteger(3)), r.getString(4)));
                        }
                    }
                    if (items.size() < 2) {
                        return Future.failedFuture(ApiException.conflict("task " + taskId + " has " + items.size()
                                + " calibration set(s); calibration needs at least two"));
                    }
                    List<CalibrationSet> sets = new ArrayList<>();
                    items.forEach((id, list) -> sets.add(CalibrationSet.of(id.toString(), taskId, ordinals.get(id), list)));
                    CalibrationGate gate = new CalibrationGate(settings.calibrationRule(), sets, clock);
                    String exam = examId;
                    int version = inForce == null ? 0 : inForce;
                    return history(sql, markerId, taskId).map(h -> new Standing(gate, h, exam, version));
                });
    }

    private Future<MarkerCalibration> history(SqlClient sql, UUID markerId, String taskId) {
        return sql.preparedQuery("select at, after_state, kind, detail from calibration_events where marker_id = $1 and task_id = $2 order by id")
                .execute(Tuple.of(markerId, taskId))
                .map(rs -> {
                    List<GateEvent> events = new ArrayList<>();
                    for (Row r : rs) {
                        Instant at = r.getOffsetDateTime(0).toInstant();
                        GateState after = GateState.valueOf(r.getString(1));
                        JsonObject d = (JsonObject) r.getValue(3);
                        events.add(switch (r.getString(2)) {
                            case "attempted" -> new GateEvent.Attempted(at, after, resultOf(d));
                            case "chief-decision" -> new GateEvent.ChiefDecision(at, after, d.getString("chief"), d.getString("note", ""));
                            default -> new GateEvent.CriteriaRevised(at, after, d.getString("criteriaVersion"));
                        });
                    }
                    return new MarkerCalibration(markerId.toString(), taskId,
                            events.isEmpty() ? GateState.NOT_STARTED : events.get(events.size() - 1).after(), events);
                });
    }

    /** The set a marker must attempt now (items without marks), or their standing when none is due. */
    public Future<JsonObject> nextSet(UUID markerId, String taskId, TaskSettings settings) {
        return standing(pool, markerId, taskId, settings).map(s -> {
            JsonObject out = describe(s.calibration());
            s.gate().nextSet(s.calibration()).ifPresent(set -> {
                JsonArray items = new JsonArray();
                set.items().forEach(i -> items.add(new JsonObject().put("responseId", i.responseId())
                        .put("imageUrl", "/api/v1/marking/responses/" + i.responseId() + "/image")));
                out.put("set", new JsonObject().put("setId", set.id()).put("items", items));
            });
            return out;
        });
    }

    /** A marker's attempt at a set: evaluated by the gate, recorded whole, answered with full feedback. */
    public Future<JsonObject> attempt(UUID markerId, String taskId, String setId, Map<String, Mark> marks, TaskSettings settings) {
        return pool.withTransaction(tx -> lockMarker(tx, markerId, taskId).compose(state -> {
            if (state.equals("suspended")) {
                return Future.failedFuture(ApiException.forbidden("you are suspended from task " + taskId
                        + "; a chief examiner must reinstate you before you recalibrate"));
            }
            return standing(tx, markerId, taskId, settings).compose(s -> {
                MarkerCalibration after = gateCall(() -> s.gate().submit(s.calibration(), setId, marks));
                GateEvent.Attempted event = (GateEvent.Attempted) last(after);
                AttemptResult result = event.result();
                OffsetDateTime at = OffsetDateTime.ofInstant(event.at(), ZoneOffset.UTC);
                return tx.preparedQuery("insert into calibration_attempts (marker_id, task_id, set_id, started_at, finished_at, passed) "
                                + "values ($1, $2, $3, $4, $4, $5) returning id")
                        .execute(Tuple.of(markerId, taskId, Long.parseLong(setId), at, result.passed()))
                        .compose(ids -> {
                            long attemptId = ids.iterator().next().getLong(0);
                            List<Tuple> rows = new ArrayList<>();
                            result.feedback().forEach(f -> rows.add(Tuple.of(attemptId, f.responseId(), (short) f.markerMark().sixths(), at)));
                            return tx.preparedQuery("insert into calibration_marks (attempt_id, response_id, sixths, made_at) values ($1, $2, $3, $4)")
                                    .executeBatch(rows);
                        })
                        .compose(x -> append(tx, markerId, taskId, after, s.criteriaInForce()))
                        .compose(x -> AuditLog.record(tx, markerId, "calibration.attempted", taskId, new JsonObject().put("set", setId)
                                .put("passed", result.passed()).put("exact", result.exactCount()).put("state", after.state().name())))
                        .map(x -> {
                            if (after.state() == GateState.HELD) {
                                push.toScope(s.examId(), "marker-held", new JsonObject().put("taskId", taskId).put("markerId", markerId.toString()));
                            }
                            JsonArray feedback = new JsonArray();
                            for (ItemFeedback f : result.feedback()) {
                                feedback.add(new JsonObject().put("responseId", f.responseId()).put("given", f.markerMark().toString())
                                        .put("definitive", f.definitive().toString()).put("rationale", f.rationale()).put("exact", f.exact()));
                            }
                            return describe(after).put("passed", result.passed()).put("exactCount", result.exactCount())
                                    .put("maxStepsOff", result.maxStepsOff()).put("feedback", feedback);
                        });
            });
        }));
    }

    /** A chief examiner approves a held marker ({@code approve}) or sends a marker back to calibration. */
    public Future<JsonObject> decide(UUID markerId, String taskId, boolean approve, String note, UUID chief, TaskSettings settings) {
        return pool.withTransaction(tx -> lockMarker(tx, markerId, taskId)
                .compose(state -> standing(tx, markerId, taskId, settings))
                .compose(s -> {
                    MarkerCalibration after = gateCall(() -> approve ? s.gate().approve(s.calibration(), chief.toString(), note)
                            : s.gate().sendBack(s.calibration(), chief.toString(), note));
                    return append(tx, markerId, taskId, after, s.criteriaInForce())
                            .compose(x -> AuditLog.record(tx, chief, approve ? "calibration.approved" : "calibration.sent-back", taskId,
                                    new JsonObject().put("marker", markerId.toString()).put("note", note)))
                            .map(x -> {
                                push.toUser(markerId, approve ? "calibration-approved" : "recalibration-required",
                                        new JsonObject().put("taskId", taskId).put("note", note));
                                return describe(after);
                            });
                }));
    }

    /**
     * Sends a marker back to calibration inside another change (a reinstatement after suspension,
     * a criteria version requiring recalibration); a marker already calibrating is left as is.
     */
    public Future<Void> recalibrate(SqlClient tx, UUID markerId, String taskId, TaskSettings settings, String why, UUID actor,
                                    Integer criteriaVersion) {
        return standing(tx, markerId, taskId, settings).compose(s -> {
            if (s.calibration().state().awaitsAttempt()) {
                return tx.preparedQuery("update marker_tasks set state = 'calibrating', updated_at = $3 where marker_id = $1 and task_id = $2")
                        .execute(Tuple.of(markerId, taskId, now())).<Void>mapEmpty();
            }
            MarkerCalibration after = criteriaVersion != null
                    ? s.gate().criteriaRevised(s.calibration(), criteriaVersion.toString(), true)
                    : s.gate().sendBack(s.calibration(), actor == null ? "system" : actor.toString(), why);
            return append(tx, markerId, taskId, after, s.criteriaInForce());
        });
    }

    private Future<String> lockMarker(SqlClient tx, UUID markerId, String taskId) {
        return tx.preparedQuery("select state from marker_tasks where marker_id = $1 and task_id = $2 for update")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> rs.size() == 0
                        ? Future.failedFuture(ApiException.forbidden("the marker is not assigned to task " + taskId))
                        : Future.succeededFuture(rs.iterator().next().getString(0)));
    }

    /** Appends the standing's newest event and mirrors its state into marker_tasks. */
    private Future<Void> append(SqlClient tx, UUID markerId, String taskId, MarkerCalibration after, int criteriaInForce) {
        GateEvent e = last(after);
        String kind;
        JsonObject detail;
        if (e instanceof GateEvent.Attempted a) {
            kind = "attempted";
            detail = new JsonObject().put("result", json(a.result()));
        } else if (e instanceof GateEvent.ChiefDecision c) {
            kind = "chief-decision";
            detail = new JsonObject().put("chief", c.chiefExaminerId()).put("note", c.note());
        } else {
            kind = "criteria-revised";
            detail = new JsonObject().put("criteriaVersion", ((GateEvent.CriteriaRevised) e).criteriaVersion());
        }
        String state = switch (after.state()) {
            case PASSED, APPROVED -> "qualified";
            case HELD -> "held";
            case NOT_STARTED, FAILED_ONCE -> "calibrating";
        };
        return tx.preparedQuery("insert into calibration_events (marker_id, task_id, at, kind, after_state, detail) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(markerId, taskId, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC), kind, after.state().name(), detail))
                .compose(x -> tx.preparedQuery("update marker_tasks set state = $3, updated_at = $4, "
                                + "criteria_version = case when $3 = 'qualified' then $5 else criteria_version end, "
                                + "state_reason = $6 where marker_id = $1 and task_id = $2")
                        .execute(Tuple.of(markerId, taskId, state, now(), criteriaInForce, "calibration: " + after.state().name())))
                .mapEmpty();
    }

    private static GateEvent last(MarkerCalibration c) {
        return c.history().get(c.history().size() - 1);
    }

    /** The gate's refusals as 409 (wrong state) and 400 (bad set or marks). */
    private static MarkerCalibration gateCall(java.util.function.Supplier<MarkerCalibration> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    public static JsonObject describe(MarkerCalibration c) {
        JsonArray attempts = new JsonArray();
        c.attempts().forEach(a -> attempts.add(new JsonObject().put("setId", a.setId()).put("passed", a.passed())
                .put("exactCount", a.exactCount()).put("maxStepsOff", a.maxStepsOff())));
        return new JsonObject().put("taskId", c.taskId()).put("state", c.state().name()).put("mayLiveMark", c.mayLiveMark())
                .put("attempts", attempts);
    }

    private static JsonObject json(AttemptResult r) {
        JsonArray feedback = new JsonArray();
        r.feedback().forEach(f -> feedback.add(new JsonObject().put("responseId", f.responseId()).put("given", f.markerMark().sixths())
                .put("definitive", f.definitive().sixths()).put("rationale", f.rationale())));
        return new JsonObject().put("setId", r.setId()).put("passed", r.passed()).put("exactCount", r.exactCount())
                .put("maxStepsOff", r.maxStepsOff()).put("feedback", feedback);
    }

    private static AttemptResult resultOf(JsonObject d) {
        JsonObject r = d.getJsonObject("result");
        Function<Object, ItemFeedback> item = o -> {
            JsonObject f = (JsonObject) o;
            return new ItemFeedback(f.getString("responseId"), Mark.ofSixths(f.getInteger("given")), Mark.ofSixths(f.getInteger("definitive")),
                    f.getString("rationale"));
        };
        return new AttemptResult(r.getString("setId"), r.getBoolean("passed"), r.getInteger("exactCount"), r.getInteger("maxStepsOff"),
                r.getJsonArray("feedback").stream().map(item).toList());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}

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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.openmarking.calibration.AttemptResult;
import org.openmarking.calibration.CalibrationItem;
import org.openmarking.calibration.CalibrationRule;
import org.openmarking.calibration.CalibrationSet;
import org.openmarking.calibration.ItemFeedback;
import org.openmarking.calibration.gate.CalibrationGate;
import org.openmarking.calibration.gate.GateEvent;
import org.openmarking.calibration.gate.GateState;
import org.openmarking.calibration.gate.MarkerCalibration;
import org.openmarking.domain.Mark;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.marking.Notices;
import org.openmarking.server.marking.Outbox;
import org.openmarking.server.marking.ReferenceMaterial;
import org.openmarking.server.marking.TaskSettings;

/**
 * Calibration on the server. Chief examiners build a task's calibration sets; a marker is served
 * the items of their current set one by one through {@code /next}, marks them like live work,
 * and when the last item is in, the library's {@link CalibrationGate} evaluates the attempt and
 * moves the marker on (pass, second set, held). The marker then sees every definitive mark and
 * rationale. The gate's history is stored whole in {@code calibration_events};
 * {@code marker_tasks.state} mirrors the gate's state so allocation needs one row, not a replay.
 */
public final class CalibrationService {
    private final Pool pool;
    private final Clock clock;
    private final Notices notices;

    public CalibrationService(Pool pool, Clock clock, Notices notices) {
        this.pool = pool;
        this.clock = clock;
        this.notices = notices;
    }

    /** A task's gate (empty while it has fewer than two sets) and one marker's standing on it. */
    public record Standing(Optional<CalibrationGate> gate, MarkerCalibration calibration, Map<String, CalibrationSet> sets) {
        public CalibrationGate requireGate(String taskId) {
            return gate.orElseThrow(() -> new ApiException(409, "calibration-not-ready", "task " + taskId
                    + " has fewer than two calibration sets; a chief examiner must build them before markers can calibrate"));
        }
    }

    /** The task's calibration sets, by set id (the database id as text), in ordinal order. */
    public Future<Map<String, CalibrationSet>> sets(SqlClient sql, String taskId) {
        return sql.preparedQuery("select s.id, s.ordinal, i.response_id, i.definitive_sixths, i.rationale from calibration_sets s "
                        + "join calibration_items i on i.set_id = s.id where s.task_id = $1 order by s.ordinal, i.position")
                .execute(Tuple.of(taskId))
                .map(rs -> {
                    Map<Long, List<CalibrationItem>> items = new LinkedHashMap<>();
                    Map<Long, Integer> ordinals = new HashMap<>();
                    for (Row r : rs) {
                        ordinals.put(r.getLong(0), r.getInteger(1));
                        items.computeIfAbsent(r.getLong(0), k -> new ArrayList<>())
                                .add(CalibrationItem.of(r.getString(2), Mark.ofSixths(r.getInteger(3)), r.getString(4)));
                    }
                    Map<String, CalibrationSet> sets = new LinkedHashMap<>();
                    items.forEach((id, list) -> sets.put(id.toString(), CalibrationSet.of(id.toString(), taskId, ordinals.get(id), list)));
                    return sets;
                });
    }

    public Future<Standing> standing(SqlClient sql, UUID markerId, String taskId, CalibrationRule rule) {
        return sets(sql, taskId).compose(sets -> history(sql, markerId, taskId).map(h -> {
            // Sets built under another rule (the settings changed) are not offered: the gate refuses them.
            List<CalibrationSet> fitting = sets.values().stream().filter(s -> s.size() == rule.itemsPerSet()).toList();
            Optional<CalibrationGate> gate = fitting.size() < 2 ? Optional.empty() : Optional.of(new CalibrationGate(rule, fitting, clock));
            return new Standing(gate, h, sets);
        }));
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

    /**
     * The next calibration item for a marker who must calibrate: the first unmarked item of their
     * open attempt, opening an attempt at the gate's next set when none is open.
     *
     * @return {responseId, calibrationItemId}
     */
    public Future<JsonObject> nextItem(SqlClient tx, UUID markerId, String taskId, TaskSettings settings) {
        return tx.preparedQuery("select a.id, a.set_id, i.response_id, i.position from calibration_attempts a "
                        + "join calibration_items i on i.set_id = a.set_id "
                        + "where a.marker_id = $1 and a.task_id = $2 and a.finished_at is null "
                        + "and not exists (select 1 from calibration_marks m where m.attempt_id = a.id and m.response_id = i.response_id) "
                        + "order by i.position limit 1")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> {
                    if (rs.size() > 0) {
                        Row r = rs.iterator().next();
                        return Future.succeededFuture(item(r.getString(2), r.getLong(1), r.getInteger(3)));
                    }
                    return standing(tx, markerId, taskId, settings.calibrationRule()).compose(s -> {
                        CalibrationGate gate = s.requireGate(taskId);
                        CalibrationSet set = gate.nextSet(s.calibration()).orElseThrow(() -> new ApiException(409, "calibration-held",
                                "no calibration set is due; a chief examiner must decide"));
                        return tx.preparedQuery("insert into calibration_attempts (marker_id, task_id, set_id, started_at) values ($1, $2, $3, now())")
                                .execute(Tuple.of(markerId, taskId, Long.parseLong(set.id())))
                                .compose(x -> tx.preparedQuery("select position from calibration_items where set_id = $1 and response_id = $2")
                                        .execute(Tuple.of(Long.parseLong(set.id()), set.items().get(0).responseId())))
                                .map(p -> item(set.items().get(0).responseId(), Long.parseLong(set.id()), p.iterator().next().getInteger(0)));
                    });
                });
    }

    private static JsonObject item(String responseId, long setId, int position) {
        return new JsonObject().put("responseId", responseId).put("calibrationItemId", setId + "-" + position);
    }

    /** Whether {@code responseId} is an item of the marker's open attempt (its image may be shown). */
    public Future<Boolean> inOpenAttempt(SqlClient sql, UUID markerId, String responseId) {
        return sql.preparedQuery("select 1 from calibration_attempts a join calibration_items i on i.set_id = a.set_id "
                        + "where a.marker_id = $1 and a.finished_at is null and i.response_id = $2")
                .execute(Tuple.of(markerId, responseId)).map(rs -> rs.size() > 0);
    }

    /**
     * Records a calibration mark when {@code responseId} is an item of the marker's open attempt;
     * the last item evaluates the attempt through the gate. Empty when the response is not a
     * calibration item of this marker (the caller then treats it as live work).
     */
    public Future<Optional<JsonObject>> recordMark(SqlClient tx, UUID markerId, UUID markId, String responseId, Mark mark,
                                                   Outbox outbox) {
        return tx.preparedQuery("select a.id, a.set_id, a.task_id, t.settings, t.exam_id, "
                        + "exists (select 1 from calibration_marks m where m.attempt_id = a.id and m.response_id = $2), "
                        + "(select max(version) from criteria_versions v where v.task_id = a.task_id) "
                        + "from calibration_attempts a join calibration_items i on i.set_id = a.set_id join tasks t on t.id = a.task_id "
                        + "where a.marker_id = $1 and a.finished_at is null and i.response_id = $2 for update of a")
                .execute(Tuple.of(markerId, responseId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    Row r = rs.iterator().next();
                    long attemptId = r.getLong(0);
                    String taskId = r.getString(2);
                    if (r.getBoolean(5)) {
                        return Future.failedFuture(new ApiException(409, "already-marked",
                                "you have already marked this calibration item under another mark id"));
                    }
                    TaskSettings settings = TaskSettings.parse((JsonObject) r.getValue(3));
                    String examId = r.getString(4);
                    return tx.preparedQuery("insert into calibration_marks (attempt_id, response_id, sixths, made_at, mark_id) values ($1, $2, $3, now(), $4)")
                            .execute(Tuple.of(attemptId, responseId, (short) mark.sixths(), markId))
                            .compose(x -> AuditLog.record(tx, markerId, "calibration.marked", responseId,
                                    new JsonObject().put("task", taskId).put("mark", mark.toString()).put("id", markId.toString())))
                            .compose(x -> tx.preparedQuery("select response_id, sixths from calibration_marks where attempt_id = $1")
                                    .execute(Tuple.of(attemptId)))
                            .compose(marks -> standing(tx, markerId, taskId, settings.calibrationRule()).compose(s -> {
                                CalibrationSet set = s.sets().get(Long.toString(r.getLong(1)));
                                if (marks.size() < set.size()) {
                                    return Future.succeededFuture(Optional.of(progress(false, null)));
                                }
                                Map<String, Mark> given = new HashMap<>();
                                marks.forEach(m -> given.put(m.getString(0), Mark.ofSixths(m.getInteger(1))));
                                MarkerCalibration after = gateCall(() -> s.requireGate(taskId).submit(s.calibration(), set.id(), given));
                                AttemptResult result = ((GateEvent.Attempted) last(after)).result();
                                return tx.preparedQuery("update calibration_attempts set finished_at = now(), passed = $2 where id = $1")
                                        .execute(Tuple.of(attemptId, result.passed()))
                                        .compose(x -> append(tx, markerId, taskId, after))
                                        .compose(x -> AuditLog.record(tx, markerId, "calibration.attempted", taskId, new JsonObject()
                                                .put("set", set.id()).put("passed", result.passed()).put("exact", result.exactCount())
                                                .put("maxStepsOff", result.maxStepsOff()).put("state", after.state().name())))
                                        .map(x -> {
                                            if (after.state() == GateState.HELD) {
                                                outbox.add(() -> notices.toChiefs(examId, "marker-held", taskId,
                                                        new JsonObject().put("markerId", markerId.toString())));
                                            }
                                            outbox.add(() -> notices.statsChanged(examId, taskId));
                                            return Optional.of(progress(true, result.passed()));
                                        });
                            }));
                });
    }

    /** What a calibration mark's answer adds: whether the attempt is complete and, if so, passed. */
    public static JsonObject progress(boolean complete, Boolean passed) {
        JsonObject o = new JsonObject().put("complete", complete);
        if (passed != null) {
            o.put("passed", passed);
        }
        return o;
    }

    /** The answer to a resubmitted calibration mark: the same as the first time. */
    public Future<JsonObject> replay(SqlClient sql, UUID markId) {
        return sql.preparedQuery("select a.finished_at is not null, a.passed, "
                        + "(select max(m2.made_at) from calibration_marks m2 where m2.attempt_id = a.id) = m.made_at "
                        + "from calibration_marks m join calibration_attempts a on a.id = m.attempt_id where m.mark_id = $1")
                .execute(Tuple.of(markId))
                .map(rs -> {
                    Row r = rs.iterator().next();
                    boolean lastOfFinished = r.getBoolean(0) && Boolean.TRUE.equals(r.getBoolean(2));
                    return lastOfFinished ? progress(true, r.getBoolean(1)) : progress(false, null);
                });
    }

    /** The marker's latest finished attempt on the task, with full feedback; 404 when none. */
    public Future<JsonObject> feedback(UUID markerId, String taskId) {
        return pool.preparedQuery("select detail from calibration_events where marker_id = $1 and task_id = $2 and kind = 'attempted' "
                        + "order by id desc limit 1")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("you have not finished a calibration attempt on task " + taskId));
                    }
                    AttemptResult a = resultOf((JsonObject) rs.iterator().next().getValue(0));
                    return pool.preparedQuery("select response_id, position from calibration_items where set_id = $1")
                            .execute(Tuple.of(Long.parseLong(a.setId())))
                            .map(items -> {
                                Map<String, Integer> positions = new HashMap<>();
                                items.forEach(i -> positions.put(i.getString(0), i.getInteger(1)));
                                JsonArray out = new JsonArray();
                                for (ItemFeedback f : a.feedback()) {
                                    out.add(new JsonObject().put("itemId", a.setId() + "-" + positions.get(f.responseId()))
                                            .put("yourMark", f.markerMark().toString()).put("definitiveMark", f.definitive().toString())
                                            .put("rationale", f.rationale()));
                                }
                                String summary = a.exactCount() + " of " + a.feedback().size() + " exactly as the definitive mark; "
                                        + "furthest " + a.maxStepsOff() + " scale step(s) away: " + (a.passed() ? "passed" : "not passed");
                                return new JsonObject().put("passed", a.passed()).put("summary", summary).put("items", out);
                            });
                });
    }

    /** A chief examiner approves a held marker or sends a marker back to calibration. */
    public Future<JsonObject> decide(UUID markerId, String taskId, boolean approve, String note, UUID chief) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> lockMarker(tx, markerId, taskId)
                .compose(row -> standing(tx, markerId, taskId, row.settings().calibrationRule()).compose(s -> {
                    CalibrationGate gate = s.requireGate(taskId);
                    MarkerCalibration after = gateCall(() -> approve ? gate.approve(s.calibration(), chief.toString(), note)
                            : gate.sendBack(s.calibration(), chief.toString(), note));
                    return append(tx, markerId, taskId, after)
                            .compose(x -> releaseLeases(tx, markerId, taskId, !approve))
                            .compose(x -> AuditLog.record(tx, chief, approve ? "calibration.approved" : "calibration.sent-back", taskId,
                                    new JsonObject().put("marker", markerId.toString()).put("note", note)))
                            .map(x -> {
                                outbox.add(() -> notices.toMarker(markerId, approve ? "calibration-approved" : "recalibration-required",
                                        taskId, new JsonObject().put("note", note)));
                                outbox.add(() -> notices.statsChanged(row.examId(), taskId));
                                return describe(after);
                            });
                }))).onSuccess(x -> outbox.flush());
    }

    /**
     * Sends a marker back to calibration inside another change (a reinstatement after suspension,
     * a criteria version requiring recalibration). A marker already due to attempt a set keeps
     * their round. Leaves {@code marker_tasks.state} to the caller when the marker is suspended.
     */
    public Future<Void> recalibrate(SqlClient tx, UUID markerId, String taskId, TaskSettings settings, String why, UUID actor,
                                    Integer criteriaVersion) {
        return standing(tx, markerId, taskId, settings.calibrationRule()).compose(s -> {
            if (s.calibration().state().awaitsAttempt() || s.gate().isEmpty()) {
                return Future.succeededFuture();
            }
            CalibrationGate gate = s.gate().get();
            MarkerCalibration after = criteriaVersion != null
                    ? gate.criteriaRevised(s.calibration(), criteriaVersion.toString(), true)
                    : gate.sendBack(s.calibration(), actor == null ? "system" : actor.toString(), why);
            return append(tx, markerId, taskId, after);
        });
    }

    /** Ends the marker's running leases on the task (they may no longer live-mark it) and reopens the responses. */
    public static Future<Void> releaseLeases(SqlClient tx, UUID markerId, String taskId, boolean release) {
        if (!release) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("update allocations set state = 'released' where marker_id = $1 and task_id = $2 and state = 'leased' "
                        + "returning response_id, kind")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> {
                    Future<?> f = Future.succeededFuture();
                    for (Row r : rs) {
                        if (!r.getString(1).equals("seed")) {
                            f = f.compose(x -> org.openmarking.server.marking.ResponseState.reconsider(tx, r.getString(0)));
                        }
                    }
                    return f.mapEmpty();
                });
    }

    record MarkerRow(String state, TaskSettings settings, String examId) {
    }

    private Future<MarkerRow> lockMarker(SqlClient tx, UUID markerId, String taskId) {
        return tx.preparedQuery("select mt.state, t.settings, t.exam_id from marker_tasks mt join tasks t on t.id = mt.task_id "
                        + "where mt.marker_id = $1 and mt.task_id = $2 for update of mt")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("the marker has not started on task " + taskId));
                    }
                    Row r = rs.iterator().next();
                    return Future.succeededFuture(new MarkerRow(r.getString(0), TaskSettings.parse((JsonObject) r.getValue(1)), r.getString(2)));
                });
    }

    /** Appends the standing's newest event and mirrors its state into marker_tasks (a suspension stays). */
    private Future<Void> append(SqlClient tx, UUID markerId, String taskId, MarkerCalibration after) {
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
        String state = mirror(after.state());
        return tx.preparedQuery("insert into calibration_events (marker_id, task_id, at, kind, after_state, detail) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(markerId, taskId, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC), kind, after.state().name(), detail))
                .compose(x -> tx.preparedQuery("update marker_tasks set state = case when state = 'suspended' then state else $3 end, "
                                + "updated_at = now(), state_reason = case when state = 'suspended' then state_reason else $4 end "
                                + "where marker_id = $1 and task_id = $2")
                        .execute(Tuple.of(markerId, taskId, state, "calibration: " + after.state().name())))
                .mapEmpty();
    }

    /**
     * A new criteria version came into force (published through the exam routes): every marker
     * of the task is told; when it requires recalibration, every marker's qualification lapses
     * (the gate's {@code criteriaRevised}), their running leases end and they calibrate again.
     * Runs in the transaction that publishes the version ({@code ExamService.publishCriteria});
     * the pushes wait in {@code outbox} for its commit.
     */
    public Future<Integer> criteriaPublished(SqlClient tx, String taskId, int version, boolean requiresRecalibration, UUID actor,
                                             Outbox outbox) {
        return tx.preparedQuery("select mt.marker_id, t.settings, t.exam_id from marker_tasks mt "
                        + "join tasks t on t.id = mt.task_id where mt.task_id = $1 order by mt.marker_id for update of mt")
                .execute(Tuple.of(taskId))
                .compose(rs -> {
                    Future<Integer> f = Future.succeededFuture(0);
                    for (Row r : rs) {
                        UUID marker = r.getUUID(0);
                        TaskSettings settings = TaskSettings.parse((JsonObject) r.getValue(1));
                        String examId = r.getString(2);
                        boolean recalibrate = requiresRecalibration && settings.calibrationRequired();
                        outbox.add(() -> notices.toMarker(marker, "criteria-updated", taskId, new JsonObject().put("criteriaVersion", version)
                                .put("requiresRecalibration", recalibrate)));
                        if (recalibrate) {
                            outbox.add(() -> notices.toMarker(marker, "recalibration-required", taskId,
                                    new JsonObject().put("criteriaVersion", version)));
                            outbox.add(() -> notices.statsChanged(examId, taskId));
                            f = f.compose(n -> recalibrate(tx, marker, taskId, settings, null, actor, version)
                                    .compose(x -> tx.preparedQuery("update marker_tasks set state = 'calibrating', "
                                                    + "state_reason = 'criteria version ' || $3 || ' requires recalibration' "
                                                    + "where marker_id = $1 and task_id = $2 and state in ('qualified', 'held')")
                                            .execute(Tuple.of(marker, taskId, Integer.toString(version))))
                                    .compose(x -> releaseLeases(tx, marker, taskId, true))
                                    .map(x -> n + 1));
                        }
                    }
                    return f.compose(n -> n == 0 ? Future.succeededFuture(0)
                            : AuditLog.record(tx, actor, "calibration.criteria-revised", taskId, new JsonObject()
                                    .put("criteriaVersion", version).put("markers", n)).map(x -> n));
                });
    }

    /** marker_tasks.state for a gate state. */
    public static String mirror(GateState s) {
        return switch (s) {
            case PASSED, APPROVED -> "qualified";
            case HELD -> "held";
            case NOT_STARTED, FAILED_ONCE -> "calibrating";
        };
    }

    private static GateEvent last(MarkerCalibration c) {
        return c.history().get(c.history().size() - 1);
    }

    /** The gate's refusals of a decision in the wrong state, as 409. */
    private static MarkerCalibration gateCall(Supplier<MarkerCalibration> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    /**
     * A marker's calibration for the chief examiner: the gate's state, every attempt with each
     * item's mark against the definitive one (from the attempt as recorded, so a later change to
     * the set does not rewrite what the marker was judged on), and the decisions.
     */
    public static JsonObject describe(MarkerCalibration c) {
        JsonArray attempts = new JsonArray();
        List<GateEvent> h = c.history();
        for (GateEvent e : h) {
            if (e instanceof GateEvent.Attempted a) {
                JsonArray items = new JsonArray();
                for (ItemFeedback f : a.result().feedback()) {
                    items.add(new JsonObject().put("responseId", f.responseId()).put("givenMark", f.markerMark().toString())
                            .put("definitiveMark", f.definitive().toString()).put("exact", f.exact()).put("stepsOff", f.stepsOff()));
                }
                attempts.add(new JsonObject().put("setId", a.result().setId()).put("at", a.at().toString()).put("passed", a.result().passed())
                        .put("exactCount", a.result().exactCount()).put("items", a.result().feedback().size())
                        .put("maxStepsOff", a.result().maxStepsOff()).put("stateAfter", a.after().name()).put("feedback", items));
            }
        }
        JsonArray decisions = new JsonArray();
        for (GateEvent e : h) {
            if (e instanceof GateEvent.ChiefDecision d) {
                decisions.add(new JsonObject().put("at", d.at().toString()).put("decision", d.after() == GateState.APPROVED ? "approved" : "sent-back")
                        .put("chiefExaminerId", d.chiefExaminerId()).put("note", d.note()));
            } else if (e instanceof GateEvent.CriteriaRevised r) {
                decisions.add(new JsonObject().put("at", r.at().toString()).put("decision", "criteria-revised")
                        .put("criteriaVersion", r.criteriaVersion()));
            }
        }
        return new JsonObject().put("taskId", c.taskId()).put("gateState", c.state().name()).put("mayLiveMark", c.mayLiveMark())
                .put("attempts", attempts).put("decisions", decisions);
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

    /**
     * Builds a calibration set from responses of the task with definitive marks and rationales.
     * Each response must be reference material already or untouched live work (which then leaves
     * the live pool), so a candidate's answer never doubles as a calibration item while it is marked.
     *
     * <p>Refused (409) when a response is already an item of another set of the task, since a
     * marker's second attempt must be a different test ({@link CalibrationSet#sharedWith}), or a
     * seed of the task, since every marker is shown a calibration item's definitive mark and
     * rationale after the attempt. Refusing at the door, rather than choosing around overlaps at
     * allocation, keeps the sets as the chief examiner sees them and the gate's choice simple.
     */
    public Future<JsonObject> createSet(String taskId, JsonArray items, UUID chief) {
        List<CalibrationItem> parsed = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof JsonObject i)) {
                throw ApiException.badRequest("each item is {responseId, mark, rationale}");
            }
            String rationale = i.getString("rationale");
            if (rationale == null || rationale.isBlank()) {
                throw ApiException.badRequest("every calibration item needs a rationale: the marker is shown it after the attempt");
            }
            parsed.add(CalibrationItem.of(text(i, "responseId"), Mark.parse(text(i, "mark")), rationale));
        }
        return pool.withTransaction(tx -> tx.preparedQuery("select settings from tasks where id = $1").execute(Tuple.of(taskId))
                .compose(t -> {
                    if (t.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no task '" + taskId + "'"));
                    }
                    CalibrationRule rule = TaskSettings.parse((JsonObject) t.iterator().next().getValue(0)).calibrationRule();
                    try {
                        rule.check(CalibrationSet.of("new", taskId, 1, parsed));
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest(e.getMessage());
                    }
                    List<String> ids = parsed.stream().map(CalibrationItem::responseId).toList();
                    // Lock first (claim locks the responses), read after: a set or seed committed
                    // meanwhile with one of them is then seen by the checks below.
                    return ReferenceMaterial.claim(tx, taskId, ids)
                            .compose(x -> requireUnused(tx, taskId, CalibrationSet.of("new", taskId, 1, parsed)));
                })
                .compose(x -> tx.preparedQuery("insert into calibration_sets (task_id, ordinal, created_by) "
                                + "select $1, coalesce(max(ordinal), 0) + 1, $2 from calibration_sets where task_id = $1 returning id, ordinal")
                        .execute(Tuple.of(taskId, chief)))
                .compose(rs -> {
                    long setId = rs.iterator().next().getLong(0);
                    int ordinal = rs.iterator().next().getInteger(1);
                    List<Tuple> rows = new ArrayList<>();
                    for (int i = 0; i < parsed.size(); i++) {
                        CalibrationItem c = parsed.get(i);
                        rows.add(Tuple.of(setId, i + 1, c.responseId(), (short) c.definitive().sixths(), c.rationale()));
                    }
                    return tx.preparedQuery("insert into calibration_items (set_id, position, response_id, definitive_sixths, rationale) "
                                    + "values ($1, $2, $3, $4, $5)").executeBatch(rows)
                            .compose(x -> AuditLog.record(tx, chief, "calibration.set-created", taskId,
                                    new JsonObject().put("set", setId).put("ordinal", ordinal).put("items", parsed.size())))
                            .map(x -> new JsonObject().put("setId", Long.toString(setId)).put("ordinal", ordinal).put("items", parsed.size()));
                }));
    }

    /** Refuses a new set that shares a response with another set or a seed of the task. */
    private Future<Void> requireUnused(SqlClient tx, String taskId, CalibrationSet candidate) {
        return sets(tx, taskId).compose(sets -> {
            for (CalibrationSet existing : sets.values()) {
                List<String> shared = candidate.sharedWith(existing);
                if (!shared.isEmpty()) {
                    return Future.failedFuture(new ApiException(409, "already-calibration-item", "responses " + shared
                            + " are already items of calibration set " + existing.ordinal() + " of " + taskId + "; a task's sets share no "
                            + "response, so that a marker's second attempt is a different test: choose other responses"));
                }
            }
            List<String> ids = candidate.items().stream().map(CalibrationItem::responseId).toList();
            return tx.preparedQuery("select response_id from seeds where task_id = $1 and response_id = any($2) order by response_id")
                    .execute(Tuple.of(taskId, (Object) ids.toArray(new String[0])))
                    .compose(rs -> {
                        if (rs.size() == 0) {
                            return Future.<Void>succeededFuture();
                        }
                        List<String> seeds = new ArrayList<>();
                        rs.forEach(r -> seeds.add(r.getString(0)));
                        return Future.failedFuture(new ApiException(409, "already-seed", "responses " + seeds + " are seeds of " + taskId
                                + "; a calibration item's definitive mark and rationale are shown to every marker after the attempt, "
                                + "so a seed may not be one"));
                    });
        });
    }

    /** The task's sets with their items, for the chief examiner. */
    public Future<JsonObject> listSets(String taskId) {
        return sets(pool, taskId).map(sets -> {
            JsonArray out = new JsonArray();
            for (CalibrationSet s : sets.values()) {
                JsonArray items = new JsonArray();
                for (int i = 0; i < s.items().size(); i++) {
                    CalibrationItem c = s.items().get(i);
                    items.add(new JsonObject().put("itemId", s.id() + "-" + (i + 1)).put("responseId", c.responseId())
                            .put("definitiveMark", c.definitive().toString()).put("rationale", c.rationale()));
                }
                out.add(new JsonObject().put("setId", s.id()).put("ordinal", s.ordinal()).put("items", items));
            }
            return new JsonObject().put("taskId", taskId).put("sets", out);
        });
    }

    /** Every marker's calibration on the task: state, attempts, decisions; held markers first. */
    public Future<JsonArray> markers(String taskId, CalibrationRule rule) {
        return pool.preparedQuery("select mt.marker_id, u.username, u.display_name, mt.state, mt.senior, mt.state_reason "
                        + "from marker_tasks mt join users u on u.id = mt.marker_id where mt.task_id = $1 "
                        + "order by (mt.state = 'held') desc, u.username")
                .execute(Tuple.of(taskId))
                .compose(rs -> {
                    List<Future<JsonObject>> all = new ArrayList<>();
                    for (Row r : rs) {
                        UUID id = r.getUUID(0);
                        JsonObject base = new JsonObject().put("markerId", id.toString()).put("username", r.getString(1))
                                .put("displayName", r.getString(2)).put("state", r.getString(3)).put("senior", r.getBoolean(4))
                                .put("stateReason", r.getString(5)).put("awaitingApproval", r.getString(3).equals("held"));
                        all.add(history(pool, id, taskId).map(h -> base.mergeIn(describe(h))));
                    }
                    return Future.all(all).map(x -> {
                        JsonArray out = new JsonArray();
                        all.forEach(f -> out.add(f.result()));
                        return out;
                    });
                });
    }

    private static String text(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required and must be text");
        }
        return s;
    }
}

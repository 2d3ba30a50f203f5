package org.openmarking.server.seeding;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.openmarking.domain.Mark;
import org.openmarking.seeding.SeedResult;
import org.openmarking.seeding.SeedSchedule;
import org.openmarking.seeding.SeedScheduler;
import org.openmarking.seeding.Verdict;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.calibration.CalibrationService;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.marking.Notices;
import org.openmarking.server.marking.Outbox;
import org.openmarking.server.marking.ReferenceMaterial;
import org.openmarking.server.marking.ResponseState;
import org.openmarking.server.marking.TaskSettings;
import org.openmarking.server.presence.PresenceGate;

/**
 * Seeding on the server: the seed bank, the judgement of every seed mark by the library's
 * {@link org.openmarking.seeding.SeedPolicy}, warnings, and suspension with the withdrawal of the
 * marker's live marks since their last good seed. Injection itself is decided in allocation by
 * the library's {@link SeedScheduler}, one per schedule, each with an unpredictable generator.
 */
public final class SeedService {
    private final Pool pool;
    private final Notices notices;
    private final PresenceGate presence;
    private final CalibrationService calibration;
    private final Map<SeedSchedule, SeedScheduler> schedulers = new ConcurrentHashMap<>();

    public SeedService(Pool pool, Notices notices, PresenceGate presence, CalibrationService calibration) {
        this.pool = pool;
        this.notices = notices;
        this.presence = presence;
        this.calibration = calibration;
    }

    /** A seed of a task's bank, with the school and region of its answer (the task's exclusions apply to seeds too). */
    public record BankSeed(String responseId, String school, String region) {
    }

    /**
     * How long a node serves a task's seed bank from memory. Allocation needs the bank on every
     * request and reading it joined 200 seeds to their responses each time, the costliest
     * statement of a marking cycle; the bank only grows, by a chief examiner's promotion, which
     * this node sees at once and another node within this long.
     */
    static final long BANK_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private record CachedBank(long loadedAt, Future<List<BankSeed>> seeds) {
    }

    private final Map<String, CachedBank> banks = new ConcurrentHashMap<>();

    /**
     * The task's active seeds, in promotion order, from memory when loaded in the last
     * {@link #BANK_TTL_NANOS}. Concurrent callers share one load; a failed load is not kept.
     * Serving a seed checks in SQL that it is still an active seed of the task, so a bank a few
     * seconds old can miss a new seed but never serve something that is not one.
     */
    public Future<List<BankSeed>> bank(String taskId) {
        long now = System.nanoTime();
        CachedBank c = banks.get(taskId);
        if (c != null && now - c.loadedAt() < BANK_TTL_NANOS && !c.seeds().failed()) {
            return c.seeds();
        }
        CachedBank fresh = new CachedBank(now, pool.preparedQuery("select s.response_id, r.school_code, r.region_code from seeds s "
                        + "join responses r on r.id = s.response_id where s.task_id = $1 and s.active order by s.id")
                .execute(Tuple.of(taskId))
                .map(rs -> {
                    List<BankSeed> out = new ArrayList<>(rs.size());
                    rs.forEach(r -> out.add(new BankSeed(r.getString(0), r.getString(1), r.getString(2))));
                    return List.copyOf(out);
                }));
        banks.put(taskId, fresh);
        return fresh.seeds();
    }

    /** The scheduler of a schedule; SecureRandom because a predictable generator would predict seeds. */
    public SeedScheduler scheduler(SeedSchedule schedule) {
        return schedulers.computeIfAbsent(schedule, s -> new SeedScheduler(s, new SecureRandom()));
    }

    /**
     * Promotes a response to the task's seed bank with its definitive mark. A calibration item of
     * the task is refused (409): every marker who calibrated was shown its definitive mark and
     * rationale, so as a seed it would measure memory and could be recognised.
     */
    public Future<JsonObject> promote(String taskId, String responseId, Mark definitive, String rationale, UUID chief) {
        return pool.withTransaction(tx -> ReferenceMaterial.claim(tx, taskId, List.of(responseId))
                // Read after claim's lock, so a calibration set committed meanwhile is seen.
                .compose(x -> tx.preparedQuery("select s.ordinal from calibration_items i join calibration_sets s on s.id = i.set_id "
                        + "where s.task_id = $1 and i.response_id = $2 limit 1").execute(Tuple.of(taskId, responseId)))
                .compose(items -> items.size() == 0 ? Future.<Void>succeededFuture()
                        : Future.<Void>failedFuture(new ApiException(409, "already-calibration-item", "response " + responseId
                                + " is an item of calibration set " + items.iterator().next().getInteger(0) + " of " + taskId
                                + "; markers were shown its definitive mark and rationale, so it may not be a seed")))
                .compose(x -> tx.preparedQuery("insert into seeds (task_id, response_id, definitive_sixths, rationale, created_by) "
                                + "values ($1, $2, $3, $4, $5) on conflict (task_id, response_id) do nothing returning id")
                        .execute(Tuple.of(taskId, responseId, (short) definitive.sixths(), rationale, chief)))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.conflict("response " + responseId + " is already a seed of " + taskId));
                    }
                    long id = rs.iterator().next().getLong(0);
                    return AuditLog.record(tx, chief, "seed.promoted", responseId, new JsonObject().put("task", taskId)
                                    .put("definitive", definitive.toString()))
                            .map(v -> new JsonObject().put("seedId", id).put("responseId", responseId).put("definitiveMark", definitive.toString()));
                }))
                // After the commit: a reload before it would cache the bank without the new seed.
                .onSuccess(x -> banks.remove(taskId));
    }

    /** The seed bank with how often each seed was served and marked within tolerance. */
    public Future<JsonObject> list(String taskId, TaskSettings settings) {
        return pool.preparedQuery("select s.id, s.response_id, s.definitive_sixths, s.rationale, s.active, s.created_at, "
                        + "(select count(*) from allocations a where a.response_id = s.response_id and a.kind = 'seed'), "
                        + "(select count(*) from marks m where m.response_id = s.response_id and m.kind = 'seed'), "
                        + "(select count(*) from marks m where m.response_id = s.response_id and m.kind = 'seed' "
                        + "   and m.sixths = s.definitive_sixths) "
                        + "from seeds s where s.task_id = $1 order by s.id")
                .execute(Tuple.of(taskId))
                .map(rs -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rs) {
                        out.add(new JsonObject().put("seedId", r.getLong(0)).put("responseId", r.getString(1))
                                .put("definitiveMark", Mark.ofSixths(r.getInteger(2)).toString()).put("rationale", r.getString(3))
                                .put("active", r.getBoolean(4)).put("createdAt", r.getOffsetDateTime(5).toInstant().toString())
                                .put("served", r.getLong(6)).put("marked", r.getLong(7)).put("markedExactly", r.getLong(8)));
                    }
                    return new JsonObject().put("taskId", taskId).put("meanInterval",
                            settings.seedSchedule() == null ? 0 : settings.seedSchedule().meanInterval()).put("seeds", out);
                });
    }

    /** The marker's seed results on the task since their seed epoch, oldest first. */
    public static Future<List<SeedResult>> history(SqlClient sql, UUID markerId, String taskId) {
        return sql.preparedQuery("select m.response_id, m.sixths, s.definitive_sixths, m.made_at from marks m "
                        + "join seeds s on s.task_id = m.task_id and s.response_id = m.response_id "
                        + "join marker_tasks mt on mt.marker_id = m.marker_id and mt.task_id = m.task_id "
                        + "where m.marker_id = $1 and m.task_id = $2 and m.kind = 'seed' and m.made_at >= mt.seed_epoch "
                        + "order by m.made_at, m.id")
                .execute(Tuple.of(markerId, taskId))
                .map(rs -> {
                    List<SeedResult> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new SeedResult(r.getString(0), Mark.ofSixths(r.getInteger(1)), Mark.ofSixths(r.getInteger(2)),
                            r.getOffsetDateTime(3).toInstant())));
                    return out;
                });
    }

    /**
     * Judges the marker after a seed mark (already inserted in {@code tx}): an out-of-tolerance
     * seed asks the presence feature for a face check soon; WARN sends a warning; SUSPEND
     * suspends the marker and withdraws their live marks since the last good seed.
     */
    public Future<Void> afterSeedMark(SqlClient tx, UUID markerId, String taskId, String examId, TaskSettings settings, Outbox outbox) {
        return history(tx, markerId, taskId).compose(h -> {
            SeedResult latest = h.get(h.size() - 1);
            boolean missed = latest.stepsOff() > settings.seedPolicy().toleranceSteps();
            if (missed) {
                outbox.add(() -> presence.seedMissed(markerId));
            }
            Verdict v = settings.seedPolicy().evaluate(h);
            outbox.add(() -> notices.statsChanged(examId, taskId));
            return switch (v.level()) {
                case OK -> Future.<Void>succeededFuture();
                // Audited in the same transaction as the standing event, like every suspension (by the system: no actor).
                case WARN -> missed ? tx.preparedQuery("insert into marker_standing_events (marker_id, task_id, kind, reason, detail) "
                                        + "values ($1, $2, 'warned', $3, $4)")
                        .execute(Tuple.of(markerId, taskId, v.reason(), new JsonObject().put("seeds", h.size())))
                        .compose(x -> AuditLog.record(tx, null, "marker.warned", taskId, new JsonObject().put("marker", markerId.toString())
                                .put("reason", v.reason()).put("seed", latest.seedId()).put("seeds", h.size())))
                        .map(x -> {
                            outbox.add(() -> notices.toMarker(markerId, "warning", taskId, new JsonObject()
                                    .put("message", "A recent answer was marked well away from the agreed standard. Re-read the criteria "
                                            + "before you continue.")));
                            return (Void) null;
                        }) : Future.<Void>succeededFuture();
                case SUSPEND -> suspend(tx, markerId, taskId, examId, "seed policy: " + v.reason(), v.lastGoodSeedAt().orElse(null), null,
                        new JsonObject().put("severeCusum", v.severeCusum()).put("lenientCusum", v.lenientCusum()), outbox).mapEmpty();
            };
        });
    }

    /**
     * Suspends a marker from a task: their live and senior marks made after {@code since} (the
     * last good seed; null: since their seed epoch) are withdrawn, never deleted; their running
     * leases end; every response touched goes back to be marked by others.
     *
     * @return {withdrawn, released}
     */
    public Future<JsonObject> suspend(SqlClient tx, UUID markerId, String taskId, String examId, String reason, Instant since,
                                      UUID actor, JsonObject detail, Outbox outbox) {
        OffsetDateTime from = since == null ? null : OffsetDateTime.ofInstant(since, ZoneOffset.UTC);
        return tx.preparedQuery("update marker_tasks set state = 'suspended', state_reason = $3, updated_at = now() "
                        + "where marker_id = $1 and task_id = $2 and state <> 'suspended' returning seed_epoch")
                .execute(Tuple.of(markerId, taskId, reason))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.conflict("the marker is already suspended from " + taskId));
                    }
                    OffsetDateTime epoch = rs.iterator().next().getOffsetDateTime(0);
                    return tx.preparedQuery("update marks set status = 'withdrawn', status_reason = $3 where marker_id = $1 and task_id = $2 "
                                    + "and kind in ('live', 'senior') and status in ('valid', 'held') "
                                    + "and made_at > coalesce($4::timestamptz, $5) returning id, response_id")
                            .execute(Tuple.of(markerId, taskId, "marker suspended: " + reason, from, epoch));
                })
                .compose(withdrawn -> {
                    Set<String> responses = new LinkedHashSet<>();
                    JsonArray ids = new JsonArray();
                    withdrawn.forEach(r -> {
                        ids.add(r.getUUID(0).toString());
                        responses.add(r.getString(1));
                    });
                    return tx.preparedQuery("update allocations set state = 'released' where marker_id = $1 and task_id = $2 "
                                    + "and state = 'leased' returning response_id, kind")
                            .execute(Tuple.of(markerId, taskId))
                            .compose(released -> {
                                released.forEach(r -> {
                                    if (!r.getString(1).equals("seed")) {
                                        responses.add(r.getString(0));
                                    }
                                });
                                Future<?> f = Future.succeededFuture();
                                for (String id : responses) {
                                    f = f.compose(x -> ResponseState.reconsider(tx, id));
                                }
                                JsonObject out = new JsonObject().put("withdrawn", ids.size()).put("released", released.size())
                                        .put("responsesReopened", responses.size());
                                return f.compose(x -> tx.preparedQuery("insert into marker_standing_events (marker_id, task_id, kind, reason, actor, detail) "
                                                        + "values ($1, $2, 'suspended', $3, $4, $5)")
                                                .execute(Tuple.of(markerId, taskId, reason, actor, detail.copy().mergeIn(out)
                                                        .put("since", since == null ? null : since.toString()))))
                                        .compose(x -> AuditLog.record(tx, actor, "marker.suspended", taskId, new JsonObject()
                                                .put("marker", markerId.toString()).put("reason", reason).mergeIn(out)))
                                        .compose(x -> ids.isEmpty() ? Future.succeededFuture() : AuditLog.record(tx, actor, "marks.withdrawn", taskId,
                                                new JsonObject().put("marker", markerId.toString()).put("marks", ids).put("reason", "suspension")))
                                        .map(x -> {
                                            outbox.add(() -> notices.toMarker(markerId, "suspended", taskId, new JsonObject()
                                                    .put("message", "You are suspended from this task; a chief examiner will contact you.")));
                                            outbox.add(() -> notices.toChiefs(examId, "marker-suspended", taskId, new JsonObject()
                                                    .put("markerId", markerId.toString()).put("reason", reason).mergeIn(out)));
                                            outbox.add(() -> notices.statsChanged(examId, taskId));
                                            return out;
                                        });
                            });
                });
    }

    /** A chief examiner suspends a marker by hand: the same withdrawal as the seed policy's, from the seed epoch's last good seed. */
    public Future<JsonObject> suspendByChief(UUID markerId, String taskId, String reason, UUID chief) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> lock(tx, markerId, taskId).compose(row -> history(tx, markerId, taskId).compose(h -> {
            TaskSettings settings = TaskSettings.parse((JsonObject) row.getValue(1));
            Verdict v = settings.seedPolicy().evaluate(h);
            // Marks since the last seed within tolerance are doubtful; with no seed yet, all since the epoch.
            Instant since = v.lastGoodSeedAt().orElse(null);
            return suspend(tx, markerId, taskId, row.getString(2), "chief examiner: " + reason, since, chief, new JsonObject(), outbox);
        }))).onSuccess(x -> outbox.flush());
    }

    /**
     * Reinstates a suspended marker: a new seed history starts now and, when the task requires
     * calibration, the marker must recalibrate before live marking again.
     */
    public Future<JsonObject> reinstate(UUID markerId, String taskId, String note, UUID chief) {
        Outbox outbox = new Outbox();
        return pool.withTransaction(tx -> lock(tx, markerId, taskId).compose(row -> {
            if (!row.getString(0).equals("suspended")) {
                return Future.failedFuture(ApiException.conflict("the marker is not suspended from " + taskId));
            }
            TaskSettings settings = TaskSettings.parse((JsonObject) row.getValue(1));
            String examId = row.getString(2);
            String next = settings.calibrationRequired() ? "calibrating" : "qualified";
            return tx.preparedQuery("update marker_tasks set state = $3, state_reason = $4, seed_epoch = now(), live_since_seed = 0, "
                            + "updated_at = now() where marker_id = $1 and task_id = $2")
                    .execute(Tuple.of(markerId, taskId, next, "reinstated: " + note))
                    .compose(x -> settings.calibrationRequired()
                            ? calibration.recalibrate(tx, markerId, taskId, settings, "reinstated after suspension: " + note, chief, null)
                            : Future.succeededFuture())
                    // recalibrate mirrors the gate's state; a reinstated marker calibrates whatever it was.
                    .compose(x -> tx.preparedQuery("update marker_tasks set state = $3 where marker_id = $1 and task_id = $2")
                            .execute(Tuple.of(markerId, taskId, next)))
                    .compose(x -> tx.preparedQuery("insert into marker_standing_events (marker_id, task_id, kind, reason, actor) "
                            + "values ($1, $2, 'reinstated', $3, $4)").execute(Tuple.of(markerId, taskId, note, chief)))
                    .compose(x -> AuditLog.record(tx, chief, "marker.reinstated", taskId, new JsonObject().put("marker", markerId.toString())
                            .put("note", note).put("state", next)))
                    .map(x -> {
                        outbox.add(() -> notices.toMarker(markerId, "reinstated", taskId, new JsonObject().put("note", note)));
                        if (settings.calibrationRequired()) {
                            outbox.add(() -> notices.toMarker(markerId, "recalibration-required", taskId, new JsonObject().put("note", note)));
                        }
                        outbox.add(() -> notices.statsChanged(examId, taskId));
                        return new JsonObject().put("markerId", markerId.toString()).put("state", next);
                    });
        })).onSuccess(x -> outbox.flush());
    }

    private static Future<Row> lock(SqlClient tx, UUID markerId, String taskId) {
        return tx.preparedQuery("select mt.state, t.settings, t.exam_id from marker_tasks mt join tasks t on t.id = mt.task_id "
                        + "where mt.marker_id = $1 and mt.task_id = $2 for update of mt")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> rs.size() == 0 ? Future.failedFuture(ApiException.notFound("the marker has not started on task " + taskId))
                        : Future.succeededFuture(rs.iterator().next()));
    }

    /**
     * Every marker's standing history on the task, oldest first: seed warnings, suspensions (by
     * the seed policy or a chief examiner) and reinstatements, each with its time, reason and who
     * acted (null: the seed policy). For display; the policy itself writes these rows.
     */
    public Future<JsonObject> standingHistory(String taskId) {
        return pool.preparedQuery("select e.marker_id, u.username, e.kind, e.at, e.reason, a.username, e.detail "
                        + "from marker_standing_events e join users u on u.id = e.marker_id left join users a on a.id = e.actor "
                        + "where e.task_id = $1 order by u.username, e.at, e.id")
                .execute(Tuple.of(taskId))
                .map(rs -> {
                    Map<String, JsonObject> byMarker = new java.util.LinkedHashMap<>();
                    for (Row r : rs) {
                        JsonObject m = byMarker.computeIfAbsent(r.getUUID(0).toString(), k -> new JsonObject().put("markerId", k)
                                .put("username", r.getString(1)).put("warnings", 0).put("suspensions", 0).put("events", new JsonArray()));
                        String kind = r.getString(2);
                        if (kind.equals("warned")) {
                            m.put("warnings", m.getInteger("warnings") + 1);
                        } else if (kind.equals("suspended")) {
                            m.put("suspensions", m.getInteger("suspensions") + 1);
                        }
                        m.getJsonArray("events").add(new JsonObject().put("kind", kind).put("at", r.getOffsetDateTime(3).toInstant().toString())
                                .put("reason", r.getString(4)).put("actor", r.getString(5)).put("detail", (JsonObject) r.getValue(6)));
                    }
                    return new JsonObject().put("taskId", taskId).put("markers", new JsonArray(new ArrayList<>(byMarker.values())));
                });
    }

    /** Recent seed deviations per marker (signed, in points as text, and steps), newest last, for a trend chart. */
    public Future<JsonObject> deviations(String taskId, int perMarker) {
        return pool.preparedQuery("select * from (select m.marker_id, u.username, m.response_id, m.sixths, s.definitive_sixths, m.made_at, "
                        + "m.made_at >= mt.seed_epoch, row_number() over (partition by m.marker_id order by m.made_at desc, m.id desc) as n "
                        + "from marks m join seeds s on s.task_id = m.task_id and s.response_id = m.response_id "
                        + "join users u on u.id = m.marker_id join marker_tasks mt on mt.marker_id = m.marker_id and mt.task_id = m.task_id "
                        + "where m.task_id = $1 and m.kind = 'seed') x where n <= $2 order by username, made_at")
                .execute(Tuple.of(taskId, perMarker))
                .map(rs -> {
                    Map<String, JsonObject> byMarker = new java.util.LinkedHashMap<>();
                    for (Row r : rs) {
                        JsonObject m = byMarker.computeIfAbsent(r.getUUID(0).toString(), k -> new JsonObject().put("markerId", k)
                                .put("username", r.getString(1)).put("seeds", new JsonArray()));
                        Mark given = Mark.ofSixths(r.getInteger(3));
                        Mark definitive = Mark.ofSixths(r.getInteger(4));
                        m.getJsonArray("seeds").add(new JsonObject().put("responseId", r.getString(2)).put("markedAt",
                                        r.getOffsetDateTime(5).toInstant().toString()).put("given", given.toString())
                                .put("definitive", definitive.toString()).put("deviationSixths", given.sixths() - definitive.sixths())
                                .put("deviation", org.openmarking.domain.Fraction.of(given.sixths() - definitive.sixths(), 6).toString())
                                .put("stepsOff", given.stepsFrom(definitive)).put("currentEpoch", r.getBoolean(6)));
                    }
                    return new JsonObject().put("taskId", taskId).put("markers", new JsonArray(new ArrayList<>(byMarker.values())));
                });
    }
}

package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.openmarking.seeding.SeedDecision;
import org.openmarking.seeding.SeedingState;
import org.openmarking.server.calibration.CalibrationService;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.store.Transactions;
import org.openmarking.server.seeding.SeedService;

/**
 * Allocation: what {@code POST /tasks/{taskId}/next} gives a marker. A marker still calibrating
 * gets the next item of their calibration set; a qualified marker gets, in order, a blind senior
 * marking (senior markers only), a seed when the task's {@link org.openmarking.seeding.SeedScheduler}
 * says so, or a live response drawn at random from the eligible ones.
 *
 * <p>Correctness under concurrency rests on PostgreSQL, so any number of nodes can allocate:
 * <ul>
 *   <li>the marker's {@code marker_tasks} row is locked first, serialising one marker's own
 *       requests (the concurrent-lease limit and the seeding counter stay exact);</li>
 *   <li>a response is picked {@code FOR UPDATE SKIP LOCKED}, so two markers asking at the same
 *       instant never wait for each other nor get the same place on a response;</li>
 *   <li>{@code allocations_once (response_id, marker_id)} makes "never the same response twice
 *       to one marker" a constraint, not a hope; {@code assigned < marks_needed} bounds the
 *       independent markers of a response.</li>
 * </ul>
 *
 * <p>Random, not scan order: the pick is the first eligible response at or after a random point
 * of {@code random_key} (wrapping round), and every allocated response draws a fresh key, so the
 * order changes all the time and no marker can predict or steer what comes next.
 */
public final class AllocationService {
    private final Pool pool;
    private final Clock clock;
    private final CalibrationService calibration;
    private final SeedService seeds;

    public AllocationService(Pool pool, Clock clock, CalibrationService calibration, SeedService seeds) {
        this.pool = pool;
        this.clock = clock;
        this.calibration = calibration;
        this.seeds = seeds;
    }

    /** The marker's standing on the task, locked for the transaction. */
    record Context(String state, int liveSinceSeed, boolean senior, TaskSettings settings, String examId, Integer criteriaVersion,
                   long leases, List<String> seedPool, Set<String> seenSeeds, String school, String region) {
    }

    /** Serves the next piece of work, or empty when none is available now (the route answers 204). */
    public Future<Optional<JsonObject>> next(UUID markerId, String taskId) {
        // Contention between markers can abort the transaction; nothing was leased, so it runs again.
        return Transactions.retrying(pool, tx -> context(tx, markerId, taskId).compose(c -> {
            if (c.criteriaVersion() == null) {
                return Future.failedFuture(new ApiException(409, "no-criteria", "task " + taskId + " has no published criteria yet"));
            }
            switch (c.state()) {
                case "suspended" -> {
                    return Future.failedFuture(new ApiException(409, "marker-suspended", "you are suspended from task " + taskId
                            + "; a chief examiner must reinstate you"));
                }
                case "held" -> {
                    return Future.failedFuture(new ApiException(409, "calibration-held", "you did not pass two calibration sets on task "
                            + taskId + "; a chief examiner will approve you or send you back to calibration"));
                }
                case "calibrating" -> {
                    if (c.settings().calibrationRequired()) {
                        return calibration.nextItem(tx, markerId, taskId, c.settings())
                                .map(item -> Optional.of(item.put("taskId", taskId)
                                        .put("leaseExpiresAt", clock.instant().plus(c.settings().lease()).toString())
                                        .put("criteriaVersion", c.criteriaVersion())));
                    }
                    // Calibration was switched off for the task after this marker started.
                    return tx.preparedQuery("update marker_tasks set state = 'qualified', state_reason = 'calibration not required' "
                                    + "where marker_id = $1 and task_id = $2").execute(Tuple.of(markerId, taskId))
                            .compose(x -> live(tx, markerId, taskId, c));
                }
                default -> {
                    return live(tx, markerId, taskId, c);
                }
            }
        }));
    }

    private Future<Optional<JsonObject>> live(SqlClient tx, UUID markerId, String taskId, Context c) {
        if (c.leases() >= c.settings().concurrentLimit()) {
            return Future.failedFuture(new ApiException(409, "lease-limit", "you already hold " + c.leases()
                    + " responses of task " + taskId + " (the limit); mark or escalate them first"));
        }
        Future<Optional<JsonObject>> senior = c.senior() ? pick(tx, markerId, taskId, c, "senior", c.liveSinceSeed())
                : Future.succeededFuture(Optional.empty());
        return senior.compose(s -> {
            if (s.isPresent()) {
                return Future.succeededFuture(s);
            }
            if (c.settings().seedSchedule() == null || c.seedPool().isEmpty()) {
                return pick(tx, markerId, taskId, c, "live", c.liveSinceSeed() + 1);
            }
            SeedDecision d = seeds.scheduler(c.settings().seedSchedule())
                    .next(new SeedingState(c.liveSinceSeed(), c.seenSeeds()), c.seedPool());
            if (d.seedId().isEmpty()) {
                return pick(tx, markerId, taskId, c, "live", d.next().liveSinceLastSeed());
            }
            return seed(tx, markerId, taskId, c, d.seedId().get())
                    .compose(served -> served.isPresent() ? Future.succeededFuture(served)
                            : pick(tx, markerId, taskId, c, "live", c.liveSinceSeed() + 1));
        });
    }

    /**
     * Leases a seed, unless the live pool is empty: a seed served when nothing else is left
     * would give itself away.
     */
    private Future<Optional<JsonObject>> seed(SqlClient tx, UUID markerId, String taskId, Context c, String responseId) {
        return tx.preparedQuery("with ins as (insert into allocations (response_id, marker_id, task_id, kind, leased_at, expires_at) "
                        + "select $1, $2, $3, 'seed', now(), now() + $4 * interval '1 second' "
                        + "where exists (select 1 from responses r where r.task_id = $3 and r.status = 'open') "
                        + "on conflict do nothing returning response_id, expires_at), "
                        + "mt as (update marker_tasks set live_since_seed = 0 where marker_id = $2 and task_id = $3 and exists (select 1 from ins)) "
                        + "select response_id, expires_at from ins")
                .execute(Tuple.of(responseId, markerId, taskId, c.settings().lease().toSeconds()))
                .map(rs -> reply(rs, taskId, c));
    }

    private static final String PICK = "with pick as (select r.id from responses r "
            + "where r.task_id = $1 and r.status = '%s' and r.random_key %s $3 "
            + "and not exists (select 1 from allocations a where a.response_id = r.id and a.marker_id = $2) "
            + "and ($4::text is null or r.school_code is distinct from $4) "
            + "and ($5::text is null or r.region_code is distinct from $5) "
            + "order by r.random_key limit 1 for update of r skip locked), "
            + "upd as (update responses r set %s, random_key = random() from pick where r.id = pick.id returning r.id), "
            + "ins as (insert into allocations (response_id, marker_id, task_id, kind, leased_at, expires_at) "
            + "select id, $2, $1, '%s', now(), now() + $6 * interval '1 second' from upd returning response_id, expires_at), "
            + "mt as (update marker_tasks set live_since_seed = $7 where marker_id = $2 and task_id = $1 and exists (select 1 from ins)) "
            + "select response_id, expires_at from ins";
    private static final String LIVE_SET = "assigned = r.assigned + 1, "
            + "status = case when r.assigned + 1 >= r.marks_needed then 'marking' else 'open' end";
    private static final String[] LIVE = {String.format(PICK, "open", ">=", LIVE_SET, "live"), String.format(PICK, "open", "<", LIVE_SET, "live")};
    private static final String[] SENIOR = {String.format(PICK, "senior", ">=", "status = 'senior-marking'", "senior"),
            String.format(PICK, "senior", "<", "status = 'senior-marking'", "senior")};

    /** Picks and leases one eligible response of {@code kind}, trying above a random point, then below it. */
    private Future<Optional<JsonObject>> pick(SqlClient tx, UUID markerId, String taskId, Context c, String kind, int liveSinceSeed) {
        String[] sql = kind.equals("live") ? LIVE : SENIOR;
        double from = ThreadLocalRandom.current().nextDouble();
        Tuple args = Tuple.of(taskId, markerId, from, c.settings().exclusions().contains("school") ? c.school() : null,
                c.settings().exclusions().contains("region") ? c.region() : null, c.settings().lease().toSeconds(), liveSinceSeed);
        return tx.preparedQuery(sql[0]).execute(args).compose(rs -> rs.size() > 0 ? Future.succeededFuture(rs)
                        : tx.preparedQuery(sql[1]).execute(args))
                .map(rs -> reply(rs, taskId, c));
    }

    /** The same fields for live work and seeds, so a seed cannot be told apart. */
    private static Optional<JsonObject> reply(RowSet<Row> rs, String taskId, Context c) {
        if (rs.size() == 0) {
            return Optional.empty();
        }
        Row r = rs.iterator().next();
        return Optional.of(new JsonObject().put("responseId", r.getString(0)).put("taskId", taskId)
                .put("leaseExpiresAt", r.getOffsetDateTime(1).toInstant().toString()).put("criteriaVersion", c.criteriaVersion()));
    }

    private static final String CONTEXT = "select mt.state, mt.live_since_seed, mt.senior, t.settings, t.exam_id, "
            + "(select max(version) from criteria_versions v where v.task_id = t.id), "
            + "(select count(*) from allocations a where a.marker_id = mt.marker_id and a.task_id = t.id and a.state = 'leased' "
            + "   and a.expires_at > now()), "
            + "(select array_agg(s.response_id order by s.id) from seeds s where s.task_id = t.id and s.active), "
            + "(select array_agg(a.response_id) from allocations a where a.marker_id = mt.marker_id and a.task_id = t.id and a.kind = 'seed'), "
            + "u.school_code, u.region_code "
            + "from marker_tasks mt join tasks t on t.id = mt.task_id join users u on u.id = mt.marker_id "
            + "where mt.marker_id = $1 and mt.task_id = $2 for update of mt";

    private Future<Context> context(SqlClient tx, UUID markerId, String taskId) {
        return tx.preparedQuery(CONTEXT).execute(Tuple.of(markerId, taskId)).compose(rs -> {
            if (rs.size() > 0) {
                return Future.succeededFuture(context(rs.iterator().next()));
            }
            return join(tx, markerId, taskId).compose(x -> tx.preparedQuery(CONTEXT).execute(Tuple.of(markerId, taskId)))
                    .map(again -> context(again.iterator().next()));
        });
    }

    /** Starts a marker on a task: calibrating when the task requires it, otherwise qualified; 404 for no such task. */
    public static Future<Void> join(SqlClient tx, UUID markerId, String taskId) {
        return tx.preparedQuery("insert into marker_tasks (marker_id, task_id, state, state_reason) "
                        + "select $1, t.id, case when coalesce((t.settings->'calibration'->>'required')::boolean, true) "
                        + "then 'calibrating' else 'qualified' end, 'started' from tasks t where t.id = $2 on conflict do nothing returning 1")
                .execute(Tuple.of(markerId, taskId))
                .compose(rs -> rs.rowCount() > 0 ? Future.<Void>succeededFuture()
                        : tx.preparedQuery("select 1 from tasks where id = $1").execute(Tuple.of(taskId)).compose(t -> t.size() == 0
                                ? Future.failedFuture(ApiException.notFound("no task '" + taskId + "'")) : Future.succeededFuture()));
    }

    private static Context context(Row r) {
        String[] pool = r.getArrayOfStrings(7);
        String[] seen = r.getArrayOfStrings(8);
        return new Context(r.getString(0), r.getInteger(1), r.getBoolean(2), TaskSettings.parse((JsonObject) r.getValue(3)), r.getString(4),
                r.getInteger(5), r.getLong(6), pool == null ? List.of() : Arrays.asList(pool), seen == null ? Set.of() : Set.of(seen),
                r.getString(9), r.getString(10));
    }
}

package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
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
 *       requests (the seeding counter stays exact; the concurrent-lease limit too, counted after
 *       the lock by the statement that leases, see {@link #LEASES});</li>
 *   <li>a response is picked {@code FOR UPDATE SKIP LOCKED}, so two markers asking at the same
 *       instant never wait for each other nor get the same place on a response;</li>
 *   <li>{@code allocations_once (response_id, marker_id)} makes "never the same response twice
 *       to one marker" a constraint, not a hope; {@code assigned < marks_needed} bounds the
 *       independent markers of a response.</li>
 * </ul>
 *
 * <p>Random, not scan order, and uniform: see {@link #pick}. Every allocated response also draws
 * a fresh key, so the order changes all the time and no marker can predict or steer what comes next.
 *
 * <p>A marker's eligible live work is what {@link #ELIGIBLE} admits: open responses of the task
 * never allocated to them, outside their own school or region when the task excludes those. The
 * same predicate decides whether a seed may be served (only while such work exists, or the seed
 * would be the only thing left and give itself away), and the same exclusions filter the seed pool.
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
                   List<String> seedPool, Set<String> seenSeeds, String school, String region) {
        /** The marker's school, when the task keeps markers from their own school's work; else null. */
        String excludedSchool() {
            return settings.exclusions().contains("school") ? school : null;
        }

        /** The marker's region, when the task keeps markers from their own region's work; else null. */
        String excludedRegion() {
            return settings.exclusions().contains("region") ? region : null;
        }
    }

    /** Serves the next piece of work, or empty when none is available now (the route answers 204). */
    public Future<Optional<JsonObject>> next(UUID markerId, String taskId) {
        // The bank comes from the node's memory (see SeedService.bank), read before the transaction
        // so that a load never waits for a second connection while holding one.
        // Contention between markers can abort the transaction; nothing was leased, so it runs again.
        return seeds.bank(taskId).compose(bank -> Transactions.retrying(pool, tx -> context(tx, markerId, taskId, bank).compose(c -> {
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
        })));
    }

    private Future<Optional<JsonObject>> live(SqlClient tx, UUID markerId, String taskId, Context c) {
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
     * What makes a response of task $1 eligible live work for marker $2 (besides its status): never
     * allocated to them, and outside their school $4 and region $5 when those are excluded (null:
     * not excluded). Shared by the live pick and the seed's "live work exists" test, so the two
     * can never disagree about what this marker could get.
     */
    static final String ELIGIBLE = "r.task_id = $1 "
            + "and not exists (select 1 from allocations a where a.response_id = r.id and a.marker_id = $2) "
            + "and ($4::text is null or r.school_code is distinct from $4) "
            + "and ($5::text is null or r.region_code is distinct from $5)";

    /**
     * The marker's running leases on the task, as a CTE that every leasing statement starts with,
     * leases only while it is under the limit, and returns beside what it leased; {@link #reply}
     * turns a count at the limit into 409 lease-limit. The one place the limit is checked: the
     * context is read in the statement that takes the marker's lock, and a statement that waited
     * for that lock would see the marker's other leases as of its start, whereas this count runs
     * after the lock, so a request racing another of the same marker is refused like any other.
     */
    private static final String LEASES = "lim as (select count(*) as n from allocations l where l.marker_id = $2 and l.task_id = $1 "
            + "and l.state = 'leased' and l.expires_at > now())";

    /**
     * Leases seed $3, unless this marker has no eligible live work left: a seed served when the
     * marker could get nothing else would give itself away. Open responses the marker cannot get
     * (already theirs, their own school or region) do not count, whatever the rest of the task holds.
     */
    private static final String SEED = "with " + LEASES + ", ins as (insert into allocations (response_id, marker_id, task_id, kind, leased_at, expires_at) "
            + "select $3, $2, $1, 'seed', now(), now() + $6 * interval '1 second' "
            + "where exists (select 1 from responses r where r.status = 'open' and " + ELIGIBLE + ") "
            + "and exists (select 1 from seeds s where s.task_id = $1 and s.response_id = $3 and s.active) and (select n from lim) < $7 "
            + "on conflict do nothing returning response_id, expires_at), "
            + "mt as (update marker_tasks set live_since_seed = 0 where marker_id = $2 and task_id = $1 and exists (select 1 from ins)) "
            + "select i.response_id, i.expires_at, lim.n from lim left join ins i on true";

    private Future<Optional<JsonObject>> seed(SqlClient tx, UUID markerId, String taskId, Context c, String responseId) {
        return tx.preparedQuery(SEED)
                .execute(Tuple.from(new Object[] {taskId, markerId, responseId, c.excludedSchool(), c.excludedRegion(),
                        c.settings().lease().toSeconds(), c.settings().concurrentLimit()}))
                .map(rs -> reply(rs, taskId, c));
    }

    /**
     * How many eligible responses after the random point the pick chooses among. The pick is
     * exactly uniform whenever a marker has at most this many eligible responses, and within
     * about 1/sqrt(WINDOW) of uniform otherwise; each allocation reads this many index entries
     * (with one {@code allocations_once} probe each) but locks only the one it takes.
     */
    static final int WINDOW = 16;

    /**
     * The pick, in one statement.
     *
     * <p>Why not simply the first eligible response at or after a random point u of
     * {@code random_key}? Because that response is chosen with probability equal to the gap
     * between it and the previous eligible key, so it favours responses after large key gaps and
     * after runs of rows this marker cannot get (their own school, ones they marked already): a
     * response right behind a run of a hundred ineligible rows comes a hundred times as often.
     * Counting the eligible rows and drawing a rank would be exact but scans them all on every
     * request.
     *
     * <p>So: from u, take the next {@link #WINDOW} eligible rows in key order (wrapping round
     * past 1 to 0: the second branch of the union runs only when the first runs out), and choose
     * one of them uniformly ({@code order by random()}), locking it {@code SKIP LOCKED} so a row
     * another marker is taking is passed over rather than waited for. With N eligible rows:
     * <ul>
     *   <li>N &lt;= WINDOW: the window holds every eligible row whatever u is, so each is chosen
     *       with probability exactly 1/N, however skewed the keys (the end of marking, a marker
     *       excluded from most of the pool: where a skew would show most);</li>
     *   <li>N &gt; WINDOW: row i is chosen with probability A_i / WINDOW, A_i being the key arc
     *       spanned by the WINDOW gaps ending at i: a sum of WINDOW gaps instead of one, so a single
     *       large gap or ineligible run is shared by the WINDOW rows after it, and for i.i.d. keys
     *       the spread of the chances falls from about 100 % to 1/sqrt(16) = 25 %.</li>
     * </ul>
     * Every allocated row then draws a fresh key, so no response keeps a favoured place.
     * The status is checked again on the locked row: it may have changed since the window was read.
     *
     * <p>The window's rows are fetched again by their place in the table ({@code ctid}, read in
     * the same statement and so the same snapshot), not through the primary key: sixteen page
     * reads instead of sixteen index descents, a quarter of the statement's buffer reads. A row
     * another transaction changed since the snapshot is never taken unchecked: the lock follows it
     * to its newest version and checks the status there, or (PostgreSQL releases that recheck a
     * TID scan's place, such as 15.18) passes it over; {@link #pick} then tries once more when a
     * window had candidates and none was taken (the statement returns how many it held).
     */
    private static final String PICK = "with " + LEASES + ", cand as (select ctid from ("
            + "(select r.ctid, r.random_key from responses r where r.status = '%1$s' and r.random_key >= $3 and " + ELIGIBLE
            + " order by r.random_key limit " + WINDOW + ") union all "
            + "(select r.ctid, r.random_key from responses r where r.status = '%1$s' and r.random_key < $3 and " + ELIGIBLE
            + " order by r.random_key limit " + WINDOW + ")) w limit " + WINDOW + "), "
            + "pick as (select r.id from responses r where r.ctid = any(array(select ctid from cand)) and r.status = '%1$s' "
            + "and (select n from lim) < $8 order by random() limit 1 for update of r skip locked), "
            + "upd as (update responses r set %2$s, random_key = random() from pick where r.id = pick.id returning r.id), "
            + "ins as (insert into allocations (response_id, marker_id, task_id, kind, leased_at, expires_at) "
            + "select id, $2, $1, '%3$s', now(), now() + $6 * interval '1 second' from upd returning response_id, expires_at), "
            + "mt as (update marker_tasks set live_since_seed = $7 where marker_id = $2 and task_id = $1 and exists (select 1 from ins)) "
            + "select i.response_id, i.expires_at, lim.n, (select count(*) from cand) from lim left join ins i on true";
    private static final String LIVE_SET = "assigned = r.assigned + 1, "
            + "status = case when r.assigned + 1 >= r.marks_needed then 'marking' else 'open' end";
    static final String LIVE = String.format(PICK, "open", LIVE_SET, "live");
    private static final String SENIOR = String.format(PICK, "senior", "status = 'senior-marking'", "senior");

    /**
     * Picks and leases one eligible response of {@code kind}, uniformly (see {@link #PICK}). When
     * the window held candidates but none could be taken (each locked by another marker's pick,
     * or changed since the statement's snapshot), the pick runs once more with a fresh snapshot
     * and a fresh random point before the marker is told nothing is waiting.
     */
    private Future<Optional<JsonObject>> pick(SqlClient tx, UUID markerId, String taskId, Context c, String kind, int liveSinceSeed) {
        return pickOnce(tx, markerId, taskId, c, kind, liveSinceSeed).compose(rs -> {
            Row r = rs.iterator().next();
            boolean missed = r.getValue(0) == null && r.getLong(3) > 0 && !atLimit(r, c);
            return missed ? pickOnce(tx, markerId, taskId, c, kind, liveSinceSeed) : Future.succeededFuture(rs);
        }).map(rs -> reply(rs, taskId, c));
    }

    private Future<RowSet<Row>> pickOnce(SqlClient tx, UUID markerId, String taskId, Context c, String kind, int liveSinceSeed) {
        double from = ThreadLocalRandom.current().nextDouble();
        Tuple args = Tuple.from(new Object[] {taskId, markerId, from, c.excludedSchool(), c.excludedRegion(), c.settings().lease().toSeconds(),
                liveSinceSeed, c.settings().concurrentLimit()});
        return tx.preparedQuery(kind.equals("live") ? LIVE : SENIOR).execute(args);
    }

    /**
     * The same fields for live work and seeds, so a seed cannot be told apart. Empty when nothing
     * was leased under the limit; 409 lease-limit when the marker's running leases, counted after
     * their lock, had reached it (see {@link #LEASES}).
     */
    private static Optional<JsonObject> reply(RowSet<Row> rs, String taskId, Context c) {
        Row r = rs.iterator().next();
        if (r.getValue(0) == null) {
            if (atLimit(r, c)) {
                throw leaseLimit(r.getLong(2), taskId);
            }
            return Optional.empty();
        }
        return Optional.of(new JsonObject().put("responseId", r.getString(0)).put("taskId", taskId)
                .put("leaseExpiresAt", r.getOffsetDateTime(1).toInstant().toString()).put("criteriaVersion", c.criteriaVersion()));
    }

    /** Whether a leasing statement's count of the marker's running leases (its third column) had reached the limit. */
    private static boolean atLimit(Row r, Context c) {
        return r.getLong(2) >= c.settings().concurrentLimit();
    }

    private static ApiException leaseLimit(long held, String taskId) {
        return new ApiException(409, "lease-limit", "you already hold " + held + " responses of task " + taskId
                + " (the limit); mark or escalate them first");
    }

    private static final String CONTEXT = "select mt.state, mt.live_since_seed, mt.senior, t.settings, t.exam_id, "
            + "(select max(version) from criteria_versions v where v.task_id = t.id), "
            + "(select array_agg(a.response_id) from allocations a where a.marker_id = mt.marker_id and a.task_id = t.id and a.kind = 'seed'), "
            + "u.school_code, u.region_code "
            + "from marker_tasks mt join tasks t on t.id = mt.task_id join users u on u.id = mt.marker_id "
            + "where mt.marker_id = $1 and mt.task_id = $2 for update of mt";

    /**
     * Locks the marker's standing and reads the context in one statement. A statement that waited
     * for the lock sees the locked row as it is now (state, seeding counter) but the marker's
     * other leases and seeds as of its start, so the context holds neither the lease count (see
     * {@link #LEASES}) nor anything a stale seed list could break ({@code allocations_once}
     * refuses a seed already served).
     */
    private Future<Context> context(SqlClient tx, UUID markerId, String taskId, List<SeedService.BankSeed> bank) {
        Tuple key = Tuple.of(markerId, taskId);
        return tx.preparedQuery(CONTEXT).execute(key)
                .compose(rs -> rs.size() > 0 ? Future.succeededFuture(rs)
                        : join(tx, markerId, taskId).compose(x -> tx.preparedQuery(CONTEXT).execute(key)))
                .map(rs -> context(rs.iterator().next(), bank));
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

    private static Context context(Row r, List<SeedService.BankSeed> bank) {
        String[] seen = r.getArrayOfStrings(6);
        TaskSettings settings = TaskSettings.parse((JsonObject) r.getValue(3));
        String school = r.getString(7);
        String region = r.getString(8);
        // The task's exclusions apply to seeds as to live work: a seed from the marker's own school is not theirs to mark.
        List<String> pool = new ArrayList<>();
        for (SeedService.BankSeed seed : bank) {
            if (!settings.excludes(school, region, seed.school(), seed.region())) {
                pool.add(seed.responseId());
            }
        }
        return new Context(r.getString(0), r.getInteger(1), r.getBoolean(2), settings, r.getString(4),
                r.getInteger(5), pool, seen == null ? Set.of() : Set.of(seen), school, region);
    }
}

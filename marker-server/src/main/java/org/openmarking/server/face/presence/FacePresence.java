package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.face.Challenge;
import org.openmarking.server.face.CheckResult;
import org.openmarking.server.face.presence.Presence.State;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.presence.MarkHolds;
import org.openmarking.server.presence.PresenceGate;
import org.openmarking.server.push.Push;

/**
 * Marker presence on this node, with its state in PostgreSQL so that every node of a cluster
 * agrees: the {@link PresenceGate} the marking engine asks before every allocation and
 * submission, the marker's status, and the transitions the other presence classes make
 * ({@link Checks}, {@link Review}, {@link PresenceSweeper}) through {@link #transact}.
 *
 * <p>The gate is one indexed read on most requests (the marker's row and their latest login);
 * it writes only when something changes (a check falls due, a timeout, or the once-a-minute
 * activity stamp), under the row's lock, and re-decides on the locked row, so a due check can
 * never slip through.
 */
public final class FacePresence implements PresenceGate {
    /** The marker has no enrolment, so no check can be passed; a chief examiner must enrol them. */
    public static final String FACE_NOT_ENROLLED = "face-not-enrolled";

    private final FaceService service;
    private final Pool pool;
    private final Clock clock;
    private final PresenceRules rules;
    private final Effects effects;
    private final Checks checks;
    private final Review review;
    private final Enrollments enrollments;
    private final RandomGenerator random;
    private final PresenceSweeper sweeper;

    /** How often each node sweeps for due checks, timeouts and pending holds. */
    public static final java.time.Duration SWEEP_PERIOD = java.time.Duration.ofSeconds(5);

    /**
     * @param random draws check times and challenge directions: a {@code SecureRandom} in
     *     production, so markers cannot predict either
     */
    public FacePresence(FaceService service, Pool pool, Clock clock, WorkerExecutor workers, Push push, EncryptedBlobStore blobs,
                        MarkHolds holds, PresenceRules.Settings settings, RandomGenerator random) {
        this.service = service;
        this.pool = pool;
        this.clock = clock;
        this.random = random;
        this.rules = new PresenceRules(settings, random);
        this.effects = new Effects(pool, push, holds, clock);
        this.enrollments = new Enrollments(this, pool, clock, workers, blobs);
        this.checks = new Checks(this, pool, clock, workers, blobs);
        this.review = new Review(this, pool, clock, workers, blobs, holds);
        this.sweeper = new PresenceSweeper(this, pool, clock, SWEEP_PERIOD);
    }

    /**
     * Builds the node's presence service from its settings: face checks as configured, check
     * times and challenges drawn from a {@code SecureRandom}.
     */
    public static FacePresence create(FaceService service, org.openmarking.server.config.ServerConfig config,
                                      org.openmarking.server.store.Database db, Clock clock, WorkerExecutor workers, Push push,
                                      EncryptedBlobStore blobs, MarkHolds holds) {
        return new FacePresence(service, db.pool(), clock, workers, push, blobs, holds,
                PresenceRules.Settings.of(config.faceCheckInterval(), config.faceCheckTimeout()), new java.security.SecureRandom());
    }

    /** The verticle that sweeps for due checks on this node (ServerApp deploys it). */
    public PresenceSweeper sweeper() {
        return sweeper;
    }

    public FaceService service() {
        return service;
    }

    PresenceRules rules() {
        return rules;
    }

    RandomGenerator random() {
        return random;
    }

    Effects effects() {
        return effects;
    }

    public Checks checks() {
        return checks;
    }

    public Review review() {
        return review;
    }

    public Enrollments enrollments() {
        return enrollments;
    }

    /** Refuses with 503 face-checks-unavailable when checks are required but cannot run here. */
    Future<Void> requireService() {
        if (service.mode() == FaceService.Mode.UNAVAILABLE) {
            return Future.failedFuture(new ApiException(503, "face-checks-unavailable", service.reason().orElseThrow()
                    + "; see GET /api/v1/face/service and the README on face models"));
        }
        if (service.mode() == FaceService.Mode.OFF) {
            return Future.failedFuture(new ApiException(409, "face-checks-off", "face checks are switched off on this server"));
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> requireClear(UUID markerId) {
        if (service.mode() == FaceService.Mode.OFF) {
            return Future.succeededFuture();
        }
        return requireService().compose(v -> activity(markerId)).compose(p -> switch (p.state()) {
            case OK -> Future.succeededFuture();
            case CHECK_DUE -> Future.failedFuture(new ApiException(409, FACE_CHECK_DUE,
                    "a face check is due: answer it (GET /api/v1/face/status, POST /api/v1/face/checks) before marking"));
            case PAUSED -> Future.failedFuture(new ApiException(409, PRESENCE_PAUSED,
                    "marking is paused after a failed face check; one retry is allowed (POST /api/v1/face/checks)"));
            case SUSPENDED -> Future.failedFuture(new ApiException(409, PRESENCE_SUSPENDED,
                    "marking is suspended after two failed face checks; a chief examiner will review it"));
        });
    }

    @Override
    public Future<Void> seedMissed(UUID markerId) {
        if (service.mode() != FaceService.Mode.REQUIRED) {
            return Future.succeededFuture();
        }
        Instant now = clock.instant();
        return transact(markerId, null, (tx, p, login, name) ->
                Future.succeededFuture(new Outcome<>(rules.onSeedMissed(p, markerId, now), null, null, null))).mapEmpty();
    }

    /**
     * The marker asks for work or their status: settles timeouts, the login check and a due
     * scheduled check. Reads only, unless something changes.
     */
    Future<Presence> activity(UUID markerId) {
        Instant now = clock.instant();
        return PresenceStore.peek(pool, markerId).compose(row -> {
            if (!row.getBoolean("enrolled")) {
                // No check can be answered without templates: say so, and start no deadline.
                return Future.failedFuture(new ApiException(409, FACE_NOT_ENROLLED,
                        "you are not enrolled for face checks; ask your chief examiner to enrol you before marking"));
            }
            Presence stored = PresenceStore.read(row);
            Instant login = PresenceStore.instant(row, "last_login");
            PresenceRules.Step step = rules.onActivity(stored, markerId, login, now);
            if (stored != null && !step.changed(stored)) {
                return Future.succeededFuture(stored);
            }
            return transact(markerId, null, (tx, p, lastLogin, name) ->
                    Future.succeededFuture(new Outcome<>(rules.onActivity(p, markerId, lastLogin, now), null, null, null)))
                    .map(Result::presence);
        });
    }

    /** The marker's state as {@code GET /api/v1/face/status} reports it, with the open check if any. */
    public Future<JsonObject> status(UUID markerId) {
        if (service.mode() == FaceService.Mode.OFF) {
            return Future.succeededFuture(new JsonObject().put("state", State.OK.name()).put("faceChecks", "off"));
        }
        return requireService().compose(v -> activity(markerId)).compose(p -> pool
                .preparedQuery("select id, challenge, deadline from face_checks where marker_id = $1 and status = 'open'")
                .execute(Tuple.of(markerId)).map(rows -> {
                    JsonObject o = new JsonObject().put("state", p.state().name());
                    if (p.state() == State.CHECK_DUE || p.state() == State.PAUSED) {
                        o.put("trigger", p.trigger() == null ? null : p.trigger().name());
                        if (p.deadline() != null) {
                            o.put("deadline", p.deadline().toString());
                        }
                        if (rows.size() > 0) {
                            Row r = rows.iterator().next();
                            o.put("checkId", r.getUUID("id").toString()).put("challenge", r.getString("challenge"))
                                    .put("deadline", PresenceStore.instant(r, "deadline").toString());
                        }
                        o.put("retryAllowed", p.state() == State.PAUSED);
                    }
                    return o;
                }));
    }

    /** The work done under a marker's locked presence row. */
    @FunctionalInterface
    interface Work<T> {
        Future<Outcome<T>> apply(SqlConnection tx, Presence locked, Instant lastLogin, String username);
    }

    /** What the work decided: the step, a value for the caller, the check the changes concern, extra event detail. */
    record Outcome<T>(PresenceRules.Step step, T value, UUID checkId, JsonObject detail) {
    }

    /** The presence after the transaction and the work's value. */
    record Result<T>(Presence presence, T value, PresenceRules.Step step, String username) {
    }

    /**
     * Locks the marker's row (creating it), runs {@code work}, writes the next presence, records
     * the changes (events, audit, closing an open check on a timeout) and commits; then pushes.
     */
    <T> Future<Result<T>> transact(UUID markerId, UUID actor, Work<T> work) {
        return pool.withTransaction(tx -> transactIn(tx, markerId, actor, work)).onSuccess(this::afterCommit);
    }

    /** The pushes and holds of a committed {@link #transactIn}. */
    void afterCommit(Result<?> r) {
        effects.afterCommit(r.step().next(), r.step().changes(), r.username());
    }

    /** {@link #transact} inside the caller's transaction; the caller runs {@link #afterCommit} once it commits. */
    <T> Future<Result<T>> transactIn(SqlConnection tx, UUID markerId, UUID actor, Work<T> work) {
        Instant now = clock.instant();
        return PresenceStore.lock(tx, markerId, now).compose(row -> {
            Presence locked = PresenceStore.read(row);
            String username = row.getString("username");
            return work.apply(tx, locked, PresenceStore.instant(row, "last_login"), username).compose(out -> {
                PresenceRules.Step step = out.step();
                Future<Void> f = step.changed(locked) ? PresenceStore.write(tx, step.next(), now) : Future.succeededFuture();
                for (PresenceRules.Change c : step.changes()) {
                    if (c.kind() == PresenceRules.Kind.FAILED && c.reason() == CheckResult.Reason.TIMEOUT) {
                        f = f.compose(v -> tx.preparedQuery("update face_checks set status = 'failed', reason = 'TIMEOUT',"
                                        + " detail = 'no burst before the deadline', answered_at = $2 where marker_id = $1 and status = 'open'")
                                .execute(Tuple.of(markerId, PresenceStore.time(c.at()))).mapEmpty());
                    }
                }
                return f.compose(v -> Effects.record(tx, markerId, username, step.changes(), out.checkId(), actor, out.detail()))
                        .map(v -> new Result<>(step.next(), out.value(), step, username));
            });
        });
    }

    /** A new challenge in a random direction, expiring at {@code deadline}. */
    Challenge challenge(Instant now, Instant deadline) {
        return new Challenge(random.nextBoolean() ? Challenge.Direction.TURN_LEFT : Challenge.Direction.TURN_RIGHT, now, deadline);
    }

    /** Ids of markers whose presence the sweeper must look at now, locked for this transaction. */
    static Future<List<UUID>> dueForSweep(SqlConnection tx, Instant now, Instant activeSince, int limit, boolean pendingHolds) {
        return tx.preparedQuery("select marker_id from presence where (state = 'ok' and next_check_at <= $1 and last_active_at >= $2)"
                        + " or (state in ('check_due', 'paused') and deadline < $1) or (state = 'suspended' and hold_pending and $4)"
                        + " order by marker_id limit $3 for update skip locked")
                .execute(Tuple.of(PresenceStore.time(now), PresenceStore.time(activeSince), limit, pendingHolds))
                .map(rows -> {
                    List<UUID> ids = new java.util.ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("marker_id")));
                    return ids;
                });
    }
}

package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The periodic sweep every node runs: finds markers whose scheduled check has come (and who
 * are active), whose due check passed its deadline, or whose marks still wait to be held, and
 * applies the rules to each. Rows are taken with {@code FOR UPDATE SKIP LOCKED}, so nodes
 * sweeping at the same moment split the work instead of doing it twice; pushes and holds follow
 * each marker's commit.
 */
public final class PresenceSweeper extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(PresenceSweeper.class.getName());
    /** Markers handled per sweep and node; the rest wait for the next sweep. */
    static final int BATCH = 200;

    private final FacePresence presence;
    private final Pool pool;
    private final Clock clock;
    private final Duration period;
    private long timer = -1;
    private long erasures = -1;
    /** How often interrupted erasures of deleted enrolments' templates are retried. */
    static final Duration ERASURE_RETRY = Duration.ofHours(1);
    private boolean running;
    private final java.util.concurrent.atomic.AtomicLong sweeps = new java.util.concurrent.atomic.AtomicLong();
    /** Pending holds are retried every this many sweeps (once a minute at 5 s), not every sweep. */
    static final int HOLD_RETRY_EVERY = 12;

    public PresenceSweeper(FacePresence presence, Pool pool, Clock clock, Duration period) {
        this.presence = presence;
        this.pool = pool;
        this.clock = clock;
        this.period = period;
    }

    @Override
    public Future<?> start() {
        if (presence.service().mode() == FaceService.Mode.REQUIRED) {
            timer = vertx.setPeriodic(period.toMillis(), t -> sweepOnce());
        }
        // Whatever the mode: templates of a deleted enrolment that a crash or a refusing file
        // system left are erased now and retried every hour.
        finishErasures();
        erasures = vertx.setPeriodic(ERASURE_RETRY.toMillis(), t -> finishErasures());
        return Future.succeededFuture();
    }

    private void finishErasures() {
        presence.enrollments().finishErasures().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning("finishing interrupted face template erasures failed: " + ar.cause());
            } else if (ar.result() > 0) {
                LOG.info("erased the templates of " + ar.result() + " deleted face enrolment(s) left by an interrupted erasure");
            }
        });
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (erasures >= 0) {
            vertx.cancelTimer(erasures);
        }
        return Future.succeededFuture();
    }

    private void sweepOnce() {
        if (running) {
            return; // the previous sweep is still going
        }
        running = true;
        sweep().onComplete(ar -> {
            running = false;
            if (ar.failed()) {
                LOG.warning("presence sweep failed: " + ar.cause());
            }
        });
    }

    /** One sweep; returns how many markers it handled. */
    public Future<Integer> sweep() {
        Instant now = clock.instant();
        PresenceRules rules = presence.rules();
        Instant activeSince = now.minus(rules.settings().activeWindow());
        List<FacePresence.Result<Void>> done = new ArrayList<>();
        boolean retryHolds = sweeps.getAndIncrement() % HOLD_RETRY_EVERY == 0;
        return pool.withTransaction(tx -> FacePresence.dueForSweep(tx, now, activeSince, BATCH, retryHolds).compose(ids -> {
            Future<Void> chain = Future.succeededFuture();
            for (UUID id : ids) {
                chain = chain.compose(v -> presence.<Void>transactIn(tx, id, null, (c, p, login, name) ->
                        Future.succeededFuture(new FacePresence.Outcome<>(rules.onSweep(p, now), null, null, null)))
                        .map(r -> {
                            done.add(r);
                            return null;
                        }));
            }
            return chain;
        })).map(v -> {
            for (FacePresence.Result<Void> r : done) {
                presence.afterCommit(r);
                boolean justSuspended = r.step().changes().stream().anyMatch(c -> c.kind() == PresenceRules.Kind.SUSPENDED);
                if (r.presence().holdPending() && !justSuspended) {
                    presence.effects().holdMarks(r.presence(), r.username());
                }
            }
            return done.size();
        });
    }
}

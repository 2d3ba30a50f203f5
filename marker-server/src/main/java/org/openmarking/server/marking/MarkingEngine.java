package org.openmarking.server.marking;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.openmarking.server.ServerContext;
import org.openmarking.server.calibration.CalibrationService;
import org.openmarking.server.seeding.SeedService;

/**
 * The marking engine of one node: its services wired once from the {@link ServerContext}. The
 * marker routes ({@link MarkingRoutes}), the chief examiner routes
 * ({@link org.openmarking.server.quality.QualityRoutes}) and the presence feature (through
 * {@link #markHolds()}) share one instance, so the seed schedulers' generators and the
 * stats-nudge throttle are per node, not per verticle.
 */
public final class MarkingEngine {
    /** Expired leases are returned within this long of their expiry. */
    public static final long SWEEP_MILLIS = 1000;

    private final ServerContext context;
    private final Notices notices;
    private final CalibrationService calibration;
    private final SeedService seeds;
    private final AllocationService allocation;
    private final MarkService marks;
    private final HeldMarks holds;
    private final LeaseSweeper sweeper;
    private long timer = -1;

    private static final java.util.Map<ServerContext, MarkingEngine> ENGINES = new java.util.IdentityHashMap<>();

    /** The node's one engine for this context, made on first use (API verticles, ServerApp, presence). */
    public static MarkingEngine of(ServerContext context) {
        synchronized (ENGINES) {
            return ENGINES.computeIfAbsent(context, MarkingEngine::new);
        }
    }

    public MarkingEngine(ServerContext context) {
        this.context = context;
        Pool pool = context.database().pool();
        this.notices = new Notices(context.push());
        this.calibration = new CalibrationService(pool, context.clock(), notices);
        this.seeds = new SeedService(pool, notices, context.presence(), calibration);
        this.allocation = new AllocationService(pool, context.clock(), calibration, seeds);
        this.marks = new MarkService(pool, calibration, seeds, notices);
        this.holds = new HeldMarks(pool, notices);
        this.sweeper = new LeaseSweeper(pool, notices);
    }

    /** Starts the node's lease sweeper (once); it stops with Vert.x. */
    public synchronized MarkingEngine startSweeper(Vertx vertx) {
        if (timer < 0) {
            timer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweeper.sweep());
        }
        return this;
    }

    public ServerContext context() {
        return context;
    }

    public Notices notices() {
        return notices;
    }

    public CalibrationService calibration() {
        return calibration;
    }

    public SeedService seeds() {
        return seeds;
    }

    public AllocationService allocation() {
        return allocation;
    }

    public MarkService marks() {
        return marks;
    }

    /** What the presence feature calls to hold and release a marker's marks. */
    public HeldMarks markHolds() {
        return holds;
    }

    public LeaseSweeper sweeper() {
        return sweeper;
    }
}

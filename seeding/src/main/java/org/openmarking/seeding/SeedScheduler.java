package org.openmarking.seeding;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The seed scheduler: decides, each time a marker asks for work, whether to serve a seed, following
 * a {@link SeedSchedule}.
 *
 * <p>The random generator is injected so tests fix its seed; production passes a
 * {@code SecureRandom} or another unpredictable generator, since a marker who could predict the
 * generator could predict seeds. Calls are synchronized because most generators are not safe to
 * share between threads.
 */
public final class SeedScheduler {
    private static final int BLIND_DRAWS = 8;

    private final SeedSchedule schedule;
    private final RandomGenerator random;

    public SeedScheduler(SeedSchedule schedule, RandomGenerator random) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Decides what to serve next.
     *
     * @param state    the marker's seeding state on the task
     * @param seedPool the ids of the task's seeds, distinct, in a stable order; seeds already in
     *                 {@code state.seenSeedIds()} are never served again, and when none is left
     *                 the answer is live
     */
    public synchronized SeedDecision next(SeedingState state, List<String> seedPool) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(seedPool, "seedPool");
        if (!seedDue(state.liveSinceLastSeed())) {
            return new SeedDecision(Optional.empty(), state.afterLive());
        }
        Optional<String> seed = pickUnseen(state.seenSeedIds(), seedPool);
        return new SeedDecision(seed, seed.map(state::afterSeed).orElseGet(state::afterLive));
    }

    /**
     * A seed drawn uniformly from those not yet seen. A few blind draws from the whole pool come
     * first, since most of a large pool is unseen; only if they all hit seen seeds is the pool
     * scanned. Both ways draw uniformly from the unseen seeds, so their mixture does too.
     */
    private Optional<String> pickUnseen(Set<String> seen, List<String> pool) {
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        for (int attempt = 0; attempt < BLIND_DRAWS; attempt++) {
            String id = pool.get(random.nextInt(pool.size()));
            if (!seen.contains(id)) {
                return Optional.of(id);
            }
        }
        List<String> unseen = pool.stream().filter(id -> !seen.contains(id)).toList();
        return unseen.isEmpty() ? Optional.empty() : Optional.of(unseen.get(random.nextInt(unseen.size())));
    }

    private boolean seedDue(int liveSinceLastSeed) {
        if (liveSinceLastSeed < schedule.minGap()) {
            return false;
        }
        if (liveSinceLastSeed >= schedule.maxGap()) {
            return true;
        }
        return random.nextDouble() < schedule.seedProbability();
    }
}

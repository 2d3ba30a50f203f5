package org.openmarking.seeding;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One marker's seeding state on a task: live answers served since the last seed, and the seeds
 * already served (each seed is served to a marker at most once: a repeat would be recognised).
 *
 * @param liveSinceLastSeed live answers served since the last seed, or since the start
 * @param seenSeedIds       seeds already served to this marker
 */
public record SeedingState(int liveSinceLastSeed, Set<String> seenSeedIds) {
    public SeedingState {
        seenSeedIds = Set.copyOf(seenSeedIds);
        if (liveSinceLastSeed < 0) {
            throw new IllegalArgumentException("live answers since last seed " + liveSinceLastSeed + " is negative");
        }
    }

    /** A marker who has been served nothing yet. */
    public static SeedingState start() {
        return new SeedingState(0, Set.of());
    }

    SeedingState afterLive() {
        return new SeedingState(liveSinceLastSeed + 1, seenSeedIds);
    }

    SeedingState afterSeed(String seedId) {
        Objects.requireNonNull(seedId, "seedId");
        Set<String> seen = new HashSet<>(seenSeedIds);
        seen.add(seedId);
        return new SeedingState(0, seen);
    }
}

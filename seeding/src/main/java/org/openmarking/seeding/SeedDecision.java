package org.openmarking.seeding;

import java.util.Objects;
import java.util.Optional;

/**
 * A seed decision: whether to serve a seed on this request (and which), with the marker's state
 * after it, which the server stores for the next request.
 *
 * @param seedId the seed to serve, or empty for a live answer
 * @param next   the marker's seeding state after this request
 */
public record SeedDecision(Optional<String> seedId, SeedingState next) {
    public SeedDecision {
        Objects.requireNonNull(seedId, "seedId");
        Objects.requireNonNull(next, "next");
    }

    public boolean isSeed() {
        return seedId.isPresent();
    }
}

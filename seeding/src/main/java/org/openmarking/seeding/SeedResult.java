package org.openmarking.seeding;

import java.time.Instant;
import java.util.Objects;
import org.openmarking.domain.Mark;

/**
 * A seed result: the mark a marker gave to a seed, beside its definitive mark.
 *
 * @param seedId     the seed
 * @param given      the marker's mark
 * @param definitive the seed's definitive mark
 * @param markedAt   when the marker submitted it; marks made after the last good seed are the ones
 *                   withdrawn when the marker is suspended
 */
public record SeedResult(String seedId, Mark given, Mark definitive, Instant markedAt) {
    public SeedResult {
        Objects.requireNonNull(seedId, "seedId");
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(definitive, "definitive");
        Objects.requireNonNull(markedAt, "markedAt");
    }

    /** given - definitive in sixths of a point: below zero severe, above zero lenient. */
    public int deviationSixths() {
        return given.sixths() - definitive.sixths();
    }

    /** Scale steps between the given and the definitive mark. */
    public int stepsOff() {
        return given.stepsFrom(definitive);
    }
}

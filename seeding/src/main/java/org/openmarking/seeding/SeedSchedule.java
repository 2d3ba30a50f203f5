package org.openmarking.seeding;

/**
 * A seed schedule: how often seeds are mixed into a marker's stream of answers, on average one in
 * {@code meanInterval} answers served, at gaps a marker cannot predict.
 *
 * <p>Gaps are geometric after a minimum: once {@code minGap} live answers have passed since the
 * last seed, each request is a seed with the same probability p = 1 / (meanInterval - minGap),
 * however long it has been. That memorylessness is the point: with a gap drawn uniformly from,
 * say, 10 to 30, a marker who counts knows the 30th answer is a seed; with a geometric gap
 * counting tells them nothing. The minimum keeps seeds from arriving back to back, which markers
 * notice. The maximum bounds how long a marker goes unmeasured; it cuts off the geometric tail,
 * so the real rate is slightly above one in {@code meanInterval} (for {@code oneIn(20)}, 1 in 19.9
 * instead of 1 in 20).
 *
 * <p>Derivation of p: live answers between seeds are minGap + G with G geometric on 0, 1, 2, ...,
 * E[G] = (1 - p) / p. A cycle is those live answers plus the seed, so its mean length is
 * minGap + (1 - p) / p + 1 = meanInterval exactly when p = 1 / (meanInterval - minGap).
 *
 * @param meanInterval one seed per this many answers served, on average; at least 2
 * @param minGap       at least this many live answers between seeds; 0 to meanInterval - 2, so
 *                     that some randomness remains
 * @param maxGap       a seed is forced after this many live answers; more than minGap
 */
public record SeedSchedule(int meanInterval, int minGap, int maxGap) {
    public SeedSchedule {
        if (meanInterval < 2) {
            throw new IllegalArgumentException("mean interval " + meanInterval + " must be at least 2 (one seed in every 2 answers)");
        }
        if (minGap < 0 || minGap > meanInterval - 2) {
            throw new IllegalArgumentException("minimum gap " + minGap + " is not between 0 and " + (meanInterval - 2)
                    + ": a larger one would make every gap the same length");
        }
        if (maxGap <= minGap) {
            throw new IllegalArgumentException("maximum gap " + maxGap + " must exceed the minimum gap " + minGap);
        }
    }

    /**
     * One seed in {@code meanInterval} answers, no closer than a fifth of that, and never more
     * than four times that apart.
     */
    public static SeedSchedule oneIn(int meanInterval) {
        return new SeedSchedule(meanInterval, Math.min(meanInterval / 5, meanInterval - 2), 4 * meanInterval);
    }

    /** The chance that a request past the minimum gap is served a seed. */
    double seedProbability() {
        return 1.0 / (meanInterval - minGap);
    }
}

package org.openmarking.seeding.sim;

import java.util.random.RandomGenerator;
import org.openmarking.domain.Mark;

/** A synthetic marker: how a kind of marker turns a definitive mark into the mark they give. */
enum SyntheticMarker {
    /**
     * Right nearly always, as real good markers are: one step off on 4 % of answers and two steps
     * off on 0.5 %, so that an over-eager policy can be seen suspending them.
     */
    ACCURATE,
    /** As accurate, plus a random error of one or two steps either way on 15 % of answers. */
    CARELESS,
    /**
     * Accurate until live answer {@link #DRIFT_ONSET}; then ever more often one step severe, the
     * chance rising from 0 to 80 % over the next {@link #DRIFT_RAMP} live answers.
     */
    DRIFTING;

    static final int DRIFT_ONSET = 300;
    static final int DRIFT_RAMP = 300;
    static final double SLIP = 0.04;
    static final double BIG_SLIP = 0.005;
    static final double CARELESS_RATE = 0.15;

    /** The mark given to an answer whose definitive mark is {@code definitive}, after {@code liveSoFar} live answers. */
    Mark mark(Mark definitive, int liveSoFar, RandomGenerator rng) {
        int step = definitive.step();
        double u = rng.nextDouble();
        if (u < BIG_SLIP) {
            step += rng.nextBoolean() ? 2 : -2;
        } else if (u < BIG_SLIP + SLIP) {
            step += rng.nextBoolean() ? 1 : -1;
        }
        switch (this) {
            case ACCURATE -> { }
            case CARELESS -> {
                if (rng.nextDouble() < CARELESS_RATE) {
                    step += (rng.nextBoolean() ? 1 : -1) * (1 + rng.nextInt(2));
                }
            }
            case DRIFTING -> {
                double severity = Math.min(0.8, Math.max(0, liveSoFar - DRIFT_ONSET) * 0.8 / DRIFT_RAMP);
                if (rng.nextDouble() < severity) {
                    step -= 1;
                }
            }
        }
        return Mark.ofStep(Math.max(0, Math.min(Mark.SCALE_SIZE - 1, step)));
    }
}

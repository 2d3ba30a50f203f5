package org.openmarking.calibration.stats;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import org.openmarking.domain.Fraction;

/**
 * A marking-rate meter: marks per hour over a sliding window that ends now.
 *
 * <p>A rate far above a marker's usual one is a sign of skimming; a sliding window (rather than
 * marks since login) makes the figure about the last stretch of work, not the whole day.
 */
public final class MarkingRate {
    private final Clock clock;
    private final Duration window;

    /**
     * @param clock  the time source that says where "now" is
     * @param window how far back to look; positive
     */
    public MarkingRate(Clock clock, Duration window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window " + window + " must be positive");
        }
    }

    /**
     * Marks per hour: the marks made in the window (after now - window, up to and including now)
     * divided by the window's length in hours, exactly. Later times are ignored, as clock skew.
     */
    public Fraction perHour(Collection<Instant> markTimes) {
        Instant now = clock.instant();
        Instant from = now.minus(window);
        long n = markTimes.stream().filter(t -> t.isAfter(from) && !t.isAfter(now)).count();
        // n / (window in hours) = n * 3600 * 10^9 / window in nanoseconds
        return Fraction.of(BigInteger.valueOf(n).multiply(BigInteger.valueOf(3_600_000_000_000L)),
                BigInteger.valueOf(window.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                        .add(BigInteger.valueOf(window.getNano())));
    }
}

package org.openmarking.calibration.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock that moves one minute forward each time it is read, so events get distinct times. */
final class TickingClock extends Clock {
    private Instant now;

    TickingClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        Instant t = now;
        now = now.plus(Duration.ofMinutes(1));
        return t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}

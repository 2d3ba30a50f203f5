package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The presence policy with a clock the tests move; no models needed. */
class FacePresencePolicyTest {

    /** A clock tests move forward. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-04-20T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final PresencePolicy.Config config = PresencePolicy.Config.defaults();

    private PresencePolicy policy(long seed) {
        return new PresencePolicy(config, clock, new SplittableRandom(seed));
    }

    private Duration untilDue(PresencePolicy p) {
        return Duration.between(clock.instant(), p.nextCheckAt().orElseThrow());
    }

    @Test
    void checksFallDueAtUnpredictableTimesBetweenFiveAndTenMinutes() {
        PresencePolicy p = policy(7);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration wait = untilDue(p);
            assertTrue(wait.compareTo(Duration.ofMinutes(5)) >= 0 && wait.compareTo(Duration.ofMinutes(10)) <= 0, wait.toString());
            seen.add(wait.toSeconds());
            clock.advance(wait.minusMillis(1));
            assertTrue(p.allocationAllowed());
            clock.advance(Duration.ofMillis(1));
            assertEquals(PresencePolicy.State.CHECK_DUE, p.state());
            clock.advance(Duration.ofSeconds(20));
            assertEquals(PresencePolicy.State.ACTIVE, p.record(true, null));
        }
        assertTrue(seen.size() > 100, "intervals repeat too often: " + seen.size() + " distinct of 200");
    }

    @Test
    void aDueCheckBlocksAllocationAndSubmissionUntilAnswered() {
        PresencePolicy p = policy(1);
        clock.advance(untilDue(p));
        assertFalse(p.allocationAllowed());
        assertFalse(p.submissionAllowed());
        Challenge c = p.openCheck();
        assertEquals(clock.instant().plus(config.answerTimeout()), c.expiresAt());
        p.record(true, null);
        assertTrue(p.allocationAllowed());
        assertTrue(p.submissionAllowed());
    }

    @Test
    void oneFailurePausesWithOneRetryAndASecondSuspendsAndTellsTheChiefExaminer() {
        PresencePolicy p = policy(2);
        clock.advance(untilDue(p));
        assertEquals(PresencePolicy.State.PAUSED, p.record(false, CheckResult.Reason.DIFFERENT_PERSON));
        assertFalse(p.allocationAllowed());
        p.openCheck(); // the retry is due at once
        assertEquals(PresencePolicy.State.SUSPENDED, p.record(false, CheckResult.Reason.LIVENESS_FAILED));
        assertFalse(p.allocationAllowed());
        assertThrows(IllegalStateException.class, p::openCheck);
        List<PresencePolicy.Transition> t = p.drainTransitions();
        assertEquals(List.of(PresencePolicy.State.CHECK_DUE, PresencePolicy.State.PAUSED, PresencePolicy.State.SUSPENDED),
                t.stream().map(PresencePolicy.Transition::to).toList());
        assertTrue(t.get(2).notifyChiefExaminer());
        assertEquals(CheckResult.Reason.LIVENESS_FAILED, t.get(2).reason());
        clock.advance(Duration.ofHours(1));
        assertEquals(PresencePolicy.State.SUSPENDED, p.state(), "suspension does not lapse by itself");
        p.reinstate();
        assertEquals(PresencePolicy.State.CHECK_DUE, p.state());
    }

    @Test
    void aPassedRetryResumesAndResetsTheCount() {
        PresencePolicy p = policy(3);
        clock.advance(untilDue(p));
        p.record(false, CheckResult.Reason.NO_FACE);
        assertEquals(PresencePolicy.State.ACTIVE, p.record(true, null));
        clock.advance(untilDue(p));
        assertEquals(PresencePolicy.State.PAUSED, p.record(false, CheckResult.Reason.NO_FACE),
                "one failure after a pass only pauses");
    }

    @Test
    void anUnansweredCheckTimesOutAndTwoTimeoutsSuspend() {
        PresencePolicy p = policy(4);
        clock.advance(untilDue(p));
        clock.advance(config.answerTimeout());
        assertEquals(PresencePolicy.State.CHECK_DUE, p.state(), "still within the deadline");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(PresencePolicy.State.PAUSED, p.state());
        clock.advance(config.answerTimeout().plusSeconds(1));
        assertEquals(PresencePolicy.State.SUSPENDED, p.state());
        List<PresencePolicy.Transition> t = p.drainTransitions();
        assertEquals(CheckResult.Reason.TIMEOUT, t.get(1).reason());
        assertEquals(CheckResult.Reason.TIMEOUT, t.get(2).reason());
        assertTrue(t.get(2).notifyChiefExaminer());
    }

    @Test
    void aLongAbsenceTimesOutTwiceInOneLook() {
        PresencePolicy p = policy(5);
        clock.advance(untilDue(p).plus(Duration.ofHours(2)));
        assertEquals(PresencePolicy.State.SUSPENDED, p.state());
    }

    @Test
    void aFailedSeedMakesACheckDueAtOnce() {
        PresencePolicy p = policy(6);
        clock.advance(Duration.ofMinutes(1));
        p.seedFailed();
        assertEquals(PresencePolicy.State.CHECK_DUE, p.state());
        assertEquals(clock.instant().plus(config.answerTimeout()), p.answerDeadline().orElseThrow());
        p.seedFailed();
        assertEquals(clock.instant().plus(config.answerTimeout()), p.answerDeadline().orElseThrow(),
                "a second seed failure does not move the deadline");
    }

    @Test
    void anUnsolicitedResultIsRefused() {
        PresencePolicy p = policy(8);
        assertThrows(IllegalStateException.class, () -> p.record(true, null));
    }

    @Test
    void badSettingsAreRejectedAtStartup() {
        assertThrows(IllegalArgumentException.class,
                () -> new PresencePolicy.Config(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new PresencePolicy.Config(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ZERO));
    }
}

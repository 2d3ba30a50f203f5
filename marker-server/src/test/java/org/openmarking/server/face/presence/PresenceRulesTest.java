package org.openmarking.server.face.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.face.CheckResult.Reason;
import org.openmarking.server.face.presence.Presence.State;
import org.openmarking.server.face.presence.Presence.Trigger;
import org.openmarking.server.face.presence.PresenceRules.Kind;

/** The presence rules on plain values, with instants chosen by hand; no database, no models. */
class PresenceRulesTest {
    private static final UUID MARKER = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Instant T0 = Instant.parse("2026-04-20T09:00:00Z");
    private static final Instant LOGIN = T0.minusSeconds(30);
    private final PresenceRules rules = new PresenceRules(PresenceRules.Settings.defaults(), new SplittableRandom(11));

    /** A marker who just passed their login check at T0. */
    private Presence passedAtT0() {
        Presence due = rules.onActivity(null, MARKER, LOGIN, T0).next();
        return rules.onResult(due, true, null, T0).next();
    }

    private static List<Kind> kinds(PresenceRules.Step s) {
        return s.changes().stream().map(PresenceRules.Change::kind).toList();
    }

    @Test
    void theFirstWorkAfterALoginNeedsACheckDueForTwoMinutes() {
        PresenceRules.Step s = rules.onActivity(null, MARKER, LOGIN, T0);
        assertEquals(State.CHECK_DUE, s.next().state());
        assertEquals(Trigger.LOGIN, s.next().trigger());
        assertEquals(T0.plusSeconds(120), s.next().deadline());
        assertEquals(List.of(Kind.CHECK_DUE), kinds(s));

        Presence ok = passedAtT0();
        assertEquals(State.OK, rules.onActivity(ok, MARKER, LOGIN, T0.plusSeconds(5)).next().state());
        Presence again = rules.onActivity(ok, MARKER, T0.plusSeconds(10), T0.plusSeconds(11)).next();
        assertEquals(State.CHECK_DUE, again.state(), "a new login after the pass needs a new check");
        assertEquals(Trigger.LOGIN, again.trigger());
    }

    @Test
    void randomChecksFallDueBetweenFiveAndTenMinutesAfterAPassAtUnpredictableTimes() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Presence ok = passedAtT0();
            Duration wait = Duration.between(T0, ok.nextCheckAt());
            assertTrue(wait.compareTo(Duration.ofMinutes(5)) >= 0 && wait.compareTo(Duration.ofMinutes(10)) <= 0, wait.toString());
            seen.add(wait.toMillis());
            assertEquals(State.OK, rules.onActivity(ok, MARKER, LOGIN, ok.nextCheckAt().minusMillis(1)).next().state());
            PresenceRules.Step due = rules.onActivity(ok, MARKER, LOGIN, ok.nextCheckAt());
            assertEquals(State.CHECK_DUE, due.next().state());
            assertEquals(Trigger.RANDOM, due.next().trigger());
        }
        assertTrue(seen.size() > 290, "waits repeat: " + seen.size() + " distinct of 300");
    }

    @Test
    void theSweepOpensAScheduledCheckOnlyForAMarkerActiveRecently() {
        Presence ok = passedAtT0(); // active at T0
        Instant due = ok.nextCheckAt();
        assertEquals(State.CHECK_DUE, rules.onSweep(ok, due).next().state());
        Instant longAfter = T0.plus(PresenceRules.Settings.defaults().activeWindow()).plusSeconds(1);
        Presence idle = rules.onSweep(ok, longAfter.isAfter(due) ? longAfter : due.plus(Duration.ofMinutes(11))).next();
        assertEquals(State.OK, idle.state(), "a marker who went away is not suspended for a check sent meanwhile");
        assertEquals(State.CHECK_DUE, rules.onActivity(idle, MARKER, LOGIN, due.plus(Duration.ofHours(1))).next().state(),
                "they meet the check when they come back");
    }

    @Test
    void aFailurePausesWithOneRetryAndASecondSuspendsAndHoldsMarksSinceTheLastPass() {
        Presence ok = passedAtT0();
        Instant t = ok.nextCheckAt();
        Presence due = rules.onActivity(ok, MARKER, LOGIN, t).next();
        PresenceRules.Step first = rules.onResult(due, false, Reason.DIFFERENT_PERSON, t.plusSeconds(20));
        assertEquals(State.PAUSED, first.next().state());
        assertEquals(Trigger.RETRY, first.next().trigger());
        assertNull(first.next().deadline(), "no deadline until the retry's challenge is issued");
        assertEquals(List.of(Kind.FAILED, Kind.PAUSED), kinds(first));

        Presence waiting = rules.onActivity(first.next(), MARKER, LOGIN, t.plus(Duration.ofHours(3))).next();
        assertEquals(State.PAUSED, waiting.state());
        Presence challenged = rules.onChallenge(waiting, t.plus(Duration.ofHours(3))).next();
        assertEquals(t.plus(Duration.ofHours(3)).plusSeconds(120), challenged.deadline());

        PresenceRules.Step second = rules.onResult(challenged, false, Reason.LIVENESS_FAILED, t.plus(Duration.ofHours(3)).plusSeconds(30));
        assertEquals(State.SUSPENDED, second.next().state());
        assertEquals(List.of(Kind.FAILED, Kind.SUSPENDED), kinds(second));
        assertTrue(second.next().holdPending());
        assertEquals(T0, second.next().lastPassedAt(), "marks are held from the last pass");
        assertEquals(State.SUSPENDED, rules.onActivity(second.next(), MARKER, LOGIN, t.plus(Duration.ofDays(2))).next().state(),
                "a suspension does not lapse");
        assertThrows(IllegalStateException.class, () -> rules.onChallenge(second.next(), t));
    }

    @Test
    void aPassedRetryResumesAndResetsTheCount() {
        Presence ok = passedAtT0();
        Instant t = ok.nextCheckAt();
        Presence paused = rules.onResult(rules.onActivity(ok, MARKER, LOGIN, t).next(), false, Reason.NO_FACE, t).next();
        Presence resumed = rules.onResult(paused, true, null, t.plusSeconds(40)).next();
        assertEquals(State.OK, resumed.state());
        assertEquals(0, resumed.failures());
        Instant t2 = resumed.nextCheckAt();
        Presence pausedAgain = rules.onResult(rules.onActivity(resumed, MARKER, LOGIN, t2).next(), false, Reason.NO_FACE, t2).next();
        assertEquals(State.PAUSED, pausedAgain.state(), "one failure after a pass only pauses");
    }

    @Test
    void anUnansweredCheckTimesOutAtItsDeadline() {
        Presence due = rules.onActivity(null, MARKER, LOGIN, T0).next();
        assertEquals(State.CHECK_DUE, rules.onSweep(due, T0.plusSeconds(120)).next().state(), "still within the deadline");
        PresenceRules.Step late = rules.onSweep(due, T0.plusSeconds(121));
        assertEquals(State.PAUSED, late.next().state());
        assertEquals(Reason.TIMEOUT, late.changes().get(0).reason());
        assertEquals(T0.plusSeconds(120), late.changes().get(0).at(), "the failure is dated at the deadline");

        Presence challenged = rules.onChallenge(late.next(), T0.plusSeconds(200)).next();
        PresenceRules.Step suspended = rules.onSweep(challenged, T0.plusSeconds(321));
        assertEquals(State.SUSPENDED, suspended.next().state());
        assertFalse(suspended.next().holdPending(), "never passed, so no marks to hold");
    }

    @Test
    void aMissedSeedBringsTheNextCheckWithinTheSeedDelayButNotAtOnce() {
        Presence ok = passedAtT0();
        Instant t = T0.plusSeconds(60);
        Presence soon = rules.onSeedMissed(ok, MARKER, t).next();
        assertEquals(Trigger.SEED, soon.trigger());
        Duration delay = Duration.between(t, soon.nextCheckAt());
        assertTrue(!delay.isNegative() && delay.compareTo(Duration.ofSeconds(150)) <= 0, delay.toString());
        Presence twice = rules.onSeedMissed(soon, MARKER, t.plusSeconds(1)).next();
        assertEquals(soon.nextCheckAt(), twice.nextCheckAt(), "a second miss does not postpone the check");
        Presence due = rules.onActivity(null, MARKER, LOGIN, T0).next();
        assertEquals(due, rules.onSeedMissed(due, MARKER, t).next(), "a due check stays as it is");
    }

    @Test
    void onlyASuspensionCanBeLiftedAndTheReinstatedMarkerIsCheckedFirst() {
        Presence ok = passedAtT0();
        assertThrows(IllegalStateException.class, () -> rules.reinstate(ok, T0));
        Presence due = rules.onActivity(null, MARKER, LOGIN, T0).next();
        Presence paused = rules.onResult(due, false, Reason.NO_FACE, T0).next();
        Presence suspended = rules.onResult(rules.onChallenge(paused, T0).next(), false, Reason.NO_FACE, T0).next();
        Presence back = rules.reinstate(suspended, T0.plusSeconds(600)).next();
        assertEquals(State.OK, back.state());
        PresenceRules.Step next = rules.onActivity(back, MARKER, LOGIN, T0.plusSeconds(700));
        assertEquals(State.CHECK_DUE, next.next().state());
        assertEquals(Trigger.REINSTATED, next.next().trigger());
    }

    @Test
    void theGateStaysAReadMostOfTheTime() {
        Presence ok = passedAtT0();
        assertFalse(rules.onActivity(ok, MARKER, LOGIN, T0.plusSeconds(59)).changed(ok), "no write within a minute");
        assertTrue(rules.onActivity(ok, MARKER, LOGIN, T0.plusSeconds(60)).changed(ok), "the activity stamp once a minute");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PresenceRules.Settings.of(Duration.ofSeconds(2), Duration.ofMinutes(2)));
        assertThrows(IllegalArgumentException.class, () -> PresenceRules.Settings.of(Duration.ofMinutes(7), Duration.ZERO));
    }
}

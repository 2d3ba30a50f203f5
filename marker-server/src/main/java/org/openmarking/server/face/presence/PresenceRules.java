package org.openmarking.server.face.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.openmarking.server.face.CheckResult;
import org.openmarking.server.face.presence.Presence.State;
import org.openmarking.server.face.presence.Presence.Trigger;

/**
 * When a marker's presence is checked, and what a result does; plain Java over {@link Presence}
 * values, so the rules are tested without a database and every node applies the same ones to
 * the row it has locked.
 *
 * <ul>
 *   <li>The first work after a login needs a passed check (trigger LOGIN).</li>
 *   <li>While marking, the next check falls due a random time after the last pass: uniform
 *       between 2/3 and 4/3 of the configured mean (5 to 10 minutes for a mean of 7.5), drawn
 *       from a {@code SecureRandom} in production. It falls due only for a marker active within
 *       {@code activeWindow}; a marker who comes back later meets it at their next request.</li>
 *   <li>A seed marked out of tolerance brings the next check forward to a random time within
 *       {@code seedDelayMax}: soon, but not at once, so the check does not tell the marker which
 *       answer was a seed.</li>
 *   <li>A due check must be passed by {@code dueSince + answerTimeout}; past it, it fails as
 *       TIMEOUT.</li>
 *   <li>A failure pauses at once with one retry. The retry has no deadline until its challenge is
 *       issued (a paused marker gets no work, so waiting costs nothing); an issued retry
 *       challenge must be answered within {@code answerTimeout}. A second consecutive failure
 *       suspends, and marks since the last pass are to be held ({@code holdPending}).</li>
 *   <li>Only a chief examiner ends a suspension; the reinstated marker's next work needs a check.</li>
 * </ul>
 *
 * Every method returns the next value and the {@link Change}s to record, audit and push.
 */
public final class PresenceRules {

    /**
     * Settings, checked at startup.
     *
     * @param meanInterval mean time between random checks while marking
     * @param answerTimeout how long a due check (or an issued retry challenge) may stay unanswered
     * @param activeWindow a random check falls due only if the marker asked for work this recently
     * @param seedDelayMax after a missed seed, the next check falls due within this
     */
    public record Settings(Duration meanInterval, Duration answerTimeout, Duration activeWindow, Duration seedDelayMax) {
        public Settings {
            Objects.requireNonNull(meanInterval, "meanInterval");
            Objects.requireNonNull(answerTimeout, "answerTimeout");
            Objects.requireNonNull(activeWindow, "activeWindow");
            Objects.requireNonNull(seedDelayMax, "seedDelayMax");
            if (meanInterval.toSeconds() < 3) {
                throw new IllegalArgumentException("faceCheckInterval: must be at least 3 seconds, got " + meanInterval);
            }
            if (answerTimeout.toSeconds() < 1) {
                throw new IllegalArgumentException("faceCheckTimeout: must be at least 1 second, got " + answerTimeout);
            }
            if (activeWindow.isNegative() || activeWindow.isZero() || seedDelayMax.isNegative() || seedDelayMax.isZero()) {
                throw new IllegalArgumentException("presence settings: activeWindow and seedDelayMax must be positive");
            }
        }

        /** A check every 5 to 10 minutes, answered within 2, for markers active in the last 10. */
        public static Settings defaults() {
            return of(Duration.ofSeconds(450), Duration.ofMinutes(2));
        }

        /** The given mean and timeout; active window 4/3 of the mean; seed delay 1/3 of it. */
        public static Settings of(Duration meanInterval, Duration answerTimeout) {
            return new Settings(meanInterval, answerTimeout, meanInterval.multipliedBy(4).dividedBy(3),
                    meanInterval.dividedBy(3));
        }
    }

    /** What happened, for the event table, the audit log and the pushes. */
    public enum Kind { CHECK_DUE, CHALLENGE_ISSUED, PASSED, FAILED, PAUSED, SUSPENDED, REINSTATED }

    /** One change; {@code reason} only on FAILED (and on the PAUSED/SUSPENDED it caused). */
    public record Change(Kind kind, Instant at, Trigger trigger, CheckResult.Reason reason) {}

    /** The next value and what changed on the way. */
    public record Step(Presence next, List<Change> changes) {
        public Step {
            changes = List.copyOf(changes);
        }

        public boolean changed(Presence before) {
            return !next.equals(before);
        }
    }

    private final Settings settings;
    private final RandomGenerator random;

    public PresenceRules(Settings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The marker asks for work, submits, or asks for their status. Times out an unanswered
     * check, makes the login check due when no check passed since {@code lastLogin}, and a
     * scheduled check when its time has come.
     *
     * @param current the stored row, or null for a marker never seen
     */
    public Step onActivity(Presence current, UUID markerId, Instant lastLogin, Instant now) {
        List<Change> changes = new ArrayList<>();
        Presence p = timeouts(current == null ? Presence.fresh(markerId) : current, now, changes);
        if (p.state() == State.OK) {
            boolean newLogin = p.lastPassedAt() == null || (lastLogin != null && p.lastPassedAt().isBefore(lastLogin));
            if (newLogin) {
                p = due(p, p.trigger() == Trigger.REINSTATED ? Trigger.REINSTATED : Trigger.LOGIN, now, changes);
            } else if (p.nextCheckAt() != null && !now.isBefore(p.nextCheckAt())) {
                p = due(p, p.trigger(), now, changes);
            }
        }
        // Activity is written at most once a minute: the gate stays a read on most requests.
        if (p.lastActiveAt() == null || Duration.between(p.lastActiveAt(), now).toSeconds() >= 60 || !changes.isEmpty()) {
            p = p.withActive(now);
        }
        return new Step(p, changes);
    }

    /** The periodic sweep: timeouts, and scheduled checks of markers active recently. */
    public Step onSweep(Presence current, Instant now) {
        List<Change> changes = new ArrayList<>();
        Presence p = timeouts(current, now, changes);
        if (p.state() == State.OK && p.nextCheckAt() != null && !now.isBefore(p.nextCheckAt()) && active(p, now)) {
            p = due(p, p.trigger(), now, changes);
        }
        return new Step(p, changes);
    }

    /** True when the marker asked for work within the active window. */
    public boolean active(Presence p, Instant now) {
        return p.lastActiveAt() != null && !p.lastActiveAt().isBefore(now.minus(settings.activeWindow()));
    }

    /**
     * A challenge is issued for the outstanding check. In CHECK_DUE its deadline is the check's;
     * a paused marker's retry gets {@code answerTimeout} from now.
     *
     * @throws IllegalStateException when no check is outstanding
     */
    public Step onChallenge(Presence p, Instant now) {
        if (p.state() == State.CHECK_DUE) {
            return new Step(p, List.of(new Change(Kind.CHALLENGE_ISSUED, now, p.trigger(), null)));
        }
        if (p.state() == State.PAUSED) {
            Presence next = p.deadline() == null ? p.withDeadline(now.plus(settings.answerTimeout())) : p;
            return new Step(next, List.of(new Change(Kind.CHALLENGE_ISSUED, now, p.trigger(), null)));
        }
        throw new IllegalStateException("no check is outstanding (state " + p.state() + ")");
    }

    /**
     * Records a decided check.
     *
     * @throws IllegalStateException when no check is outstanding
     */
    public Step onResult(Presence p, boolean passed, CheckResult.Reason reason, Instant now) {
        if (p.state() != State.CHECK_DUE && p.state() != State.PAUSED) {
            throw new IllegalStateException("no check is outstanding (state " + p.state() + ")");
        }
        List<Change> changes = new ArrayList<>();
        if (passed) {
            changes.add(new Change(Kind.PASSED, now, p.trigger(), null));
            Presence next = p.with(State.OK, Trigger.RANDOM, null, null, now.plus(randomInterval()), 0)
                    .withPassed(now).withActive(now).withNotified(null);
            return new Step(next, changes);
        }
        return new Step(fail(p, Objects.requireNonNull(reason, "a failure needs a reason"), now, changes), changes);
    }

    /** A seed was marked out of tolerance: the next check comes soon, at a random moment. */
    public Step onSeedMissed(Presence current, UUID markerId, Instant now) {
        Presence p = current == null ? Presence.fresh(markerId) : current;
        if (p.state() != State.OK || p.lastPassedAt() == null) {
            return new Step(p, List.of()); // a check is already due, or will be at the next request
        }
        Instant soon = now.plusMillis(random.nextLong(Math.max(1, settings.seedDelayMax().toMillis()) + 1));
        if (p.nextCheckAt() != null && p.nextCheckAt().isBefore(soon)) {
            return new Step(p, List.of());
        }
        return new Step(p.withNextCheck(Trigger.SEED, soon), List.of());
    }

    /**
     * A chief examiner lifts a suspension: the marker is OK but has no passed check, so their
     * next request makes a check due (trigger REINSTATED).
     *
     * @throws IllegalStateException when the marker is not suspended
     */
    public Step reinstate(Presence p, Instant now) {
        if (p.state() != State.SUSPENDED) {
            throw new IllegalStateException("the marker is not suspended (state " + p.state() + ")");
        }
        Presence next = new Presence(p.markerId(), State.OK, Trigger.REINSTATED, null, null, null, 0, null,
                null, null, p.suspendedAt(), false);
        return new Step(next, List.of(new Change(Kind.REINSTATED, now, Trigger.REINSTATED, null)));
    }

    private Presence timeouts(Presence p, Instant now, List<Change> changes) {
        // A retry deadline falls only after its challenge is issued, so at most two timeouts here.
        while ((p.state() == State.CHECK_DUE || p.state() == State.PAUSED) && p.deadline() != null
                && now.isAfter(p.deadline())) {
            p = fail(p, CheckResult.Reason.TIMEOUT, p.deadline(), changes);
        }
        return p;
    }

    private Presence due(Presence p, Trigger trigger, Instant now, List<Change> changes) {
        changes.add(new Change(Kind.CHECK_DUE, now, trigger, null));
        return p.with(State.CHECK_DUE, trigger, now, now.plus(settings.answerTimeout()), null, p.failures())
                .withNotified(now);
    }

    private Presence fail(Presence p, CheckResult.Reason reason, Instant at, List<Change> changes) {
        changes.add(new Change(Kind.FAILED, at, p.trigger(), reason));
        int failures = p.failures() + 1;
        if (failures >= 2) {
            changes.add(new Change(Kind.SUSPENDED, at, p.trigger(), reason));
            // Marks since the last pass are held; a marker who never passed had no work to hold.
            return p.with(State.SUSPENDED, null, null, null, null, 2).withSuspension(at, p.lastPassedAt() != null).withNotified(at);
        }
        changes.add(new Change(Kind.PAUSED, at, Trigger.RETRY, reason));
        return p.with(State.PAUSED, Trigger.RETRY, at, null, null, failures).withNotified(at);
    }

    private Duration randomInterval() {
        long mean = settings.meanInterval().toMillis();
        long min = mean * 2 / 3;
        long max = mean * 4 / 3;
        return Duration.ofMillis(random.nextLong(min, max + 1));
    }
}

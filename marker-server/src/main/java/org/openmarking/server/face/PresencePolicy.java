package org.openmarking.server.face;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When one marker's presence is checked during a marking session, and what a result does.
 *
 * <ul>
 *   <li>Checks come at random times: each next check is due a uniformly random interval (by
 *       default 5 to 10 minutes, drawn from the injected generator, which the server makes a
 *       {@code SecureRandom} so markers cannot predict it) after the last passed check.</li>
 *   <li>A failed seed makes a check due at once.</li>
 *   <li>While a check is due and unanswered the marker may neither receive answers nor submit
 *       marks. A check unanswered {@code answerTimeout} after it fell due fails as TIMEOUT.</li>
 *   <li>A failed check PAUSES the session and makes one retry due at once; a pass resumes it. A
 *       second consecutive failure SUSPENDS the marker and tells the chief examiner; only
 *       {@link #reinstate()} (the chief examiner's decision) ends a suspension.</li>
 * </ul>
 *
 * <p>Time comes from the injected {@link Clock}, and a check that times out is noticed whenever
 * the policy is next asked anything; {@link #drainTransitions()} hands the server every change
 * (to audit, and to notify the chief examiner when {@link Transition#notifyChiefExaminer()}).
 * Methods are synchronized; one instance per marker session.
 */
public final class PresencePolicy {

    /** Settings, validated at startup. */
    public record Config(Duration minInterval, Duration maxInterval, Duration answerTimeout) {
        public Config {
            Objects.requireNonNull(minInterval, "minInterval");
            Objects.requireNonNull(maxInterval, "maxInterval");
            Objects.requireNonNull(answerTimeout, "answerTimeout");
            if (minInterval.isNegative() || minInterval.isZero() || maxInterval.compareTo(minInterval) < 0) {
                throw new IllegalArgumentException("presence config: need 0 < minInterval <= maxInterval");
            }
            if (answerTimeout.isNegative() || answerTimeout.isZero()) {
                throw new IllegalArgumentException("presence config: answerTimeout must be > 0");
            }
        }

        /** Checks every 5 to 10 minutes, answered within 2 minutes. */
        public static Config defaults() {
            return new Config(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(2));
        }
    }

    /** Where the session stands. */
    public enum State {
        /** Marking allowed; the next check is scheduled. */
        ACTIVE,
        /** A scheduled (or seed-triggered) check is due and unanswered; marking refused. */
        CHECK_DUE,
        /** The last check failed; a retry is due; marking refused. */
        PAUSED,
        /** Two consecutive failures; marking refused until the chief examiner reinstates. */
        SUSPENDED
    }

    /** One change of state, with the failure that caused it (null otherwise). */
    public record Transition(Instant at, State from, State to, CheckResult.Reason reason, boolean notifyChiefExaminer) {}

    private final Config config;
    private final Clock clock;
    private final RandomGenerator random;
    private final List<Transition> transitions = new ArrayList<>();
    private State state;
    private Instant nextCheckAt;
    private Instant dueSince;
    private int consecutiveFailures;

    /** A policy whose first check is scheduled a random interval from now. */
    public PresencePolicy(Config config, Clock clock, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.state = State.ACTIVE;
        this.nextCheckAt = clock.instant().plus(randomInterval());
    }

    /** The current state (noticing a due check or a timeout first). */
    public synchronized State state() {
        advance();
        return state;
    }

    /** True only while ACTIVE: answers may be allocated to the marker. */
    public synchronized boolean allocationAllowed() {
        return state() == State.ACTIVE;
    }

    /** True only while ACTIVE: marks may be submitted. */
    public synchronized boolean submissionAllowed() {
        return state() == State.ACTIVE;
    }

    /** When the next scheduled check falls due (empty while one is due or the marker is suspended). */
    public synchronized Optional<Instant> nextCheckAt() {
        advance();
        return state == State.ACTIVE ? Optional.of(nextCheckAt) : Optional.empty();
    }

    /** The deadline of the due check, if one is due. */
    public synchronized Optional<Instant> answerDeadline() {
        advance();
        return dueSince == null ? Optional.empty() : Optional.of(dueSince.plus(config.answerTimeout()));
    }

    /**
     * The challenge for the due check: a random head-turn direction, expiring at the check's
     * deadline. The server sends it to the client and keeps it to verify the burst.
     *
     * @throws IllegalStateException when no check is due
     */
    public synchronized Challenge openCheck() {
        advance();
        if (dueSince == null) {
            throw new IllegalStateException("no presence check is due (state " + state + ")");
        }
        Instant now = clock.instant();
        return Challenge.random(random, now, Duration.between(now, dueSince.plus(config.answerTimeout())));
    }

    /** A seed was marked wrongly: a check falls due now (if none is due already). */
    public synchronized void seedFailed() {
        advance();
        if (state == State.ACTIVE) {
            dueSince = clock.instant();
            move(State.CHECK_DUE, null, false);
        }
    }

    /** Records the verifier's result for the due check; returns the state after it. */
    public synchronized State record(CheckResult result) {
        return record(result.passed(), result.reason());
    }

    /**
     * Records a check's outcome.
     *
     * @throws IllegalStateException when no check is due (an unsolicited burst)
     */
    public synchronized State record(boolean passed, CheckResult.Reason reason) {
        advance();
        if (dueSince == null) {
            throw new IllegalStateException("no presence check is due (state " + state + ")");
        }
        if (passed) {
            consecutiveFailures = 0;
            dueSince = null;
            nextCheckAt = clock.instant().plus(randomInterval());
            move(State.ACTIVE, null, false);
        } else {
            fail(Objects.requireNonNull(reason, "a failure needs a reason"), clock.instant());
        }
        return state;
    }

    /** The chief examiner lifts a suspension; a fresh check falls due at once. */
    public synchronized void reinstate() {
        advance();
        if (state != State.SUSPENDED) {
            throw new IllegalStateException("marker is not suspended (state " + state + ")");
        }
        consecutiveFailures = 0;
        dueSince = clock.instant();
        move(State.CHECK_DUE, null, false);
    }

    /** Every transition since the last call, oldest first. */
    public synchronized List<Transition> drainTransitions() {
        advance();
        List<Transition> out = List.copyOf(transitions);
        transitions.clear();
        return out;
    }

    private void advance() {
        Instant now = clock.instant();
        if (state == State.ACTIVE && !now.isBefore(nextCheckAt)) {
            dueSince = nextCheckAt;
            move(State.CHECK_DUE, null, false);
        }
        // A timed-out retry is due at once, so a long absence can time out twice in one call.
        while (dueSince != null && now.isAfter(dueSince.plus(config.answerTimeout()))) {
            fail(CheckResult.Reason.TIMEOUT, dueSince.plus(config.answerTimeout()));
        }
    }

    private void fail(CheckResult.Reason reason, Instant at) {
        consecutiveFailures++;
        if (consecutiveFailures >= 2) {
            dueSince = null;
            move(State.SUSPENDED, reason, true, at);
        } else {
            dueSince = at;
            move(State.PAUSED, reason, false, at);
        }
    }

    private void move(State to, CheckResult.Reason reason, boolean notify) {
        move(to, reason, notify, clock.instant());
    }

    private void move(State to, CheckResult.Reason reason, boolean notify, Instant at) {
        transitions.add(new Transition(at, state, to, reason, notify));
        state = to;
    }

    private Duration randomInterval() {
        long min = config.minInterval().toMillis();
        long max = config.maxInterval().toMillis();
        return Duration.ofMillis(min == max ? min : random.nextLong(min, max + 1));
    }
}

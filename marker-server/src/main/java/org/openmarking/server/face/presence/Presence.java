package org.openmarking.server.face.presence;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Where one marker's presence stands: one row of the {@code presence} table, shared by every
 * node. Immutable; {@link PresenceRules} computes the next value.
 *
 * @param trigger in CHECK_DUE and PAUSED, why the outstanding check is due; in OK, why the next
 *     scheduled check will be (random, seed, reinstated)
 * @param dueSince when the outstanding check fell due
 * @param deadline when the outstanding check must be passed (null in PAUSED until the retry's
 *     challenge is issued: a paused marker gets no work, so waiting costs nothing)
 * @param nextCheckAt in OK, when the next scheduled check falls due (null: none scheduled)
 * @param failures consecutive failed checks (0..2)
 * @param lastPassedAt the last passed check; null until the first, or after a reinstatement
 * @param lastActiveAt the last time the marker asked for work or submitted (random checks fall
 *     due only for markers active recently, so nobody is suspended for a check sent while away)
 * @param notifiedAt when the client was last told a check is due
 * @param suspendedAt when the marker was suspended
 * @param holdPending the marks since the last pass must still be held (retried until done)
 */
public record Presence(UUID markerId, State state, Trigger trigger, Instant dueSince, Instant deadline, Instant nextCheckAt,
                       int failures, Instant lastPassedAt, Instant lastActiveAt, Instant notifiedAt, Instant suspendedAt,
                       boolean holdPending) {

    /** The marker's standing. */
    public enum State {
        /** Work may be allocated and marks submitted. */
        OK,
        /** A check is due and not yet passed: nothing allocated or accepted. */
        CHECK_DUE,
        /** A check failed; one retry is allowed; nothing allocated or accepted. */
        PAUSED,
        /** Two checks failed in a row; a chief examiner decides. */
        SUSPENDED;

        public String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromDb(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** Why a check is (or will be) due. */
    public enum Trigger {
        /** The first work after a login. */
        LOGIN,
        /** A random time while marking. */
        RANDOM,
        /** Soon after a seed marked out of tolerance. */
        SEED,
        /** The one retry after a failed check. */
        RETRY,
        /** A chief examiner lifted a suspension. */
        REINSTATED;

        public String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Trigger fromDb(String s) {
            return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public Presence {
        Objects.requireNonNull(markerId, "markerId");
        Objects.requireNonNull(state, "state");
        if (failures < 0 || failures > 2) {
            throw new IllegalArgumentException("failures must be 0..2");
        }
    }

    /** A marker never seen: OK, but with no passed check, so their first work needs one. */
    public static Presence fresh(UUID markerId) {
        return new Presence(markerId, State.OK, Trigger.RANDOM, null, null, null, 0, null, null, null, null, false);
    }

    /** True while nothing may be allocated or submitted. */
    public boolean blocked() {
        return state != State.OK;
    }

    Presence with(State s, Trigger t, Instant due, Instant dl, Instant next, int f) {
        return new Presence(markerId, s, t, due, dl, next, f, lastPassedAt, lastActiveAt, notifiedAt, suspendedAt, holdPending);
    }

    Presence withDeadline(Instant dl) {
        return new Presence(markerId, state, trigger, dueSince, dl, nextCheckAt, failures, lastPassedAt, lastActiveAt,
                notifiedAt, suspendedAt, holdPending);
    }

    Presence withNextCheck(Trigger t, Instant next) {
        return new Presence(markerId, state, t, dueSince, deadline, next, failures, lastPassedAt, lastActiveAt,
                notifiedAt, suspendedAt, holdPending);
    }

    Presence withPassed(Instant at) {
        return new Presence(markerId, state, trigger, dueSince, deadline, nextCheckAt, failures, at, lastActiveAt,
                notifiedAt, suspendedAt, holdPending);
    }

    Presence withActive(Instant at) {
        return new Presence(markerId, state, trigger, dueSince, deadline, nextCheckAt, failures, lastPassedAt, at,
                notifiedAt, suspendedAt, holdPending);
    }

    Presence withNotified(Instant at) {
        return new Presence(markerId, state, trigger, dueSince, deadline, nextCheckAt, failures, lastPassedAt,
                lastActiveAt, at, suspendedAt, holdPending);
    }

    Presence withSuspension(Instant at, boolean hold) {
        return new Presence(markerId, state, trigger, dueSince, deadline, nextCheckAt, failures, lastPassedAt,
                lastActiveAt, notifiedAt, at, hold);
    }

    /** The same presence once the held marks are recorded as held. */
    public Presence holdsDone() {
        return withSuspension(suspendedAt, false);
    }
}

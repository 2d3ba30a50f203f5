package org.openmarking.server.face;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The liveness challenge the server picks at random for one check, and the time by which the
 * burst must arrive.
 *
 * <p>Directions are the marker's own: {@link Direction#TURN_LEFT} means the marker turns their
 * head to their left. Frames must be sent as the camera captured them, not mirrored like a
 * webcam preview; in such a frame the nose then moves toward the image's right.
 */
public record Challenge(Direction direction, Instant issuedAt, Instant expiresAt) {

    /** The head turn asked for. */
    public enum Direction {
        TURN_LEFT(1),
        TURN_RIGHT(-1);

        private final int sign;

        Direction(int sign) {
            this.sign = sign;
        }

        /** +1 when the yaw proxy ({@link DetectedFace#yaw()}) grows for this turn, else -1. */
        public int sign() {
            return sign;
        }
    }

    public Challenge {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a challenge must expire after it is issued");
        }
    }

    /** A challenge in a direction drawn from {@code random}, answerable for {@code timeout}. */
    public static Challenge random(RandomGenerator random, Instant now, Duration timeout) {
        Direction d = random.nextBoolean() ? Direction.TURN_LEFT : Direction.TURN_RIGHT;
        return new Challenge(d, now, now.plus(timeout));
    }
}

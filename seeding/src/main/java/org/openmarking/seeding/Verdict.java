package org.openmarking.seeding;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A verdict on a marker's seed history: carry on, a warning, or suspension, with the reason in
 * words a chief examiner can act on.
 *
 * <p>On suspension the server withdraws (marks as stale, never deletes) the live marks made after
 * {@code lastGoodSeedAt}, or all the marker's live marks on the task when there was no good seed.
 *
 * @param level              OK, WARN or SUSPEND
 * @param reason             why; empty for OK
 * @param lastGoodSeedIndex  position in the history of the last seed within tolerance before the
 *                           trouble began (for OK and WARN: the last within tolerance); empty if none
 * @param lastGoodSeedAt     when that seed was marked
 * @param decidedAtIndex     for SUSPEND, the seed at which the policy fired; empty otherwise
 * @param severeCusum        the severity CUSUM after the last seed evaluated, in sixths
 * @param lenientCusum       the leniency CUSUM after the last seed evaluated, in sixths
 */
public record Verdict(Level level, String reason, OptionalInt lastGoodSeedIndex, Optional<Instant> lastGoodSeedAt,
                      OptionalInt decidedAtIndex, int severeCusum, int lenientCusum) {
    /** How serious a verdict is. */
    public enum Level { OK, WARN, SUSPEND }

    public Verdict {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(lastGoodSeedIndex, "lastGoodSeedIndex");
        Objects.requireNonNull(lastGoodSeedAt, "lastGoodSeedAt");
        Objects.requireNonNull(decidedAtIndex, "decidedAtIndex");
        if (lastGoodSeedIndex.isPresent() != lastGoodSeedAt.isPresent()) {
            throw new IllegalArgumentException("the last good seed needs both its index and its time");
        }
        if ((level == Level.SUSPEND) != decidedAtIndex.isPresent()) {
            throw new IllegalArgumentException("a suspension, and only a suspension, says where it was decided");
        }
        if (severeCusum < 0 || lenientCusum < 0) {
            throw new IllegalArgumentException("CUSUM statistics are never negative");
        }
    }
}

package org.openmarking.server.presence;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;

/**
 * What the presence feature asks of the marking engine when a marker fails face checks:
 * marks made since the last passed check stop counting until a chief examiner decides.
 * The marking feature implements it, because only it knows how a held or withdrawn mark
 * changes a response's final mark and its place in the pool.
 */
public interface MarkHolds {
    /**
     * Holds the marker's valid marks made after {@code since}: they no longer count towards
     * any final mark. Returns how many were held. Audited by the implementation.
     */
    Future<Integer> holdSince(UUID markerId, Instant since, String reason, UUID actor);

    /**
     * Ends the hold: {@code accept} makes the held marks count again (completing responses as
     * if they had just been marked); otherwise they are withdrawn and their responses go back
     * to be marked by others. Returns how many marks changed. Audited by the implementation.
     */
    Future<Integer> release(UUID markerId, boolean accept, UUID actor);
}

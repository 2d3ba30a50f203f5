package org.openmarking.server.presence;

import io.vertx.core.Future;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The marking engine's view of marker presence (face checks): whether a marker may be given
 * work or submit marks right now. The face feature implements it; the marking feature asks it
 * before every allocation and every submission, so a client cannot skip a due check.
 *
 * <p>Refusals are {@link org.openmarking.server.http.ApiException}s with status 409 and one of
 * the codes below, which clients switch on.
 */
public interface PresenceGate {
    /** A check has been asked for and not yet passed. */
    String FACE_CHECK_DUE = "face-check-due";
    /** A check failed; one retry is allowed; nothing is allocated or accepted meanwhile. */
    String PRESENCE_PAUSED = "presence-paused";
    /** Two checks failed; a chief examiner must decide. */
    String PRESENCE_SUSPENDED = "presence-suspended";

    /** Succeeds when {@code markerId} may be allocated work, see an answer's image, mark or escalate now. */
    Future<Void> requireClear(UUID markerId);

    /** The marking engine reports an out-of-tolerance seed: the marker is asked for a check soon. */
    Future<Void> seedMissed(UUID markerId);

    /**
     * Face checks switched off by an explicit setting. Every allocation passes; the start-up
     * log and the dashboard say so loudly, because a deployment must never skip checks silently.
     */
    static PresenceGate switchedOff() {
        Logger.getLogger(PresenceGate.class.getName()).warning(
                "FACE CHECKS ARE SWITCHED OFF: markers are not verified at login or while marking");
        return new PresenceGate() {
            @Override
            public Future<Void> requireClear(UUID markerId) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> seedMissed(UUID markerId) {
                return Future.succeededFuture();
            }
        };
    }
}

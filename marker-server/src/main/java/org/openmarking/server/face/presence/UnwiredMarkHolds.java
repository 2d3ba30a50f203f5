package org.openmarking.server.face.presence;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.presence.MarkHolds;

/**
 * The mark holds of a node whose marking engine is not wired to the presence feature: every
 * call fails with a clear message. Suspensions still happen; the hold stays pending (the
 * sweeper retries it) and a chief examiner's decision is refused rather than pretending marks
 * were released. {@code ServerApp} replaces it with the marking engine's implementation.
 */
public final class UnwiredMarkHolds implements MarkHolds {
    private static Future<Integer> refuse() {
        return Future.failedFuture(new ApiException(503, "mark-holds-unavailable",
                "this node's marking engine does not hold marks yet; the marks of a suspended marker stay pending"));
    }

    @Override
    public Future<Integer> holdSince(UUID markerId, Instant since, String reason, UUID actor) {
        return refuse();
    }

    @Override
    public Future<Integer> release(UUID markerId, boolean accept, UUID actor) {
        return refuse();
    }
}

package org.openmarking.client.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.ManualExecutor;
import org.openmarking.client.testing.MutableClock;
import org.openmarking.domain.Mark;

/** Uploads go in order, survive network failures with growing pauses, and drop only what the server refuses for good. */
class UploadQueueTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-22T08:00:00Z"));
    private final ManualExecutor bg = new ManualExecutor(clock);

    /** A server that answers each submission with the next scripted outcome (null: accepted). */
    private static final class Scripted extends FakeMarkerApi {
        final List<IOException> outcomes = new ArrayList<>();
        final List<UUID> accepted = new ArrayList<>();
        final List<Instant> attempts = new ArrayList<>();
        final MutableClock clock;

        Scripted(MutableClock clock) {
            super(clock);
            this.clock = clock;
        }

        @Override
        public org.openmarking.client.api.Wire.MarkReceipt submit(MarkSubmission mark) throws IOException {
            attempts.add(clock.instant());
            IOException e = outcomes.isEmpty() ? null : outcomes.remove(0);
            if (e != null) {
                throw e;
            }
            accepted.add(mark.id());
            return org.openmarking.client.api.Wire.MarkReceipt.LIVE;
        }
    }

    private static UploadQueue.MarkUpload mark(String response) {
        return new UploadQueue.MarkUpload(new MarkSubmission(UUID.randomUUID(), response, "t", Mark.ONE_HALF, 1,
                Instant.parse("2026-06-22T08:00:00Z")));
    }

    @Test
    void networkFailuresAreRetriedWithGrowingPausesAndOrderIsKept() {
        Scripted api = new Scripted(clock);
        UploadQueue q = new UploadQueue(api, bg, Duration.ofSeconds(1), Duration.ofSeconds(4));
        api.outcomes.addAll(List.of(new ConnectException("down"), new ConnectException("down"), new ConnectException("down"),
                new ConnectException("down")));
        UploadQueue.MarkUpload a = mark("r1");
        UploadQueue.MarkUpload b = mark("r2");
        q.add(a);
        q.add(b);
        assertEquals(2, q.pendingCountProperty().get());
        bg.advance(Duration.ofSeconds(60));
        assertEquals(List.of(a.id(), b.id()), api.accepted, "sent in the order given, with their own ids");
        // attempts at 0, +1 s, +2 s, +4 s, +4 s (capped), then b straight after a
        List<Long> offsets = api.attempts.stream().map(t -> Duration.between(Instant.parse("2026-06-22T08:00:00Z"), t).toSeconds()).toList();
        assertEquals(List.of(0L, 1L, 3L, 7L, 11L, 11L), offsets);
        assertEquals(0, q.pendingCountProperty().get());
        assertEquals(2, q.sentCountProperty().get());
        assertEquals("", q.problemProperty().get());
    }

    @Test
    void aPermanentRefusalIsDroppedAndSaidWhileAPresenceRefusalIsKept() {
        Scripted api = new Scripted(clock);
        UploadQueue q = new UploadQueue(api, bg, Duration.ofSeconds(1), Duration.ofSeconds(4));
        List<String> presence = new ArrayList<>();
        q.onPresenceRefusal(e -> presence.add(e.code()));
        api.outcomes.add(new ApiException(400, "'mark' must be one of 0, 1/3, 1/2, 2/3, 1"));
        api.outcomes.add(new ApiException(409, ApiException.FACE_CHECK_DUE, "a face check is due"));
        UploadQueue.MarkUpload bad = mark("r1");
        UploadQueue.MarkUpload good = mark("r2");
        q.add(bad);
        assertEquals(List.of(bad), q.rejected());
        assertEquals("The server refused an upload: 'mark' must be one of 0, 1/3, 1/2, 2/3, 1", q.problemProperty().get());
        q.add(good);
        assertEquals(List.of(ApiException.FACE_CHECK_DUE), presence);
        assertEquals(List.of(good), q.pending(), "kept until the face check passes");
        q.retryNow();
        assertEquals(List.of(good.id()), api.accepted);

        api.outcomes.add(new ApiException(409, "lease-expired", "your lease on response r3 has expired; ask for new work"));
        UploadQueue.MarkUpload late = mark("r3");
        q.add(late);
        assertEquals(List.of(bad, late), q.rejected(), "a 409 other than presence is final: retrying cannot revive the lease");
        assertEquals(List.of(), q.pending());
    }
}

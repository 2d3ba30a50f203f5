package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openmarking.server.marking.MarkingFixture.audits;
import static org.openmarking.server.marking.MarkingFixture.finalSixths;
import static org.openmarking.server.marking.MarkingFixture.lease;
import static org.openmarking.server.marking.MarkingFixture.leaseAndMark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.next;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.status;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.marking.MarkingFixture.User;
import org.openmarking.server.presence.MarkHolds;

/** Presence holds: held marks stop counting; accepted they count again, withdrawn their responses return to the pool. */
class MarkHoldsTest {
    private static MarkHolds holds() {
        return MarkingEngine.of(server().app().context()).markHolds();
    }

    @Test
    void heldMarksStopCountingUntilAcceptedOrWithdrawn() throws Exception {
        String task = task(plain().put("resolution", new JsonObject().put("independentMarks", 1)));
        responses(task, 4);
        User m = marker(task);
        String before = leaseAndMark(m, task, "1");
        Thread.sleep(50);
        Instant since = Instant.now();
        Thread.sleep(50);
        String a = leaseAndMark(m, task, "2/3");
        String b = leaseAndMark(m, task, "1/3");
        UUID actor = UUID.fromString(m.id());

        assertEquals(2, TestServer.await(holds().holdSince(actor, since, "face check failed", null)));
        assertEquals("final", status(before), "marks before the instant stand");
        for (String id : List.of(a, b)) {
            assertEquals("marking", status(id), "held: waiting, not final and not offered to others");
            assertEquals(null, finalSixths(id));
        }
        User other = marker(task);
        String last = lease(other, task).getString("responseId");
        assertEquals(204, next(other, task).status(), "held responses are not given to anyone else");

        assertEquals(2, TestServer.await(holds().release(actor, true, null)));
        assertEquals(4, finalSixths(a));
        assertEquals(2, finalSixths(b));
        assertEquals(1, audits("marks.held", m.id()));
        assertEquals(1, audits("marks.accepted", m.id()));

        assertEquals(2, TestServer.await(holds().holdSince(actor, since, "face check failed again", null)));
        assertEquals(2, TestServer.await(holds().release(actor, false, null)));
        assertEquals("open", status(a));
        assertEquals("open", status(b));
        assertEquals(1, audits("marks.withdrawn", m.id()));
        MarkingFixture.mark(other, last, "1", 1);
        java.util.Set<String> got = new java.util.HashSet<>();
        got.add(lease(other, task).getString("responseId"));
        got.add(lease(other, task).getString("responseId"));
        assertEquals(java.util.Set.of(a, b), got, "withdrawn responses go back to the pool");
    }
}

package org.openmarking.client.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.EventStream.ServerEvent;
import org.openmarking.client.session.SessionViewModel.Standing;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.Harness;

/** The marker's standing follows what the server says is true, not what a push suggests. */
class SessionViewModelTest {

    @Test
    void aReinstatedPushAsksTheServerAndItsAnswerDecidesTheStanding() throws Exception {
        Harness h = new Harness(3);
        h.api.setPresence("SUSPENDED");
        h.session.handle(new ServerEvent("suspended", FakeMarkerApi.data().put("reason", "two failed face checks")));
        assertEquals(Standing.SUSPENDED, h.session.standingProperty().get());

        h.session.handle(new ServerEvent("reinstated", FakeMarkerApi.data())); // the server has not lifted it (yet)
        assertEquals(Standing.SUSPENDED, h.session.standingProperty().get(), "the server still suspends: so does the client");
        assertEquals("The server still has your marking suspended.", h.session.bannerProperty().get());

        h.api.setPresence("CHECK_DUE"); // lifted, with a face check before the next work
        h.session.handle(new ServerEvent("reinstated", FakeMarkerApi.data()));
        assertEquals(Standing.FACE_CHECK_DUE, h.session.standingProperty().get());
        assertEquals("You are reinstated; a face check comes first.", h.session.bannerProperty().get());

        h.api.setPresence("OK");
        h.session.handle(new ServerEvent("reinstated", FakeMarkerApi.data()));
        assertEquals(Standing.ACTIVE, h.session.standingProperty().get());
        assertEquals("You are reinstated: marking can continue.", h.session.bannerProperty().get());
    }

    @Test
    void anUnavailableFaceServiceIsShownWithItsReasonAndCheckedAgainOnRetry() throws Exception {
        Harness h = new Harness(3);
        h.api.setPresence("CHECK_DUE");
        h.api.failFaceStatus(new ApiException(503, "face-checks-unavailable", "the face models are not installed"));
        AtomicInteger known = new AtomicInteger();
        h.session.checkPresence(known::incrementAndGet);
        assertEquals(0, known.get(), "nothing is assumed while the service cannot answer");
        assertTrue(h.session.presenceProblemProperty().get().contains("the face models are not installed"),
                h.session.presenceProblemProperty().get());

        h.api.failFaceStatus(null); // the service is back: Retry
        h.session.checkPresence(known::incrementAndGet);
        assertEquals(1, known.get());
        assertEquals("", h.session.presenceProblemProperty().get());
        assertEquals(Standing.FACE_CHECK_DUE, h.session.standingProperty().get(), "the server's answer, a check is due");
    }

    @Test
    void aServerWithoutFaceChecksLeavesTheMarkerActive() throws Exception {
        Harness h = new Harness(3);
        h.api.failFaceStatus(new ApiException(404, "not found"));
        AtomicInteger known = new AtomicInteger();
        h.session.checkPresence(known::incrementAndGet);
        assertEquals(1, known.get());
        assertEquals(Standing.ACTIVE, h.session.standingProperty().get());
        assertEquals("", h.session.presenceProblemProperty().get());
    }
}

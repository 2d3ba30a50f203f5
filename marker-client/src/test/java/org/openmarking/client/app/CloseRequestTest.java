package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openmarking.client.marking.MarkingViewModel;
import org.openmarking.client.testing.Harness;
import org.openmarking.domain.Mark;

/** Closing the window with marks unsent asks first; with none, it closes at once. */
class CloseRequestTest {
    private Harness h;
    private final AtomicInteger quits = new AtomicInteger();
    private CloseRequest close;

    @BeforeEach
    void window() throws Exception {
        h = new Harness(3);
        close = new CloseRequest(h.session.uploads().pendingCountProperty(), quits::incrementAndGet);
    }

    @Test
    void withNothingUnsentTheWindowClosesAtOnce() throws Exception {
        h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false).choose(Mark.FULL); // sent at once
        assertTrue(close.request());
        assertEquals(0, close.askingProperty().get());
    }

    @Test
    void unsentMarksAreNotThrownAwayWithoutAsking() throws Exception {
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.api.setOffline(true);
        vm.choose(Mark.FULL);
        vm.choose(Mark.ZERO);
        assertFalse(close.request(), "the window stays open");
        assertEquals(2, close.askingProperty().get(), "the question says how many marks would be lost");
        close.keepTrying();
        assertEquals(0, close.askingProperty().get());
        assertEquals(0, quits.get());
        assertEquals(2, h.session.uploads().pendingCountProperty().get(), "kept, still being retried");
        assertFalse(close.request());
        close.quitAnyway();
        assertEquals(1, quits.get());
    }

    @Test
    void ifTheMarksGetThroughWhileAskingTheWindowClosesAsAsked() throws Exception {
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.api.setOffline(true);
        vm.choose(Mark.FULL);
        assertFalse(close.request());
        h.api.setOffline(false);
        h.bg.advance(Duration.ofSeconds(3)); // the connection returns and the mark is sent
        assertEquals(1, h.api.marks().size());
        assertEquals(1, quits.get(), "nothing is lost now, so the window closes");
        assertEquals(0, close.askingProperty().get());
    }
}

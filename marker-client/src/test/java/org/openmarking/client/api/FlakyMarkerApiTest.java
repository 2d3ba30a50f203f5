package org.openmarking.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.MutableClock;
import org.openmarking.domain.Mark;

/** {@code --simulate-failures}: a share of uploads fails as a lost connection would; everything else passes through. */
class FlakyMarkerApiTest {
    @Test
    void theShareOfFailedUploadsFollowsTheRateAndOtherCallsPassThrough() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-22T08:00:00Z"));
        FakeMarkerApi real = FakeMarkerApi.standard(clock, 60);
        FlakyMarkerApi flaky = new FlakyMarkerApi(real, 0.3, 42);
        List<Boolean> reach = new ArrayList<>();
        flaky.onReachability(reach::add);
        flaky.login(FakeMarkerApi.USER, FakeMarkerApi.PASSWORD);
        int failed = 0;
        for (int i = 0; i < 60; i++) {
            var a = flaky.next("demo26.native-language.5").orElseThrow();
            try {
                flaky.submit(new MarkSubmission(UUID.randomUUID(), a.responseId(), a.taskId(), Mark.ONE_HALF, 1, clock.instant()));
            } catch (ConnectException e) {
                failed++;
            }
        }
        assertEquals(60 - failed, real.marks().size(), "a failed upload never reached the server");
        java.util.Random same = new java.util.Random(42);
        int expected = 0;
        for (int i = 0; i < 60; i++) {
            expected += same.nextDouble() < 0.3 ? 1 : 0;
        }
        assertEquals(expected, failed, "one draw per upload from the seeded generator, failing below the rate");
        assertEquals(failed, reach.stream().filter(b -> !b).count(), "each simulated failure looks like a lost connection");

        flaky.setOffline(true);
        assertThrows(ConnectException.class, flaky::tasks);
        assertThrows(ConnectException.class, flaky::ping);
        flaky.setOffline(false);
        assertEquals(2, flaky.tasks().size());
        assertThrows(IllegalArgumentException.class, () -> new FlakyMarkerApi(real, 1.5, 1));
    }
}

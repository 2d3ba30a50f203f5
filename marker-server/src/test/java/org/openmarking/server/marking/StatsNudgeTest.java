package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.push.Push;

/**
 * {@code stats-changed} is throttled to one a second per task, and the last change of a burst
 * still reaches the dashboards by a trailing nudge when the window ends.
 */
class StatsNudgeTest {
    private Vertx vertx;
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private Notices notices;

    @BeforeEach
    void listen() {
        vertx = Vertx.vertx();
        TestServer.await(vertx.eventBus().<JsonObject>consumer("openmarking.push.scope.nudge-exam", m -> {
            if ("stats-changed".equals(m.body().getString("type"))) {
                arrivals.add(System.nanoTime());
            }
        }).completion());
        notices = new Notices(new Push(vertx));
    }

    @AfterEach
    void stop() {
        TestServer.await(vertx.close());
    }

    private void waitFor(int count, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (arrivals.size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Test
    void aBurstGivesOneNudgeAtOnceAndOneTrailingNudgeAfterTheWindow() throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            notices.statsChanged("nudge-exam", "nudge-exam.m.1");
        }
        waitFor(1, 900);
        assertEquals(1, arrivals.size(), "the first change is announced at once, the rest wait");
        assertTrue(arrivals.get(0) - start < 900_000_000L, "before the window ends");

        waitFor(2, 3000);
        assertEquals(2, arrivals.size(), "the burst's last change is announced after the window");
        long gap = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
        assertTrue(gap >= Notices.STATS_NUDGE_MILLIS - 50, "not inside the window: " + gap + " ms");

        Thread.sleep(1500);
        assertEquals(2, arrivals.size(), "one trailing nudge covers the whole burst; nothing more without a change");

        // A change after a quiet second goes out at once again.
        notices.statsChanged("nudge-exam", "nudge-exam.m.1");
        waitFor(3, 900);
        assertEquals(3, arrivals.size());
    }

    @Test
    void tasksAreThrottledApart() throws InterruptedException {
        notices.statsChanged("nudge-exam", "nudge-exam.m.1");
        notices.statsChanged("nudge-exam", "nudge-exam.m.2");
        waitFor(2, 900);
        assertEquals(2, arrivals.size(), "another task's change is not held back");
    }
}

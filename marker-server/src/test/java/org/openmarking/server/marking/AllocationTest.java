package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.lease;
import static org.openmarking.server.marking.MarkingFixture.leaseAndMark;
import static org.openmarking.server.marking.MarkingFixture.mark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.next;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture.User;

/** Allocation: random, blind, once per marker, exclusions, leases, and nothing lost or doubled under load. */
class AllocationTest {

    @Test
    void responsesComeInRandomOrderNeverTwiceToOneMarkerAndTheWorkShowsNoOtherMarks() {
        String task = task(plain().put("lease", new JsonObject().put("concurrentLimit", 50)));
        List<String> ids = responses(task, 30);
        User m = marker(task);
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            JsonObject w = lease(m, task);
            // Blind: a piece of work names the response and nothing about other marks.
            assertEquals(Set.of("responseId", "taskId", "leaseExpiresAt", "criteriaVersion"), w.fieldNames());
            served.add(w.getString("responseId"));
        }
        assertEquals(30, new HashSet<>(served).size(), "30 distinct responses");
        assertEquals(new HashSet<>(ids), new HashSet<>(served));
        assertNotEquals(ids, served, "not in insertion order");
        assertNotEquals(ids.stream().sorted().toList(), served, "not in id order");
        assertEquals(204, next(m, task).status(), "a marker never gets a response twice, even one still needing a second mark");
    }

    @Test
    void firstPicksAreSpreadOverThePool() {
        // 40 markers each take one response from a pool of 10 (single marking would be used up,
        // so double marking with 10 x 2 places... use 4 independent marks): a scan would give everyone the same few.
        String task = task(plain().put("resolution", new JsonObject().put("independentMarks", 5)));
        responses(task, 10);
        Set<String> first = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            first.add(lease(marker(task), task).getString("responseId"));
        }
        assertTrue(first.size() >= 5, "12 first picks over 10 responses hit " + first.size() + " distinct ones");
    }

    @Test
    void exclusionsKeepMarkersFromTheirOwnSchoolAndRegion() {
        String task = task(plain().put("exclusions", new JsonArray().add("school").add("region"))
                .put("lease", new JsonObject().put("concurrentLimit", 50)));
        List<String> own = responses(task, 5, "S1", "R9");
        List<String> sameRegion = responses(task, 5, "S2", "R1");
        List<String> other = responses(task, 5, "S3", "R2");
        User m = MarkingFixture.user("marker", task, "S1", "R1");
        Set<String> got = new HashSet<>();
        Reply r;
        while ((r = next(m, task)).status() == 200) {
            got.add(r.json().getString("responseId"));
        }
        assertEquals(204, r.status());
        assertEquals(new HashSet<>(other), got);
        own.forEach(id -> assertFalse(got.contains(id)));
        sameRegion.forEach(id -> assertFalse(got.contains(id)));
    }

    @Test
    void aMarkerHoldsAtMostTheConcurrentLimit() {
        String task = task(plain().put("lease", new JsonObject().put("concurrentLimit", 2)));
        responses(task, 5);
        User m = marker(task);
        JsonObject a = lease(m, task);
        lease(m, task);
        Reply third = next(m, task);
        assertEquals(409, third.status());
        assertEquals("lease-limit", third.json().getString("code"));
        assertEquals(201, mark(m, a.getString("responseId"), "1", a.getInteger("criteriaVersion")).status());
        assertEquals(200, next(m, task).status(), "a mark frees a place");
    }

    /**
     * A node that dies mid-lease leaves its lease as a row in PostgreSQL: nobody ever submits it,
     * and the sweepers of the surviving nodes return the response when the lease runs out.
     */
    @Test
    void anAbandonedLeaseReturnsToThePoolAndItsLateMarkIsRefused() throws Exception {
        String task = task(plain().put("lease", new JsonObject().put("seconds", 2))
                .put("resolution", new JsonObject().put("independentMarks", 1)));
        String only = responses(task, 1).get(0);
        User gone = marker(task);
        JsonObject w = lease(gone, task);
        User other = marker(task);
        assertEquals(204, next(other, task).status(), "the only response is leased");
        Thread.sleep(3500);
        assertEquals("open", MarkingFixture.status(only), "the sweeper returned it");
        assertEquals(only, lease(other, task).getString("responseId"));
        Reply late = mark(gone, only, "1", w.getInteger("criteriaVersion"));
        assertEquals(409, late.status());
        assertEquals("lease-expired", late.json().getString("code"));
        assertEquals(0L, sql("select count(*) from marks where response_id = $1", only).iterator().next().getLong(0));
    }

    @Test
    void manyMarkersAtOnceLoseNothingAndDoubleNothing() throws Exception {
        String task = task(plain().put("lease", new JsonObject().put("concurrentLimit", 1)));
        int n = 60;
        List<String> ids = responses(task, n);
        List<User> markers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            markers.add(marker(task));
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(markers.size());
        List<Future<Integer>> done = new ArrayList<>();
        for (User m : markers) {
            done.add(pool.submit(() -> {
                int marked = 0;
                while (true) {
                    Reply r = next(m, task);
                    if (r.status() == 204) {
                        return marked;
                    }
                    if (r.status() != 200) {
                        failures.add("next " + r.status() + " " + r.error());
                        return marked;
                    }
                    // Every marker gives 1/2, so every response becomes final with two equal marks.
                    Reply s = mark(m, r.json().getString("responseId"), "1/2", r.json().getInteger("criteriaVersion"));
                    if (s.status() != 201) {
                        failures.add("mark " + s.status() + " " + s.error());
                    }
                    marked++;
                }
            }));
        }
        int total = 0;
        for (Future<Integer> f : done) {
            total += f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(List.of(), new ArrayList<>(failures));
        assertEquals(2 * n, total, "every response marked exactly twice");
        for (Row r : sql("select r.id, r.status, r.final_sixths, count(m.id), count(distinct m.marker_id) from responses r "
                + "left join marks m on m.response_id = r.id where r.task_id = $1 group by r.id", task)) {
            assertArrayEquals(new Object[] {"final", 3, 2L, 2L}, new Object[] {r.getString(1), r.getInteger(2), r.getLong(3), r.getLong(4)},
                    "response " + r.getString(0));
        }
        assertEquals(0L, sql("select count(*) from allocations where task_id = $1 and state = 'leased'", task).iterator().next().getLong(0));
        assertEquals(ids.size(), sql("select count(*) from responses where task_id = $1", task).iterator().next().getLong(0));
    }
}

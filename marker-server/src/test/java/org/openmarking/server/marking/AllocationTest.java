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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    /**
     * Uniform among what the marker may get, however skewed the keys. Twelve eligible responses:
     * one alone at key 0.05, eleven packed into [0.900, 0.911); between them a run of 30
     * responses of the marker's own school (excluded). "First eligible at or after a random
     * point" gives the first of the packed eleven 85 % of the picks (the gap behind it, the run
     * included), the lone one 14 % and each other one 0.1 %: a chi-square in the thousands. Each
     * trial lays the keys out again (allocation re-draws the chosen key) and frees the marker's
     * lease, then takes one pick. Against uniform, 11 degrees of freedom, the test fails only
     * above 50 (p = 6e-7 for a truly uniform pick), so it does not flake; the old pick fails it
     * every time.
     */
    @Test
    void picksAreUniformAmongEligibleResponsesHoweverSkewedTheKeys() {
        String task = task(plain().put("exclusions", new JsonArray().add("school")));
        List<String> eligible = responses(task, 12, "S2", "R2");
        List<String> own = responses(task, 30, "S1", "R1");
        User m = MarkingFixture.user("marker", task, "S1", "R1");
        List<String> ids = new ArrayList<>(eligible);
        List<Double> keys = new ArrayList<>();
        keys.add(0.05);
        for (int i = 1; i < eligible.size(); i++) {
            keys.add(0.9 + 0.001 * i);
        }
        for (int i = 0; i < own.size(); i++) {
            ids.add(own.get(i));
            keys.add(0.06 + 0.02 * i);
        }
        String[] idArray = ids.toArray(new String[0]);
        Double[] keyArray = keys.toArray(new Double[0]);
        int trials = 600;
        Map<String, Integer> counts = new HashMap<>();
        for (int t = 0; t < trials; t++) {
            sql("delete from allocations where task_id = $1", task);
            sql("update responses r set random_key = k.key, status = 'open', assigned = 0 from unnest($1::text[], $2::float8[]) as k(id, key) "
                    + "where r.id = k.id", idArray, keyArray);
            counts.merge(lease(m, task).getString("responseId"), 1, Integer::sum);
        }
        assertTrue(eligible.containsAll(counts.keySet()), "only eligible responses: " + counts.keySet());
        double expected = (double) trials / eligible.size();
        double chiSquare = 0;
        for (String id : eligible) {
            double d = counts.getOrDefault(id, 0) - expected;
            chiSquare += d * d / expected;
        }
        assertTrue(chiSquare < 50, "chi-square " + chiSquare + " against uniform (11 df) for " + counts.values());
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
     * One marker's many parallel requests (a client retrying, several windows) never get past
     * the limit: the marker's row is locked before the leases are counted. The first round is
     * the marker's very first requests, which also race to join the task.
     */
    @Test
    void parallelRequestsOfOneMarkerNeverExceedTheConcurrentLimit() throws Exception {
        String task = task(plain().put("lease", new JsonObject().put("concurrentLimit", 2)));
        responses(task, 40);
        User m = marker(task);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            for (int round = 0; round < 3; round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<Future<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    replies.add(pool.submit(() -> {
                        go.await();
                        return next(m, task);
                    }));
                }
                go.countDown();
                List<JsonObject> leased = new ArrayList<>();
                for (Future<Reply> f : replies) {
                    Reply r = f.get(2, TimeUnit.MINUTES);
                    if (r.status() == 200) {
                        leased.add(r.json());
                    } else {
                        assertEquals(409, r.status(), r.error());
                        assertEquals("lease-limit", r.json().getString("code"), r.error());
                    }
                }
                assertEquals(2, leased.size(), "round " + round + ": exactly the limit is leased");
                assertEquals(2L, sql("select count(*) from allocations where marker_id = $1::uuid and task_id = $2 and state = 'leased'",
                        m.id(), task).iterator().next().getLong(0));
                for (JsonObject w : leased) {
                    assertEquals(201, mark(m, w.getString("responseId"), "1", w.getInteger("criteriaVersion")).status());
                }
            }
        } finally {
            pool.shutdown();
        }
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
        int n = 100;
        List<String> ids = responses(task, n);
        List<User> markers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
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

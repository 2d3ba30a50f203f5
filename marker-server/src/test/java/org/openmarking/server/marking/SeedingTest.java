package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.audits;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefGet;
import static org.openmarking.server.marking.MarkingFixture.chiefPost;
import static org.openmarking.server.marking.MarkingFixture.mark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.next;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.status;
import static org.openmarking.server.marking.MarkingFixture.task;
import static org.openmarking.server.marking.MarkingFixture.user;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture.User;

/** Seeds: injected at the configured rate, once per marker, indistinguishable; the seed policy suspends and withdraws. */
class SeedingTest {

    private static String seededTask(int meanInterval) {
        return task(new JsonObject().put("calibration", new JsonObject().put("required", false))
                .put("seeding", new JsonObject().put("meanInterval", meanInterval))
                .put("resolution", new JsonObject().put("independentMarks", 1)).put("exclusions", new JsonArray()));
    }

    private static Map<String, String> seeds(String task, User chief, int n, String definitive) {
        return seeds(task, chief, n, definitive, null, null);
    }

    /** {@code n} seeds made of new responses of {@code school} and {@code region}. */
    private static Map<String, String> seeds(String task, User chief, int n, String definitive, String school, String region) {
        Map<String, String> out = new HashMap<>();
        for (String id : responses(task, n, school, region)) {
            Reply r = chiefPost(chief, "/tasks/" + task + "/seeds", new JsonObject().put("responseId", id).put("mark", definitive)
                    .put("rationale", "model answer"));
            assertEquals(201, r.status(), r.error());
            out.put(id, definitive);
        }
        return out;
    }

    @Test
    void seedsComeAtTheConfiguredRateOncePerMarkerAndLookLikeLiveWork() {
        String task = seededTask(5);
        User chief = chief(task);
        Map<String, String> seeds = seeds(task, chief, 40, "2/3");
        responses(task, 320);
        int requests = 0;
        int served = 0;
        Set<Set<String>> fieldSets = new HashSet<>();
        for (int k = 0; k < 4; k++) {
            User m = marker(task);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 75; i++) {
                Instant before = Instant.now();
                Reply r = next(m, task);
                assertEquals(200, r.status(), r.error());
                JsonObject w = r.json();
                requests++;
                fieldSets.add(w.fieldNames());
                String id = w.getString("responseId");
                assertTrue(id.matches("R[0-9a-f]{20}"), "same id shape: " + id);
                long leaseSeconds = Duration.between(before, Instant.parse(w.getString("leaseExpiresAt"))).toSeconds();
                assertTrue(leaseSeconds >= 895 && leaseSeconds <= 900, "same lease length: " + leaseSeconds);
                Reply img = server().get("/api/v1/marking/responses/" + id + "/image", m.token());
                assertEquals(200, img.status());
                assertEquals("image/png", img.raw().getHeader("content-type"));
                boolean seed = seeds.containsKey(id);
                if (seed) {
                    served++;
                    assertTrue(seen.add(id), "a seed at most once per marker");
                }
                Reply s = mark(m, id, seed ? seeds.get(id) : "1/2", w.getInteger("criteriaVersion"));
                assertEquals(201, s.status(), s.error());
                assertEquals(Set.of("id", "status"), s.json().fieldNames(), "the same answer for seeds and live work");
            }
        }
        assertEquals(1, fieldSets.size(), "seeds and live work carry the same fields: " + fieldSets);
        // One in 5 (slightly more: gaps are capped): 300 requests give 60 on average, spread about +-9.
        assertTrue(served >= 35 && served <= 90, served + " seeds in " + requests + " requests");
        JsonObject progress = chiefGet(chief, "/tasks/" + task + "/progress").json();
        assertEquals(served, progress.getInteger("seedsServed"));
        JsonArray bank = chiefGet(chief, "/tasks/" + task + "/seeds").json().getJsonArray("seeds");
        assertEquals(served, bank.stream().map(JsonObject.class::cast).mapToLong(s -> s.getLong("served")).sum());
    }

    /**
     * The schedule makes the story certain, so every assertion runs every time: with a minimum gap
     * of 1 and a maximum of 2, the first request is live, no two seeds come back to back, and a
     * seed comes within two live answers. So there are live marks both before the good seed
     * (they stand) and between it and the suspending one (they are withdrawn).
     */
    @Test
    void twoBadSeedsOfFiveSuspendAndWithdrawLiveMarksSinceTheLastGoodSeed() {
        String task = task(new JsonObject().put("calibration", new JsonObject().put("required", false))
                .put("seeding", new JsonObject().put("meanInterval", 3).put("minGap", 1).put("maxGap", 2))
                .put("resolution", new JsonObject().put("independentMarks", 1)).put("exclusions", new JsonArray()));
        User chief = chief(task);
        Map<String, String> seeds = seeds(task, chief, 12, "1");
        responses(task, 40);
        User m = marker(task);
        List<String> liveBefore = new ArrayList<>();
        List<String> liveAfter = new ArrayList<>();
        int seedsMarked = 0;
        boolean suspended = false;
        for (int i = 0; i < 60 && !suspended; i++) {
            Reply r = next(m, task);
            if (r.status() == 409) {
                assertEquals("marker-suspended", r.json().getString("code"));
                suspended = true;
                break;
            }
            assertEquals(200, r.status(), r.error());
            String id = r.json().getString("responseId");
            String given;
            if (seeds.containsKey(id)) {
                given = seedsMarked == 0 ? "1" : "1/3"; // the first seed right, then three steps off
                seedsMarked++;
            } else {
                given = "1/2";
                (seedsMarked == 0 ? liveBefore : liveAfter).add(id);
            }
            assertEquals(201, mark(m, id, given, r.json().getInteger("criteriaVersion")).status());
        }
        assertTrue(suspended, "the careless marker is suspended");
        assertEquals(3, seedsMarked, "one good seed, one warning, the second bad seed suspends");
        assertFalse(liveBefore.isEmpty(), "the first request is live (minimum gap 1)");
        assertFalse(liveAfter.isEmpty(), "a live answer between the good seed and the next (minimum gap 1)");
        for (String id : liveBefore) {
            assertEquals("final", status(id), "marks before the last good seed stand");
        }
        for (String id : liveAfter) {
            assertEquals("open", status(id), "marks after the last good seed are withdrawn; the response is back in the pool");
            assertEquals("withdrawn", sql("select status from marks where response_id = $1", id).iterator().next().getString(0));
        }
        assertEquals(List.of("warned", "suspended"), sql("select kind from marker_standing_events where marker_id = $1::uuid and task_id = $2 "
                + "order by id", m.id(), task).stream().map(r -> r.getString(0)).toList());
        assertEquals(1, audits("marker.suspended", task));
        assertEquals(1, audits("marker.warned", task), "the warning is in the audit log with its standing event");
        assertEquals(1, audits("marks.withdrawn", task));

        User other = marker(task);
        Set<String> got = new HashSet<>();
        Reply r;
        while ((r = next(other, task)).status() == 200) {
            got.add(r.json().getString("responseId"));
            assertEquals(201, mark(other, r.json().getString("responseId"), seeds.getOrDefault(r.json().getString("responseId"), "1"),
                    r.json().getInteger("criteriaVersion")).status());
        }
        assertEquals(204, r.status(), r.error());
        assertTrue(got.containsAll(liveAfter), "the withdrawn responses were marked by someone else");

        JsonObject deviations = chiefGet(chief, "/tasks/" + task + "/seed-deviations").json();
        JsonObject mine = deviations.getJsonArray("markers").stream().map(JsonObject.class::cast)
                .filter(x -> x.getString("markerId").equals(m.id())).findFirst().orElseThrow();
        assertEquals(List.of(0, -4, -4), mine.getJsonArray("seeds").stream().map(JsonObject.class::cast)
                .map(x -> x.getInteger("deviationSixths")).toList());

        Reply reinstate = chiefPost(chief, "/tasks/" + task + "/markers/" + m.id() + "/reinstate", new JsonObject().put("note", "retrained"));
        assertEquals(200, reinstate.status(), reinstate.error());
        assertEquals("qualified", reinstate.json().getString("state"), "no calibration on this task, so straight back");
        responses(task, 3);
        assertEquals(200, next(m, task).status(), "a reinstated marker gets work again, with a new seed history");
    }

    /** A seed is due on the marker's next request whatever the scheduler's draw (past the schedule's maximum gap). */
    private static void seedDue(User m, String task) {
        sql("update marker_tasks set live_since_seed = 1000 where marker_id = $1::uuid and task_id = $2", m.id(), task);
    }

    private static JsonObject seededSettings(JsonArray exclusions, int independentMarks) {
        return new JsonObject().put("calibration", new JsonObject().put("required", false))
                .put("seeding", new JsonObject().put("meanInterval", 2)).put("lease", new JsonObject().put("concurrentLimit", 10))
                .put("resolution", new JsonObject().put("independentMarks", independentMarks)).put("exclusions", exclusions);
    }

    @Test
    void seedsFollowTheTasksExclusions() {
        String task = task(seededSettings(new JsonArray().add("school"), 1));
        User chief = chief(task);
        Map<String, String> own = seeds(task, chief, 5, "1", "S1", "R1");
        Map<String, String> other = seeds(task, chief, 1, "1", "S3", "R3");
        responses(task, 20, "S2", "R2");
        User m = user("marker", task, "S1", "R1");
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            if (i > 0) {
                seedDue(m, task);
            }
            JsonObject w = MarkingFixture.lease(m, task);
            String id = w.getString("responseId");
            served.add(id);
            assertEquals(201, mark(m, id, "1", w.getInteger("criteriaVersion")).status());
        }
        assertTrue(served.containsAll(other.keySet()), "the seed of another school is served: " + served);
        assertTrue(own.keySet().stream().noneMatch(served::contains), "never a seed of the marker's own school: " + served);
    }

    @Test
    void aSeedIsServedOnlyWhileThisMarkerHasEligibleLiveWork() {
        String task = task(seededSettings(new JsonArray().add("school"), 2));
        User chief = chief(task);
        responses(task, 3, "S1", "R1");
        List<String> mine = responses(task, 2, "S2", "R2");
        User m = user("marker", task, "S1", "R1");
        Set<String> marked = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            marked.add(MarkingFixture.leaseAndMark(m, task, "1/2"));
        }
        assertEquals(new HashSet<>(mine), marked);
        // The task still has open work (the own-school three; these two wait for a second marker), none of it this marker's.
        assertEquals("open", status(mine.get(0)));
        Map<String, String> bank = seeds(task, chief, 5, "1", "S3", "R3");
        for (int i = 0; i < 3; i++) {
            seedDue(m, task);
            Reply r = next(m, task);
            assertEquals(204, r.status(), "no seed when nothing else could come: " + r.json());
        }
        String fresh = responses(task, 1, "S2", "R2").get(0);
        seedDue(m, task);
        String served = MarkingFixture.lease(m, task).getString("responseId");
        assertTrue(bank.containsKey(served), "with live work to hide among, the due seed comes: " + served + ", live " + fresh);
    }
}

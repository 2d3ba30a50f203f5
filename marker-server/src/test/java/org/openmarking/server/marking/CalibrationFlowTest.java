package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefGet;
import static org.openmarking.server.marking.MarkingFixture.chiefPost;
import static org.openmarking.server.marking.MarkingFixture.mark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.next;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture.User;

/** Calibration through /next and /marks: pass, fail then a different set, held, approve, send back, recalibration. */
class CalibrationFlowTest {
    private static final String[] SET1 = {"1", "1/2", "0"};
    private static final String[] SET2 = {"2/3", "1/3", "1"};

    /** A task whose rule is 2 of 3 exact, none more than a step off; two sets; five live responses. */
    private record Setup(String task, User chief, Map<String, String> definitive, List<String> set1, List<String> set2) {
    }

    private static Setup setup() {
        String task = task(new JsonObject().put("calibration", new JsonObject().put("required", true).put("itemsPerSet", 3)
                .put("minExact", 2).put("maxStepsOff", 1)).put("seeding", new JsonObject().put("meanInterval", 0))
                .put("exclusions", new JsonArray()));
        User chief = chief(task);
        Map<String, String> definitive = new HashMap<>();
        List<List<String>> sets = new ArrayList<>();
        for (String[] marks : new String[][] {SET1, SET2}) {
            List<String> ids = responses(task, 3);
            JsonArray items = new JsonArray();
            for (int i = 0; i < 3; i++) {
                items.add(new JsonObject().put("responseId", ids.get(i)).put("mark", marks[i]).put("rationale", "clause " + (i + 1)));
                definitive.put(ids.get(i), marks[i]);
            }
            Reply r = chiefPost(chief, "/tasks/" + task + "/calibration-sets", new JsonObject().put("items", items));
            assertEquals(201, r.status(), r.error());
            sets.add(ids);
        }
        responses(task, 5);
        return new Setup(task, chief, definitive, sets.get(0), sets.get(1));
    }

    /** Marks every item of the current set with {@code choose}; returns the items seen and the last answer. */
    private static List<String> attempt(User m, String task, Function<String, String> choose, JsonObject[] last) {
        List<String> seen = new ArrayList<>();
        while (true) {
            Reply r = next(m, task);
            assertEquals(200, r.status(), r.error());
            JsonObject w = r.json();
            if (!w.containsKey("calibrationItemId")) {
                throw new AssertionError("expected a calibration item, got " + w);
            }
            seen.add(w.getString("responseId"));
            assertEquals(200, server().get("/api/v1/marking/responses/" + w.getString("responseId") + "/image", m.token()).status());
            Reply s = mark(m, w.getString("responseId"), choose.apply(w.getString("responseId")), w.getInteger("criteriaVersion"));
            assertEquals(201, s.status(), s.error());
            last[0] = s.json();
            if (s.json().getJsonObject("calibration").getBoolean("complete")) {
                return seen;
            }
        }
    }

    private static JsonObject taskOf(User m, String task) {
        return server().get("/api/v1/marking/tasks", m.token()).json().getJsonArray("tasks").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("taskId").equals(task)).findFirst().orElseThrow();
    }

    @Test
    void aMarkerWhoAgreesPassesSeesTheRationalesAndGetsLiveWork() {
        Setup s = setup();
        User m = marker(s.task());
        JsonObject before = taskOf(m, s.task());
        assertTrue(before.getBoolean("calibrationRequired"));
        assertFalse(before.getBoolean("calibrated"));
        assertEquals("calibrating", before.getString("state"));
        assertEquals(404, server().get("/api/v1/marking/tasks/" + s.task() + "/calibration/feedback", m.token()).status());
        JsonObject[] last = new JsonObject[1];
        List<String> seen = attempt(m, s.task(), s.definitive()::get, last);
        assertEquals(s.set1(), seen, "the first set, in order");
        assertTrue(last[0].getJsonObject("calibration").getBoolean("passed"));
        JsonObject feedback = server().get("/api/v1/marking/tasks/" + s.task() + "/calibration/feedback", m.token()).json();
        assertTrue(feedback.getBoolean("passed"));
        assertEquals(3, feedback.getJsonArray("items").size());
        JsonObject item = feedback.getJsonArray("items").getJsonObject(1);
        assertEquals("1/2", item.getString("yourMark"));
        assertEquals("1/2", item.getString("definitiveMark"));
        assertEquals("clause 2", item.getString("rationale"));
        JsonObject after = taskOf(m, s.task());
        assertEquals("qualified", after.getString("state"));
        assertTrue(after.getBoolean("calibrated"));
        JsonObject live = next(m, s.task()).json();
        assertFalse(live.containsKey("calibrationItemId"));
        assertFalse(s.definitive().containsKey(live.getString("responseId")), "calibration items never come as live work");
    }

    @Test
    void aFirstFailureBringsADifferentSetAndASecondHoldsTheMarkerUntilAChiefExaminerDecides() {
        Setup s = setup();
        User m = marker(s.task());
        JsonObject[] last = new JsonObject[1];
        assertEquals(s.set1(), attempt(m, s.task(), id -> "0", last));
        assertFalse(last[0].getJsonObject("calibration").getBoolean("passed"));
        JsonObject feedback = server().get("/api/v1/marking/tasks/" + s.task() + "/calibration/feedback", m.token()).json();
        assertFalse(feedback.getBoolean("passed"));
        assertTrue(feedback.getString("summary").startsWith("1 of 3"), feedback.getString("summary"));
        List<String> second = attempt(m, s.task(), id -> "0", last);
        assertEquals(s.set2(), second, "a different set the second time");
        assertNotEquals(s.set1(), second);
        Reply held = next(m, s.task());
        assertEquals(409, held.status());
        assertEquals("calibration-held", held.json().getString("code"));

        JsonArray markers = chiefGet(s.chief(), "/tasks/" + s.task() + "/markers").json().getJsonArray("markers");
        JsonObject mine = markers.stream().map(JsonObject.class::cast).filter(x -> x.getString("markerId").equals(m.id())).findFirst().orElseThrow();
        assertTrue(mine.getBoolean("awaitingApproval"));
        assertEquals("HELD", mine.getString("gateState"));
        assertEquals(2, mine.getJsonArray("attempts").size());
        assertEquals(markers.getJsonObject(0).getString("markerId"), m.id(), "held markers come first");

        User outsider = chief("elsewhere26");
        assertEquals(403, chiefPost(outsider, "/tasks/" + s.task() + "/markers/" + m.id() + "/approve", new JsonObject()).status());
        Reply approve = chiefPost(s.chief(), "/tasks/" + s.task() + "/markers/" + m.id() + "/approve", new JsonObject().put("note", "spoke by phone"));
        assertEquals(200, approve.status(), approve.error());
        assertEquals("APPROVED", approve.json().getString("gateState"));
        Reply live = next(m, s.task());
        assertEquals(200, live.status());
        assertFalse(live.json().containsKey("calibrationItemId"));
        assertEquals(1, MarkingFixture.audits("calibration.approved", s.task()));
    }

    @Test
    void aChiefExaminerCanSendAMarkerBackAndNewCriteriaCanRequireRecalibration() {
        Setup s = setup();
        User m = marker(s.task());
        JsonObject[] last = new JsonObject[1];
        attempt(m, s.task(), s.definitive()::get, last);
        JsonObject lease = next(m, s.task()).json();
        assertFalse(lease.containsKey("calibrationItemId"));

        int v2 = MarkingFixture.publishCriteria(s.task(), true);
        assertEquals("calibrating", taskOf(m, s.task()).getString("state"));
        Reply stale = mark(m, lease.getString("responseId"), "1", v2);
        assertEquals(409, stale.status(), "the running lease ended with the qualification");
        JsonObject item = next(m, s.task()).json();
        assertTrue(item.containsKey("calibrationItemId"), "recalibration first");
        assertEquals(v2, item.getInteger("criteriaVersion"));
        assertEquals(s.set2().get(0), item.getString("responseId"), "a fresh round starts with the set never tried");
        attempt(m, s.task(), s.definitive()::get, last);
        assertEquals("qualified", taskOf(m, s.task()).getString("state"));

        Reply back = chiefPost(s.chief(), "/tasks/" + s.task() + "/markers/" + m.id() + "/send-back", new JsonObject().put("note", "again"));
        assertEquals(200, back.status(), back.error());
        assertTrue(next(m, s.task()).json().containsKey("calibrationItemId"));
    }

    private static Reply createSet(Setup s, List<String> ids) {
        JsonArray items = new JsonArray();
        ids.forEach(id -> items.add(new JsonObject().put("responseId", id).put("mark", "1").put("rationale", "full answer")));
        return chiefPost(s.chief(), "/tasks/" + s.task() + "/calibration-sets", new JsonObject().put("items", items));
    }

    /** Issue 4: a second set must be a different test, and nothing a marker was shown the definitive mark of may be a seed. */
    @Test
    void aTasksSetsShareNoResponseAndACalibrationItemIsNeverASeed() {
        Setup s = setup();
        List<String> fresh = responses(s.task(), 2);
        Reply reused = createSet(s, List.of(fresh.get(0), s.set1().get(1), fresh.get(1)));
        assertEquals(409, reused.status(), reused.error());
        assertEquals("already-calibration-item", reused.json().getString("code"));
        assertTrue(reused.error().contains(s.set1().get(1)) && reused.error().contains("calibration set 1"), reused.error());
        assertEquals("open", MarkingFixture.status(fresh.get(0)), "nothing of the refused set was kept");
        assertEquals(2, chiefGet(s.chief(), "/tasks/" + s.task() + "/calibration-sets").json().getJsonArray("sets").size());

        Reply seedFromItem = chiefPost(s.chief(), "/tasks/" + s.task() + "/seeds", new JsonObject().put("responseId", s.set2().get(0))
                .put("mark", "2/3").put("rationale", "model answer"));
        assertEquals(409, seedFromItem.status(), seedFromItem.error());
        assertEquals("already-calibration-item", seedFromItem.json().getString("code"));
        assertEquals(0L, MarkingFixture.sql("select count(*) from seeds where task_id = $1", s.task()).iterator().next().getLong(0));

        String seed = responses(s.task(), 1).get(0);
        assertEquals(201, chiefPost(s.chief(), "/tasks/" + s.task() + "/seeds", new JsonObject().put("responseId", seed).put("mark", "1")
                .put("rationale", "model answer")).status());
        Reply itemFromSeed = createSet(s, List.of(fresh.get(0), fresh.get(1), seed));
        assertEquals(409, itemFromSeed.status(), itemFromSeed.error());
        assertEquals("already-seed", itemFromSeed.json().getString("code"));
        assertEquals(201, createSet(s, List.of(fresh.get(0), fresh.get(1), responses(s.task(), 1).get(0))).status(),
                "a set of responses in no other set and no seed is built");
    }

    /**
     * Publishing a version that requires recalibration and sending the markers back are one
     * transaction: both audit entries carry the same {@code now()}, the transaction's start.
     */
    @Test
    void criteriaRequiringRecalibrationSendTheMarkersBackInThePublishingTransaction() {
        Setup s = setup();
        User m = marker(s.task());
        attempt(m, s.task(), s.definitive()::get, new JsonObject[1]);
        assertEquals("qualified", taskOf(m, s.task()).getString("state"));
        int v2 = MarkingFixture.publishCriteria(s.task(), true);
        assertEquals("calibrating", taskOf(m, s.task()).getString("state"), "sent back");
        assertEquals("criteria-revised", MarkingFixture.sql("select kind from calibration_events where marker_id = $1::uuid and task_id = $2 "
                + "order by id desc limit 1", m.id(), s.task()).iterator().next().getString(0));
        io.vertx.sqlclient.Row audit = MarkingFixture.sql("select "
                + "(select at from audit_log where action = 'criteria.published' and subject = $1 and (detail->>'version')::int = $2), "
                + "(select at from audit_log where action = 'calibration.criteria-revised' and subject = $1 "
                + "   and (detail->>'criteriaVersion')::int = $2), "
                + "(select (detail->>'markers')::int from audit_log where action = 'calibration.criteria-revised' and subject = $1 "
                + "   and (detail->>'criteriaVersion')::int = $2)", s.task(), v2).iterator().next();
        assertNotNull(audit.getValue(0), "publication audited");
        assertNotNull(audit.getValue(1), "recalibration audited");
        assertEquals(audit.getValue(0), audit.getValue(1), "one transaction");
        assertEquals(1, audit.getInteger(2), "the one qualified marker was sent back");
    }
}

package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openmarking.server.marking.MarkingFixture.audits;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefGet;
import static org.openmarking.server.marking.MarkingFixture.chiefPost;
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

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture.User;

/** Double marking: equal marks are final; different ones go to a blind senior; 2 of 3 is final; otherwise adjudication. */
class DoubleMarkingTest {

    /** A task with one response and a senior marker standing by. */
    private record Case(String task, String response, User senior, User chief) {
    }

    private static Case oneResponse() {
        String task = task(plain());
        String rid = responses(task, 1).get(0);
        User senior = marker(task);
        User chief = chief(task);
        assertEquals(200, server().get("/api/v1/marking/tasks", senior.token()).status());
        Reply s = chiefPost(chief, "/tasks/" + task + "/markers/" + senior.id() + "/senior", new JsonObject().put("senior", true));
        assertEquals(200, s.status(), s.error());
        return new Case(task, rid, senior, chief);
    }

    /** A marker's progress on a task: done, out of done plus their share of what the task still needs; never past the end. */
    @Test
    void aMarkersTargetIsWhatTheyDidPlusTheirShareOfWhatIsLeft() {
        String task = task(plain());
        responses(task, 3); // 6 marks needed
        User fast = marker(task);
        User slow = marker(task);
        assertEquals(200, server().get("/api/v1/marking/tasks", slow.token()).status());
        assertEquals(List.of(0L, 3L), progress(fast, task), "nothing done: half of 6 each");
        // Equal marks throughout, so no response needs a third.
        leaseAndMark(fast, task, "1");
        leaseAndMark(fast, task, "1");
        leaseAndMark(fast, task, "1");
        assertEquals(List.of(3L, 5L), progress(fast, task), "3 done, 3 left for 2 markers: 2 more");
        leaseAndMark(slow, task, "1");
        leaseAndMark(slow, task, "1");
        leaseAndMark(slow, task, "1");
        assertEquals(List.of(3L, 3L), progress(fast, task), "the task is marked: the bar is full");
        assertEquals(List.of(3L, 3L), progress(slow, task));
    }

    private static List<Long> progress(User m, String task) {
        JsonObject t = server().get("/api/v1/marking/tasks", m.token()).json().getJsonArray("tasks").stream().map(JsonObject.class::cast)
                .filter(x -> x.getString("taskId").equals(task)).findFirst().orElseThrow();
        return List.of(t.getLong("done"), t.getLong("target"));
    }

    @Test
    void equalMarksBecomeFinal() {
        Case c = oneResponse();
        leaseAndMark(marker(c.task()), c.task(), "2/3");
        assertEquals("open", status(c.response()), "one of two marks in: open for a second marker");
        leaseAndMark(marker(c.task()), c.task(), "2/3");
        assertEquals("final", status(c.response()));
        assertEquals(4, finalSixths(c.response()));
    }

    @Test
    void differentMarksGoToABlindSeniorWhoseMarkMatchingOneIsFinal() {
        Case c = oneResponse();
        leaseAndMark(marker(c.task()), c.task(), "1");
        leaseAndMark(marker(c.task()), c.task(), "1/3");
        assertEquals("senior", status(c.response()));
        assertEquals(204, next(marker(c.task()), c.task()).status(), "only a senior marker does third markings");
        JsonObject w = lease(c.senior(), c.task());
        assertEquals(c.response(), w.getString("responseId"));
        assertEquals(java.util.Set.of("responseId", "taskId", "leaseExpiresAt", "criteriaVersion"), w.fieldNames(), "blind: no marks shown");
        assertEquals("senior-marking", status(c.response()));
        assertEquals(201, MarkingFixture.mark(c.senior(), c.response(), "1/3", w.getInteger("criteriaVersion")).status());
        assertEquals("final", status(c.response()));
        assertEquals(2, finalSixths(c.response()));
    }

    @Test
    void threeDifferentMarksWaitForTheChiefExaminerWhoAdjudicates() {
        Case c = oneResponse();
        leaseAndMark(marker(c.task()), c.task(), "1");
        leaseAndMark(marker(c.task()), c.task(), "1/3");
        leaseAndMark(c.senior(), c.task(), "0");
        assertEquals("adjudication", status(c.response()));
        JsonArray queue = chiefGet(c.chief(), "/tasks/" + c.task() + "/adjudications").json().getJsonArray("responses");
        assertEquals(1, queue.size());
        JsonArray marks = queue.getJsonObject(0).getJsonArray("marks");
        assertEquals(3, marks.size());
        assertEquals(1, marks.stream().map(JsonObject.class::cast).filter(m -> m.getBoolean("senior")).count());
        User marker = marker(c.task());
        assertEquals(403, server().post("/api/v1/quality/responses/" + c.response() + "/adjudicate", marker.token(),
                new JsonObject().put("mark", "1")).status());
        assertEquals(400, chiefPost(c.chief(), "/responses/" + c.response() + "/adjudicate", new JsonObject().put("mark", "0.7")).status());
        Reply a = chiefPost(c.chief(), "/responses/" + c.response() + "/adjudicate", new JsonObject().put("mark", "1/2").put("note", "clause 2"));
        assertEquals(200, a.status(), a.error());
        assertEquals("final", status(c.response()));
        assertEquals(3, finalSixths(c.response()));
        assertEquals(1, audits("mark.adjudicated", c.response()));
        assertEquals(409, chiefPost(c.chief(), "/responses/" + c.response() + "/adjudicate", new JsonObject().put("mark", "1")).status(),
                "a final response is not adjudicated again");
    }

    @Test
    void singleMarkingMakesOneMarkFinalAndTheSecondMarkedShareNeedsTwo() {
        String task = task(plain().put("resolution", new JsonObject().put("independentMarks", 1)));
        String rid = responses(task, 1).get(0);
        leaseAndMark(marker(task), task, "1/2");
        assertEquals("final", status(rid));
        assertEquals(3, finalSixths(rid));

        String all = task(plain().put("resolution", new JsonObject().put("independentMarks", 1).put("secondMarkingPercent", 100)));
        String second = responses(all, 1).get(0);
        leaseAndMark(marker(all), all, "1/2");
        assertEquals("open", status(second), "every response is second-marked at 100 %");
        leaseAndMark(marker(all), all, "1/2");
        assertEquals("final", status(second));
    }
}

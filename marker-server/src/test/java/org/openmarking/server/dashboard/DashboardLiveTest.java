package org.openmarking.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefPost;
import static org.openmarking.server.marking.MarkingFixture.finalSixths;
import static org.openmarking.server.marking.MarkingFixture.leaseAndMark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.next;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.status;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture;
import org.openmarking.server.marking.MarkingFixture.User;

/**
 * The dashboard in a real browser while markers work through the API: a suspension shows up
 * by itself within seconds, an approval given in the page lets the marker work, and an
 * adjudication made in the page sets the final mark.
 */
class DashboardLiveTest {
    private static String base() {
        return Browser.base(server());
    }

    private static boolean isSeed(String responseId) {
        return sql("select 1 from seeds where response_id = $1", responseId).size() > 0;
    }

    @Test
    void aSuspensionByTheSeedPolicyAppearsInTheOpenPageWithinSeconds(@TempDir Path profile) throws Exception {
        String task = task(new JsonObject().put("calibration", new JsonObject().put("required", false))
                .put("resolution", new JsonObject().put("independentMarks", 1))
                .put("seeding", new JsonObject().put("meanInterval", 4).put("minGap", 1).put("maxGap", 7).put("window", 5).put("suspendAfter", 2))
                .put("exclusions", new JsonArray()));
        List<String> ids = responses(task, 40);
        User chief = chief(task);
        for (String seed : ids.subList(0, 8)) {
            Reply r = chiefPost(chief, "/tasks/" + task + "/seeds", new JsonObject().put("responseId", seed).put("mark", "1").put("rationale", "complete"));
            assertEquals(201, r.status(), r.error());
        }
        User careless = marker(task);
        User careful = marker(task);
        leaseAndMark(careful, task, "1");
        // The careless marker has started too, so the page lists both before anything goes wrong.
        JsonObject first = MarkingFixture.lease(careless, task);
        assertEquals(201, MarkingFixture.mark(careless, first.getString("responseId"), "1", first.getInteger("criteriaVersion")).status());

        try (Browser b = new Browser(profile)) {
            b.openTask(base(), chief.name(), task, "markers");
            b.waitForText("tr[data-marker='" + careless.name() + "']", "qualified");
            b.screenshot("markers");

            // Live seeds marked far off (0 against a definitive 1) until the policy suspends.
            Instant suspendedAt = null;
            for (int i = 0; i < 30 && suspendedAt == null; i++) {
                Reply w = next(careless, task);
                if (w.status() == 409) {
                    suspendedAt = Instant.now();
                    break;
                }
                assertEquals(200, w.status(), w.error());
                String rid = w.json().getString("responseId");
                Reply m = MarkingFixture.mark(careless, rid, isSeed(rid) ? "0" : "1", w.json().getInteger("criteriaVersion"));
                if (m.status() == 409) {
                    suspendedAt = Instant.now();
                }
            }
            assertTrue(suspendedAt != null, "two far-off seeds of five suspend the marker");
            b.waitForText("tr[data-marker='" + careless.name() + "'] td:nth-child(2)", "suspended");
            assertTrue(Duration.between(suspendedAt, Instant.now()).toSeconds() < 10, "the page learnt of it by push, within seconds");
            b.waitForText("#toasts", careless.name());
            b.screenshot("markers-suspended");

            b.open(base() + "/dashboard/#seeds");
            b.waitForText("#seeds-table", careless.name());
            // The history on the page is the marker's standing events as stored: the seed policy's
            // warnings (if it warned before it suspended) and the suspension, each with its reason.
            b.waitForText("#standing-table", "seed policy");
            for (Row e : sql("select kind, reason from marker_standing_events where marker_id = $1::uuid and task_id = $2",
                    careless.id(), task)) {
                String row = "#standing-table tr[data-marker='" + careless.name() + "'][data-kind='" + e.getString(0) + "']";
                assertTrue(b.text(row).contains(e.getString(1)), row + " shows " + e.getString(1));
            }
            long stored = sql("select count(*) from marker_standing_events where marker_id = $1::uuid and task_id = $2", careless.id(), task)
                    .iterator().next().getLong(0);
            assertEquals(stored, b.count("#standing-table tr[data-marker='" + careless.name() + "']"), "every standing event, nothing more");
            assertTrue(b.text("#standing-table tr[data-marker='" + careless.name() + "'][data-kind='suspended']")
                    .contains("seed policy"));
            b.screenshot("seeds");
            b.open(base() + "/dashboard/#agreement");
            b.waitForText("#agreement-table", careful.name());
            b.screenshot("agreement");
            b.open(base() + "/dashboard/#progress");
            b.waitForText("#progress-view", "seeds served");
            b.screenshot("progress");
        }
    }

    @Test
    void anApprovalGivenInThePageLetsAHeldMarkerMarkLive(@TempDir Path profile) throws Exception {
        String task = task(new JsonObject().put("calibration", new JsonObject().put("required", true).put("itemsPerSet", 2).put("minExact", 2)
                        .put("maxStepsOff", 0))
                .put("resolution", new JsonObject().put("independentMarks", 1)).put("seeding", new JsonObject().put("meanInterval", 0))
                .put("exclusions", new JsonArray()));
        List<String> ids = responses(task, 8);
        User chief = chief(task);
        for (int set = 0; set < 2; set++) {
            JsonArray items = new JsonArray();
            for (String id : ids.subList(2 * set, 2 * set + 2)) {
                items.add(new JsonObject().put("responseId", id).put("mark", "1").put("rationale", "all steps shown"));
            }
            Reply r = chiefPost(chief, "/tasks/" + task + "/calibration-sets", new JsonObject().put("items", items));
            assertEquals(201, r.status(), r.error());
        }
        User m = marker(task);
        // Two failed sets: the marker is held until a chief examiner decides.
        for (int i = 0; i < 4; i++) {
            Reply w = next(m, task);
            assertEquals(200, w.status(), w.error());
            assertTrue(w.json().containsKey("calibrationItemId"), "still calibrating");
            assertEquals(201, MarkingFixture.mark(m, w.json().getString("responseId"), "0", w.json().getInteger("criteriaVersion")).status());
        }
        assertFalse(next(m, task).status() == 200 && !next(m, task).json().containsKey("calibrationItemId"), "held, not live");
        JsonObject first = MarkingFixture.chiefGet(chief, "/tasks/" + task + "/markers").json().getJsonArray("markers").getJsonObject(0)
                .getJsonArray("attempts").getJsonObject(0);
        assertEquals(2, first.getJsonArray("feedback").size(), "the attempt's items, each against its definitive mark");
        for (Object o : first.getJsonArray("feedback")) {
            JsonObject f = (JsonObject) o;
            assertTrue(ids.subList(0, 4).contains(f.getString("responseId")), f.encode());
            assertEquals("0", f.getString("givenMark"));
            assertEquals("1", f.getString("definitiveMark"));
            assertFalse(f.getBoolean("exact"));
            assertEquals(4, f.getInteger("stepsOff"), "0 to 1 is four steps of the scale");
        }

        try (Browser b = new Browser(profile)) {
            b.openTask(base(), chief.name(), task, "calibration");
            String item = ".queue-item[data-marker='" + m.name() + "']";
            b.waitForText(item, "held");
            // Each attempt lists its items against the definitive marks: 0 given where 1 was due.
            String items = b.waitForText(item + " ol.items", "0 against 1: 4 step(s) off");
            assertEquals(4, b.count(item + " ol.items li.bad"), items);
            b.screenshot("calibration-held");
            b.click(".queue-item[data-marker='" + m.name() + "'] button.approve");
            b.waitForText("#toasts", "approved");
        }
        Reply live = next(m, task);
        assertEquals(200, live.status(), live.error());
        assertFalse(live.json().containsKey("calibrationItemId"), "after the approval the marker gets live work");
    }

    @Test
    void anAdjudicationMadeInThePageSetsTheFinalMark(@TempDir Path profile) throws Exception {
        String task = task(MarkingFixture.plain());
        String rid = responses(task, 1).get(0);
        User chief = chief(task);
        User senior = marker(task);
        assertEquals(200, server().get("/api/v1/marking/tasks", senior.token()).status());
        assertEquals(200, chiefPost(chief, "/tasks/" + task + "/markers/" + senior.id() + "/senior", new JsonObject().put("senior", true)).status());
        leaseAndMark(marker(task), task, "1");
        leaseAndMark(marker(task), task, "1/3");
        leaseAndMark(senior, task, "0");
        assertEquals("adjudication", status(rid));

        try (Browser b = new Browser(profile)) {
            b.openTask(base(), chief.name(), task, "adjudication");
            String item = ".queue-item[data-response='" + rid + "']";
            b.waitForText(item, "(senior)");
            b.decide(item, "2/3", "clause 2 met, clause 1 partly", "adjudication", "button.adjudicate");
            b.waitForText("#toasts", "final mark 2/3");
        }
        assertEquals("final", status(rid));
        assertEquals(4, finalSixths(rid));
    }
}

package org.openmarking.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.audits;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefGet;
import static org.openmarking.server.marking.MarkingFixture.finalSixths;
import static org.openmarking.server.marking.MarkingFixture.lease;
import static org.openmarking.server.marking.MarkingFixture.leaseAndMark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.next;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.status;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture.User;
import org.openqa.selenium.Alert;
import org.openqa.selenium.support.ui.Select;

/**
 * What a chief examiner does from the page, checked through the API and the database
 * afterwards: suspend and reinstate a marker (and see it in the Seeds view's history), resolve
 * an escalation, make a calibration set and promote a seed.
 */
class DashboardActionsTest {
    private static String base() {
        return Browser.base(server());
    }


    @Test
    void aSuspensionAndAReinstatementMadeInThePageAreEnforcedAuditedAndShownInTheHistory(@TempDir Path profile) throws Exception {
        String task = task(plain().put("resolution", new JsonObject().put("independentMarks", 1)));
        responses(task, 6);
        User chief = chief(task);
        User m = marker(task);
        leaseAndMark(m, task, "1");

        try (Browser b = new Browser(profile)) {
            b.openTask(base(), chief.name(), task, "markers");
            String row = "tr[data-marker='" + m.name() + "']";
            b.waitForText(row, "qualified");
            b.click(row + " button.suspend");
            Alert why = b.alert();
            why.sendKeys("marks without reading the answers");
            why.accept();
            b.waitForText("#toasts", m.name() + " suspended");
            b.waitForText(row + " td:nth-child(2)", "suspended");
            b.screenshot("markers-suspended-by-chief");

            Reply refused = next(m, task);
            assertEquals(409, refused.status(), refused.error());
            assertEquals("marker-suspended", refused.json().getString("code"), "the marker is refused work");
            assertEquals(1, audits("marker.suspended", task));
            JsonObject audit = (JsonObject) sql("select detail from audit_log where action = 'marker.suspended' and subject = $1", task)
                    .iterator().next().getValue(0);
            assertEquals(m.id(), audit.getString("marker"));
            assertEquals("chief examiner: marks without reading the answers", audit.getString("reason"));
            assertEquals(chief.id(), sql("select actor::text from audit_log where action = 'marker.suspended' and subject = $1", task)
                    .iterator().next().getString(0), "audited as the chief examiner who clicked");

            b.click(row + " button.reinstate");
            b.waitForText("#toasts", m.name() + " reinstated");
            b.waitForText(row + " td:nth-child(2)", "qualified");
            assertEquals(1, audits("marker.reinstated", task));
            Reply work = next(m, task);
            assertEquals(200, work.status(), "reinstated, the marker gets work again: " + work.error());

            // The Seeds view shows the history: the suspension with its reason, then the reinstatement.
            b.open(base() + "/dashboard/#seeds");
            String history = b.waitForText("#standing-table", "marks without reading the answers");
            assertTrue(history.contains(chief.name()), "who suspended: " + history);
            assertEquals(1, b.count("#standing-table tr[data-marker='" + m.name() + "'][data-kind='suspended']"));
            assertEquals(1, b.count("#standing-table tr[data-marker='" + m.name() + "'][data-kind='reinstated']"));
            b.waitForText("#seeds-table tr[data-marker='" + m.name() + "'] td:nth-child(4)", "1");
            b.screenshot("seeds-standing-history");
        }
    }

    @Test
    void anEscalationResolvedInThePageGetsItsFinalMark(@TempDir Path profile) throws Exception {
        String task = task(plain().put("resolution", new JsonObject().put("independentMarks", 1)));
        String rid = responses(task, 1).get(0);
        User chief = chief(task);
        User m = marker(task);
        assertEquals(rid, lease(m, task).getString("responseId"));
        assertEquals(201, server().post("/api/v1/marking/responses/" + rid + "/escalate", m.token(), new JsonObject()
                .put("id", UUID.randomUUID().toString()).put("reason", "illegible").put("note", "faint scan")).status());
        assertEquals("escalated", status(rid));

        try (Browser b = new Browser(profile)) {
            b.openTask(base(), chief.name(), task, "escalations");
            String item = ".queue-item[data-response='" + rid + "']";
            b.waitForText(item, "faint scan");
            b.decide(item, "1/2", "readable at full size", "escalations", "button.resolve");
            b.waitForText("#toasts", "final mark 1/2 set");
            b.waitForText("#escalations-view", "The queue is empty.");
        }
        assertEquals("final", status(rid));
        assertEquals(3, finalSixths(rid));
        Row e = sql("select status, resolved_sixths, resolved_by::text from escalations where response_id = $1", rid).iterator().next();
        assertEquals("resolved", e.getString(0));
        assertEquals(3, e.getInteger(1));
        assertEquals(chief.id(), e.getString(2));
        assertEquals(1, audits("escalation.resolved", rid));
    }

    @Test
    void aCalibrationSetAndASeedMadeInThePageAreInTheBank(@TempDir Path profile) throws Exception {
        String task = task(plain().put("calibration", new JsonObject().put("required", false).put("itemsPerSet", 2).put("minExact", 2)
                .put("maxStepsOff", 0)));
        List<String> ids = responses(task, 4);
        User chief = chief(task);

        try (Browser b = new Browser(profile)) {
            b.openTask(base(), chief.name(), task, "build");
            b.waitForText("#build-table", ids.get(3));
            String[] marks = {"1", "1/3"};
            for (int i = 0; i < 2; i++) {
                String row = "#build-table tr[data-response='" + ids.get(i) + "']";
                b.click(row + " input.pick");
                new Select(b.find(row + " select.mark-choice")).selectByValue(marks[i]);
                b.type(row + " input.rationale", "rationale " + i);
            }
            b.waitForText("#chosen-count", "2");
            b.screenshot("build");
            b.click("button.make-set");
            b.waitForText("#toasts", "created with 2 items");

            // The view is read again: the set's answers are no longer candidates; promote another.
            String row = "#build-table tr[data-response='" + ids.get(2) + "']";
            b.waitForText("#build-view", "1 calibration set(s)");
            new Select(b.find(row + " select.mark-choice")).selectByValue("2/3");
            b.type(row + " input.rationale", "method right, arithmetic slip");
            b.click(row + " button.promote");
            b.waitForText("#toasts", ids.get(2) + " is now a seed (2/3)");
            b.waitForText("#build-view", "1 seed(s)");
            b.screenshot("build-after");
        }
        JsonArray sets = chiefGet(chief, "/tasks/" + task + "/calibration-sets").json().getJsonArray("sets");
        assertEquals(1, sets.size());
        JsonArray items = sets.getJsonObject(0).getJsonArray("items");
        assertEquals(ids.get(0), items.getJsonObject(0).getString("responseId"));
        assertEquals("1", items.getJsonObject(0).getString("definitiveMark"));
        assertEquals("rationale 0", items.getJsonObject(0).getString("rationale"));
        assertEquals(ids.get(1), items.getJsonObject(1).getString("responseId"));
        assertEquals("1/3", items.getJsonObject(1).getString("definitiveMark"));
        JsonArray seeds = chiefGet(chief, "/tasks/" + task + "/seeds").json().getJsonArray("seeds");
        assertEquals(1, seeds.size());
        assertEquals(ids.get(2), seeds.getJsonObject(0).getString("responseId"));
        assertEquals("2/3", seeds.getJsonObject(0).getString("definitiveMark"));
        assertEquals("method right, arithmetic slip", seeds.getJsonObject(0).getString("rationale"));
        assertEquals(1, audits("calibration.set-created", task));
        assertEquals(1, audits("seed.promoted", ids.get(2)));
    }
}

package org.openmarking.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;

/** The dashboard in a real browser: log-in by role, the live stream, publishing criteria. */
class DashboardBasicsTest {
    static TestServer server;
    static String base;
    static String task;

    @BeforeAll
    static void exam() {
        server = TestServer.shared();
        base = Browser.base(server);
        String admin = server.adminToken();
        Reply created = server.post("/api/v1/exams", admin, new JsonObject().put("id", "dash-basics").put("scheme", "admission-2026")
                .put("subjects", new JsonArray().add("mathematics")));
        assertEquals(201, created.status(), created.error());
        task = created.json().getJsonArray("tasks").getString(0);
        assertEquals(201, server.post("/api/v1/exams/tasks/" + task + "/criteria", admin, new JsonObject().put("note", "first")
                .put("clauses", new JsonArray().add(new JsonObject().put("number", 1).put("text", "correct method").put("mark", "1")))).status());
        server.createUser("dash-chief", "chief_examiner", "dash-basics");
        server.createUser("dash-marker", "marker", "dash-basics");
    }

    @AfterAll
    static void done() {
        // the shared server outlives this class
    }

    @Test
    void aChiefExaminerLogsInSeesTheLiveStreamAndPublishesCriteria(@TempDir Path profile) throws Exception {
        try (Browser b = new Browser(profile)) {
            b.logIn(base, "dash-chief", "password-of-dash-chief");
            b.waitForText("#live", "live");
            b.waitForText("#who", "dash-chief");
            new org.openqa.selenium.support.ui.Select(b.find("#exam")).selectByValue("dash-basics");
            new org.openqa.selenium.support.ui.Select(b.find("#task")).selectByValue(task);
            b.open(base + "/dashboard/#criteria");
            b.waitForText("#view h2", "version 1 in force");
            b.type("#criteria-note", "accept an equivalent method");
            b.find("#criteria-recalibrate").click();
            b.click("#criteria-publish");
            b.waitForText("#toasts", "Published version 2");
            b.screenshot("criteria");

            Reply inForce = server.get("/api/v1/exams/tasks/" + task + "/criteria", server.adminToken());
            assertEquals(2, inForce.json().getInteger("version"));
            assertEquals("accept an equivalent method", inForce.json().getString("note"));
            assertTrue(inForce.json().getBoolean("requiresRecalibration"));
        }
    }

    @Test
    void aMarkerCannotUseTheDashboard(@TempDir Path profile) {
        try (Browser b = new Browser(profile)) {
            b.logIn(base, "dash-marker", "password-of-dash-marker");
            b.waitForText("#login-error", "for chief examiners");
        }
    }

    @Test
    void thePagesCarryAStrictContentSecurityPolicy() {
        Reply page = server.get("/dashboard/", null);
        assertEquals(200, page.status());
        String csp = page.raw().getHeader("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals(200, server.get("/dashboard/vendor/chart.umd.min.js", null).status(), "Chart.js is served from its WebJar");
    }
}

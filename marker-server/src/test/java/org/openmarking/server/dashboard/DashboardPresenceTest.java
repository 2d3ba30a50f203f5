package org.openmarking.server.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestPaths;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.face.sim.DemoFaces;
import org.openmarking.server.face.sim.FaceCheckResponder;
import org.openmarking.server.face.sim.SimulatedCamera;
import org.openqa.selenium.support.ui.Select;

/**
 * The Presence view against real face checks (the shared node runs them with the shared
 * models): a marker passes one, then a stranger fails two, and the open page counts each as it
 * happens, with the failures' reasons, the same figures the database holds.
 */
class DashboardPresenceTest {

    @Test
    void theViewCountsEveryCheckOfTheExamLiveWithReasons(@TempDir Path profile) throws Exception {
        TestServer server = TestServer.shared();
        String admin = server.adminToken();
        String exam = "dash-presence";
        Reply created = server.post("/api/v1/exams", admin, new JsonObject().put("id", exam).put("scheme", "admission-2026")
                .put("subjects", new JsonArray().add("mathematics")));
        assertEquals(201, created.status(), created.error());
        server.createUser("dash-presence-chief", "chief_examiner", exam);
        String marker = "dash-presence-marker";
        server.createUser(marker, "marker", exam);
        UUID markerId = UUID.fromString(server.get("/api/v1/auth/me", server.login(marker, "password-of-" + marker)).json().getString("id"));

        // Two of the demo's people: the marker is enrolled as the first; the second is a stranger at the camera.
        Map<String, List<Path>> people = DemoFaces.assign(TestPaths.shared().resolve("data/faces"));
        List<Path> self = people.get("marker1");
        List<Path> stranger = people.get("marker2");
        WebClient client = WebClient.create(server.app().vertx(), new WebClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(server.app().tls().caCert().toString()))
                .setDefaultHost("localhost").setDefaultPort(server.app().port()));
        List<String> enrolled = DemoFaces.enroll(client, admin, Map.of(marker, self));
        assertTrue(enrolled.get(0).contains("enrolled as"), enrolled.toString());

        try (SimulatedCamera camera = SimulatedCamera.open(TestPaths.shared().resolve("models"), 11);
             Browser b = new Browser(profile)) {
            FaceCheckResponder honest = new FaceCheckResponder(server.app().vertx(), client, camera,
                    DemoFaces.cameraPhotos(Map.of(marker, self)));
            FaceCheckResponder impostor = new FaceCheckResponder(server.app().vertx(), client, camera,
                    DemoFaces.cameraPhotos(Map.of(marker, stranger)));

            b.logIn(Browser.base(server), "dash-presence-chief", "password-of-dash-presence-chief");
            b.waitForText("#live", "live");
            new Select(b.find("#exam")).selectByValue(exam);
            b.open(Browser.base(server) + "/dashboard/#presence");
            b.waitForText("#presence-view", "Presence");
            b.waitForText("#presence-markers tr[data-marker='" + marker + "']", "never checked");
            assertEquals("0", b.text("#presence-totals [data-field='passed']"));

            // The check at log-in, answered by the marker themself.
            JsonObject pass = TestServer.await(honest.apply(marker, server.login(marker, "password-of-" + marker)));
            assertEquals("PASS", pass.getString("result"), pass.encode());
            b.waitForText("#presence-totals [data-field='passed']", "1");

            // A new log-in brings a new check; a stranger answers it, then its retry: paused, then suspended.
            String token = server.login(marker, "password-of-" + marker);
            JsonObject first = TestServer.await(impostor.apply(marker, token));
            assertEquals("FAIL", first.getString("result"), first.encode());
            b.waitForText("#presence-totals [data-field='paused']", "1");
            b.waitForText("#toasts", marker + " paused after a failed face check");
            JsonObject second = TestServer.await(impostor.apply(marker, token));
            assertEquals("SUSPENDED", second.getString("state"), second.encode());
            b.waitForText("#presence-totals [data-field='suspended']", "1");
            b.waitForText("#toasts", marker + " suspended after two failed face checks");
            b.waitForText("#presence-totals [data-field='failed']", "2");
            assertTrue(!b.text("#toasts").contains("undefined"), b.text("#toasts"));

            // What the page shows is what PostgreSQL holds for this marker, reasons included.
            String row = "#presence-markers tr[data-marker='" + marker + "']";
            b.waitForText(row, "SUSPENDED");
            for (String kind : List.of("passed", "failed", "paused", "suspended")) {
                long n = TestServer.await(server.app().context().database().pool()
                        .preparedQuery("select count(*) from presence_events where marker_id = $1 and kind = $2")
                        .execute(Tuple.of(markerId, kind))).iterator().next().getLong(0);
                assertEquals(String.valueOf(n), b.text(row + " [data-field='" + kind + "']"), kind);
            }
            List<String> reasons = new ArrayList<>();
            for (Row r : TestServer.await(server.app().context().database().pool()
                    .preparedQuery("select reason, count(*) from presence_events where marker_id = $1 and kind = 'failed' group by reason")
                    .execute(Tuple.of(markerId)))) {
                reasons.add(r.getString(0) + " × " + r.getLong(1));
            }
            for (String reason : reasons) {
                assertTrue(b.text(row).contains(reason), reason + " in " + b.text(row));
                assertTrue(b.text("#presence-reasons").contains(reason), reason);
            }
            assertEquals(1, b.count(".queue-item[data-marker='" + marker + "']"),
                    "listed for a decision");
            b.screenshot("presence");
        } finally {
            client.close();
        }
    }
}

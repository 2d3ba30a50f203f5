package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.face.sim.SimulatedCamera;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.presence.PresenceGate;
import org.openmarking.server.store.Database;

/**
 * Two nodes on one database and one blob store agree on a marker's presence: a check due on
 * one is due on the other, a burst answered on either clears both, and two nodes sweeping at
 * the same moment make a scheduled check due once.
 */
class FacePresenceTwoNodesTest {

    private static String gate(PresenceNode node, UUID marker) {
        try {
            TestServer.await(node.presence().requireClear(marker));
            return null;
        } catch (ApiException e) {
            return e.code();
        }
    }

    @Test
    void bothNodesSeeOneStateAndSweepItOnce() throws Exception {
        PresenceNode.MovableClock clock = new PresenceNode.MovableClock();
        try (PresenceNode a = PresenceNode.start(Map.of(), clock)) {
            Database.JdbcTarget db = a.app.context().database().jdbc();
            Map<String, String> second = new HashMap<>();
            second.put("DATABASE_URL", db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@"));
            second.put("OPENMARKING_BLOBS_DIR", a.dataDir.resolve("blobs").toString());
            second.put("OPENMARKING_KEYSTORE", a.dataDir.resolve("keys").resolve("keystore.bcfks").toString());
            try (PresenceNode b = PresenceNode.start(second, clock)) {
                UUID marker = a.createUser("marker-two-nodes", "marker", "*");
                JsonArray photos = new JsonArray().add(Base64.getEncoder().encodeToString(FaceTestData.photoBytes("obama", "obama.jpg")));
                assertEquals(201, a.post("/api/v1/face/enrollments/marker-two-nodes", a.admin(),
                        new JsonObject().put("photos", photos)).status());
                String token = b.login("marker-two-nodes", PresenceNode.password("marker-two-nodes"));

                assertEquals(PresenceGate.FACE_CHECK_DUE, gate(b, marker));
                assertEquals("CHECK_DUE", a.get("/api/v1/face/status", token).json().getString("state"));
                JsonObject check = a.post("/api/v1/face/checks", token, null).json();
                assertEquals(check.getString("checkId"), b.post("/api/v1/face/checks", token, null).json().getString("checkId"),
                        "one open challenge, whichever node is asked");
                List<byte[]> burst = new SimulatedCamera(FaceTestData.engine(), 3).burst(FaceTestData.photoBytes("obama", "obama2.jpg"),
                        Challenge.Direction.valueOf(check.getString("challenge")), 8);
                JsonArray frames = new JsonArray();
                burst.forEach(f -> frames.add(Base64.getEncoder().encodeToString(f)));
                JsonObject verdict = b.post("/api/v1/face/checks/" + check.getString("checkId") + "/burst", token,
                        new JsonObject().put("frames", frames)).json();
                assertEquals("PASS", verdict.getString("result"), verdict.encode());
                assertNull(gate(a, marker));
                assertNull(gate(b, marker));

                clock.advance(Duration.ofMinutes(4));
                assertNull(gate(b, marker), "marking on: the marker is active");
                clock.advance(Duration.ofMinutes(6).plusSeconds(1));
                TestServer.await(Future.all(a.presence().sweeper().sweep(), b.presence().sweeper().sweep()));
                long due = TestServer.await(a.app.context().database().pool().preparedQuery(
                        "select count(*) from presence_events where marker_id = $1 and kind = 'check-due'").execute(Tuple.of(marker)))
                        .iterator().next().getLong(0);
                assertEquals(2, due, "the login check and one scheduled check, not one per node");
                assertEquals(PresenceGate.FACE_CHECK_DUE, gate(a, marker));
                assertTrue(b.get("/api/v1/face/status", token).json().getString("trigger").equals("RANDOM"));
            }
        }
    }
}

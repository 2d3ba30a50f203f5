package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.http.ApiException;

/**
 * A node whose face models cannot be used still starts, refuses face-checked marking with the
 * reason and says so; a node with face checks switched off lets marking through and says so.
 * Never a silent skip.
 */
class FaceServiceModesTest {

    @Test
    void requiredButUnusableModelsRefuseMarkingWithTheReason() throws Exception {
        Path empty = Files.createTempDirectory("no-face-models");
        try (PresenceNode node = PresenceNode.start(Map.of("OPENMARKING_FACE_MODELS_DIR", empty.toString()))) {
            String admin = node.admin();
            assertEquals("unavailable", node.get("/health", null).json().getString("faceChecks"));
            JsonObject service = node.get("/api/v1/face/service", admin).json();
            assertEquals("unavailable", service.getString("faceChecks"));
            assertTrue(service.getString("reason").contains("face_detection_yunet_2023mar.onnx"), service.encode());

            UUID marker = node.createUser("marker-nomodels", "marker", "*");
            ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                    () -> TestServer.await(node.presence().requireClear(marker)));
            assertEquals(503, refused.status());
            assertEquals("face-checks-unavailable", refused.code());
            String token = node.login("marker-nomodels", PresenceNode.password("marker-nomodels"));
            Reply open = node.post("/api/v1/face/checks", token, null);
            assertEquals(503, open.status());
            assertEquals("face-checks-unavailable", open.json().getString("code"));
            assertEquals(503, node.get("/api/v1/face/status", token).status());
        }
    }

    /** By default an enrolment needs several photos: one is refused with the count, two of the same person are kept. */
    @Test
    void anEnrolmentNeedsSeveralPhotosByDefault() throws Exception {
        FaceTestData.models();
        try (PresenceNode node = PresenceNode.start(Map.of("OPENMARKING_FACE_ENROL_MIN_PHOTOS", "2"))) {
            String admin = node.admin();
            node.createUser("marker-two-photos", "marker", "*");
            Reply one = node.post("/api/v1/face/enrollments/marker-two-photos", admin, photos(FaceTestData.photoBytes("obama", "obama.jpg")));
            assertEquals(422, one.status(), String.valueOf(one.json()));
            assertTrue(one.json().getString("error").contains("only 1 photo(s) accepted; an enrolment needs at least 2"), one.json().encode());
            assertEquals(false, node.get("/api/v1/face/enrollments/marker-two-photos", admin).json().getBoolean("enrolled"));
            Reply two = node.post("/api/v1/face/enrollments/marker-two-photos", admin,
                    photos(FaceTestData.photoBytes("obama", "obama.jpg"), FaceTestData.photoBytes("obama", "obama2.jpg")));
            assertEquals(201, two.status(), String.valueOf(two.json()));
        }
        assertEquals(2, org.openmarking.server.config.ConfigLoader.load(java.util.Optional.empty(), Map.of()).faceEnrolMinPhotos());
    }

    private static JsonObject photos(byte[]... photos) {
        io.vertx.core.json.JsonArray a = new io.vertx.core.json.JsonArray();
        for (byte[] p : photos) {
            a.add(java.util.Base64.getEncoder().encodeToString(p));
        }
        return new JsonObject().put("photos", a);
    }

    @Test
    void switchedOffLetsMarkingThroughAndSaysSo() throws Exception {
        try (PresenceNode node = PresenceNode.start(Map.of("OPENMARKING_FACE_CHECKS", "off"))) {
            String admin = node.admin();
            assertEquals("off", node.get("/health", null).json().getString("faceChecks"));
            JsonObject service = node.get("/api/v1/face/service", admin).json();
            assertEquals("off", service.getString("faceChecks"));
            assertTrue(service.getString("reason").contains("faceChecks=off"));
            UUID marker = node.createUser("marker-off", "marker", "*");
            TestServer.await(node.presence().requireClear(marker));
            String token = node.login("marker-off", PresenceNode.password("marker-off"));
            assertEquals("face-checks-off", node.post("/api/v1/face/checks", token, null).json().getString("code"));
            assertEquals("OK", node.get("/api/v1/face/status", token).json().getString("state"));
        }
    }
}

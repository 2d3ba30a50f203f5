package org.openmarking.server.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;

/** A message pushed to a user arrives on their open event stream, and nobody else's. */
class PushTest {

    @Test
    void aPushReachesTheUsersStreamOnly() throws Exception {
        TestServer server = TestServer.shared();
        String token = server.createUser("marker-push", "marker", "*");
        String other = server.createUser("marker-push-other", "marker", "*");
        UUID userId = UUID.fromString(server.get("/api/v1/auth/me", token).json().getString("id"));
        UUID otherId = UUID.fromString(server.get("/api/v1/auth/me", other).json().getString("id"));
        var vertx = server.app().vertx();
        var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(server.app().tls().caCert().toString())));
        StringBuilder received = new StringBuilder();
        Promise<String> gotCheck = Promise.promise();
        Promise<Void> connected = Promise.promise();
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(server.app().port())
                        .setURI("/api/v1/push/events").putHeader("Authorization", "Bearer " + token))
                .compose(req -> req.send())
                .onSuccess(res -> {
                    assertEquals("text/event-stream", res.getHeader("content-type"));
                    res.handler((Buffer b) -> {
                        received.append(b.toString());
                        if (received.toString().contains("event: connected")) {
                            connected.tryComplete();
                        }
                        if (received.toString().contains("event: face-check")) {
                            gotCheck.tryComplete(received.toString());
                        }
                    });
                });
        TestServer.await(connected.future());
        Push push = server.app().context().push();
        push.toUser(otherId, "suspended", new JsonObject().put("task", "not for you"));
        push.toUser(userId, "face-check", new JsonObject().put("challenge", "TURN_LEFT"));
        String stream = TestServer.await(gotCheck.future());
        assertTrue(stream.contains("data: {\"challenge\":\"TURN_LEFT\"}"), stream);
        assertTrue(!stream.contains("not for you"), "another user's message leaked: " + stream);
        client.close();
        assertEquals(401, server.get("/api/v1/push/events", null).status());
    }

    private static org.openmarking.server.account.Principal chief(String scope) {
        return new org.openmarking.server.account.Principal(UUID.randomUUID(), "c", "c", java.util.Set.of(
                new org.openmarking.server.account.Principal.Grant(org.openmarking.server.account.Role.CHIEF_EXAMINER, scope)));
    }

    @Test
    void anExamEventAboutAMarkerReachesOnlyChiefExaminersCoveringTheMarker() {
        JsonObject presence = new JsonObject().put("type", "presence-failed").put("data", new JsonObject().put("marker", "m")
                .put("covers", new io.vertx.core.json.JsonArray().add("ex.mathematics")));
        assertTrue(PushRoutes.visible(chief("ex"), presence), "the exam's chief examiner");
        assertTrue(PushRoutes.visible(chief("ex.mathematics"), presence), "the subject's");
        assertTrue(!PushRoutes.visible(chief("ex.native-language"), presence), "not another subject's");
        JsonObject task = new JsonObject().put("type", "stats-changed").put("data", new JsonObject().put("taskId", "ex.mathematics.20"));
        assertTrue(PushRoutes.visible(chief("ex.mathematics"), task));
        assertTrue(!PushRoutes.visible(chief("ex.native-language"), task));
    }
}

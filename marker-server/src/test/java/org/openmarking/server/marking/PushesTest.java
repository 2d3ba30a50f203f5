package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefPost;
import static org.openmarking.server.marking.MarkingFixture.lease;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.marking.MarkingFixture.User;

/** The marking engine's pushes reach the marker's stream and the exam's dashboards. */
class PushesTest {

    /** An open event stream that collects what arrives. */
    private static final class Stream {
        private final StringBuffer received = new StringBuffer();
        private final HttpClient client;

        Stream(String token, String exam) {
            TestServer s = server();
            client = s.app().vertx().createHttpClient(new HttpClientOptions().setSsl(true)
                    .setTrustOptions(new PemTrustOptions().addCertPath(s.app().tls().caCert().toString())));
            Promise<Void> connected = Promise.promise();
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(s.app().port())
                            .setURI("/api/v1/push/events" + (exam == null ? "" : "?exam=" + exam)).putHeader("Authorization", "Bearer " + token))
                    .compose(req -> req.send())
                    .onSuccess(res -> res.handler((Buffer b) -> {
                        received.append(b.toString());
                        if (received.toString().contains("event: connected")) {
                            connected.tryComplete();
                        }
                    }));
            TestServer.await(connected.future());
        }

        /** Waits up to 10 s for an event of this type and returns the stream so far. */
        String await(String type) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                if (received.toString().contains("event: " + type + "\n")) {
                    return received.toString();
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no '" + type + "' event; got: " + received);
        }

        void close() {
            client.close();
        }
    }

    @Test
    void markersAndChiefExaminersHearWhatConcernsThem() throws Exception {
        String task = task(plain());
        String exam = task.substring(0, task.indexOf('.'));
        responses(task, 3);
        User m = marker(task);
        User chief = chief(task);
        JsonObject w = lease(m, task);
        Stream markerStream = new Stream(m.token(), null);
        Stream dashboard = new Stream(chief.token(), exam);
        try {
            MarkingFixture.publishCriteria(task, false);
            assertTrue(markerStream.await("criteria-updated").contains("\"criteriaVersion\":2"));

            assertEquals(201, server().post("/api/v1/marking/responses/" + w.getString("responseId") + "/escalate", m.token(),
                    new JsonObject().put("id", UUID.randomUUID().toString()).put("reason", "concerning")).status());
            assertTrue(dashboard.await("escalation").contains(w.getString("responseId")));
            dashboard.await("stats-changed");

            assertEquals(200, chiefPost(chief, "/tasks/" + task + "/markers/" + m.id() + "/suspend", new JsonObject().put("reason", "test")).status());
            assertTrue(markerStream.await("suspended").contains(task));
            assertTrue(dashboard.await("marker-suspended").contains(m.id()));
            assertEquals(200, chiefPost(chief, "/tasks/" + task + "/markers/" + m.id() + "/reinstate", new JsonObject().put("note", "ok")).status());
            markerStream.await("reinstated");
        } finally {
            markerStream.close();
            dashboard.close();
        }
    }
}

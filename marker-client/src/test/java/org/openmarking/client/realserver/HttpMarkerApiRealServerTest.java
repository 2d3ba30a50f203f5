package org.openmarking.client.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.EventStream;
import org.openmarking.client.api.HttpMarkerApi;
import org.openmarking.client.api.TlsTrust;
import org.openmarking.client.api.Wire.CriteriaInForce;
import org.openmarking.client.api.Wire.Session;

/** The client's HTTPS API against a real server node: log-in, criteria, certificate checks, push events, log-out. */
class HttpMarkerApiRealServerTest {
    @BeforeAll
    static void exam() {
        RealServer.ensureExam();
    }

    @Test
    void aMarkerLogsInReadsTheCriteriaInForceAndLogsOut() throws Exception {
        String user = RealServer.newMarker("client-api");
        HttpMarkerApi api = RealServer.api();
        List<Boolean> reach = new CopyOnWriteArrayList<>();
        api.onReachability(reach::add);
        Session s = api.login(user, RealServer.password(user));
        assertEquals(user, s.username());
        UUID.fromString(s.userId());
        assertTrue(s.expiresAt().isAfter(java.time.Instant.now()));
        assertTrue(!s.toString().contains(s.token()), "a session never prints its token");

        CriteriaInForce c = api.criteria(RealServer.TASK);
        assertEquals(RealServer.TASK, c.taskId());
        assertEquals(1, c.version());
        assertEquals("first version", c.note());
        assertEquals(3, c.clauses().size());
        assertEquals("Equation set up, not solved", c.clauses().get(1).text());
        assertEquals("1/2", c.clauses().get(1).mark());

        ApiException missing = assertThrows(ApiException.class, () -> api.criteria(RealServer.EXAM + ".mathematics.99"));
        assertEquals(404, missing.status());

        api.logout();
        ApiException after = assertThrows(ApiException.class, () -> api.criteria(RealServer.TASK));
        assertTrue(after.isUnauthorized());
        assertTrue(reach.stream().allMatch(b -> b) && !reach.isEmpty());
    }

    @Test
    void aWrongPasswordIsA401() throws Exception {
        String user = RealServer.newMarker("client-wrong");
        ApiException e = assertThrows(ApiException.class, () -> RealServer.api().login(user, "not the password"));
        assertEquals(401, e.status());
    }

    @Test
    void thePinnedCaFingerprintIsTrustedAndAnyOtherCertificateRefused() throws Exception {
        String user = RealServer.newMarker("client-pin");
        String pin = RealServer.server().app().tls().caFingerprint();
        HttpMarkerApi pinned = new HttpMarkerApi(RealServer.uri(), TlsTrust.pinned(pin));
        assertEquals(user, pinned.login(user, RealServer.password(user)).username());

        String wrong = "00:" + pin.substring(3);
        IOException refused = assertThrows(IOException.class,
                () -> new HttpMarkerApi(RealServer.uri(), TlsTrust.pinned(wrong)).login(user, RealServer.password(user)));
        assertInstanceOf(SSLHandshakeException.class, refused);
        assertThrows(SSLHandshakeException.class,
                () -> new HttpMarkerApi(RealServer.uri(), TlsTrust.system()).login(user, RealServer.password(user)),
                "the demo's private CA is not in the system trust store; verification is never switched off");
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() throws Exception {
        HttpMarkerApi api = new HttpMarkerApi(URI.create("https://localhost:1"), RealServer.trust());
        List<Boolean> reach = new CopyOnWriteArrayList<>();
        api.onReachability(reach::add);
        assertThrows(IOException.class, api::ping);
        assertEquals(List.of(false), reach);
        RealServer.api().ping(); // the real one answers without a token
    }

    @Test
    void aMessagePushedToTheMarkerArrivesOnTheirStream() throws Exception {
        String user = RealServer.newMarker("client-push");
        HttpMarkerApi api = RealServer.api();
        Session s = api.login(user, RealServer.password(user));
        CountDownLatch connected = new CountDownLatch(1);
        LinkedBlockingQueue<EventStream.ServerEvent> events = new LinkedBlockingQueue<>();
        try (EventStream stream = api.events(new EventStream.Listener() {
            @Override
            public void onEvent(EventStream.ServerEvent event) {
                events.add(event);
            }

            @Override
            public void onConnection(boolean ok) {
                if (ok) {
                    connected.countDown();
                }
            }
        })) {
            assertTrue(connected.await(30, TimeUnit.SECONDS), "the server confirms the stream");
            RealServer.server().app().context().push().toUser(UUID.fromString(s.userId()), "criteria-updated",
                    new JsonObject().put("taskId", RealServer.TASK).put("version", 2));
            EventStream.ServerEvent e = events.poll(30, TimeUnit.SECONDS);
            assertEquals("criteria-updated", e.type());
            assertEquals(RealServer.TASK, e.text("taskId"));
            assertEquals("2", e.text("version"));
        }
    }
}

package org.openmarking.client.realserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.openmarking.client.api.HttpMarkerApi;
import org.openmarking.client.api.TlsTrust;
import org.openmarking.server.TestServer;

/**
 * The real server for the client's end-to-end tests: marker-server's {@link TestServer} (embedded
 * PostgreSQL, HTTPS with its own CA), an exam with criteria, and markers created through the API.
 */
public final class RealServer {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static boolean examReady;

    public static final String EXAM = "client26";
    /** A mathematics task of the admission-2026 scheme, with criteria published. */
    public static final String TASK = EXAM + ".mathematics.19";

    private RealServer() {
    }

    /** marker-server's marking fixture node (face checks off), shared with RealServerFxTest so one node serves the JVM. */
    public static TestServer server() {
        return org.openmarking.server.marking.MarkingFixture.server();
    }

    public static URI uri() {
        return URI.create("https://localhost:" + server().app().port());
    }

    public static SSLContext trust() throws Exception {
        return TlsTrust.fromCaFile(server().app().tls().caCert());
    }

    public static HttpMarkerApi api() throws Exception {
        return new HttpMarkerApi(uri(), trust());
    }

    /** The exam and the task's criteria, once per JVM. */
    public static synchronized void ensureExam() {
        if (examReady) {
            return;
        }
        TestServer s = server();
        String admin = s.adminToken();
        var created = s.post("/api/v1/exams", admin, new JsonObject().put("id", EXAM).put("name", "Client tests")
                .put("scheme", "admission-2026").put("satOn", "2026-06-20").put("subjects", new JsonArray().add("mathematics")));
        if (created.status() != 201 && created.status() != 409) {
            throw new IllegalStateException("exam: " + created.status() + " " + created.error());
        }
        JsonArray clauses = new JsonArray()
                .add(new JsonObject().put("number", 1).put("text", "Correct method and answer").put("mark", "1"))
                .add(new JsonObject().put("number", 2).put("text", "Equation set up, not solved").put("mark", "1/2"))
                .add(new JsonObject().put("number", 3).put("text", "No relevant work").put("mark", "0"));
        var published = s.post("/api/v1/exams/tasks/" + TASK + "/criteria", admin, new JsonObject().put("note", "first version")
                .put("clauses", clauses));
        if (published.status() != 201) {
            throw new IllegalStateException("criteria: " + published.status() + " " + published.error());
        }
        examReady = true;
    }

    /** A new marker of the exam; returns the user name (the password is {@link #password}). */
    public static String newMarker(String prefix) {
        String name = prefix + "-" + USERS.incrementAndGet();
        server().createUser(name, "marker", EXAM);
        return name;
    }

    public static String password(String username) {
        return "password-of-" + username; // as TestServer.createUser sets it
    }
}

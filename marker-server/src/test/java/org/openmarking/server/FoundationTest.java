package org.openmarking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer.Reply;

/** The running node: health, errors, accounts, roles and the API description. */
class FoundationTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.shared();
    }

    @Test
    void healthReportsTheDatabaseUpAndTheVersion() {
        Reply r = server.get("/health", null);
        assertEquals(200, r.status());
        assertEquals("up", r.json().getString("database"));
        assertEquals(ServerApp.VERSION, r.json().getString("version"));
    }

    @Test
    void theApiNeedsALogin() {
        Reply r = server.get("/api/v1/auth/me", null);
        assertEquals(401, r.status());
        assertTrue(r.error().contains("log in"), r.error());
        assertEquals(401, server.get("/api/v1/admin/users", "not-a-token").status());
    }

    @Test
    void aMarkerIsRefusedAnAdminEndpoint() {
        String marker = server.createUser("marker-refused", "marker", "*");
        Reply me = server.get("/api/v1/auth/me", marker);
        assertEquals(200, me.status());
        assertEquals("marker", me.json().getJsonArray("roles").getJsonObject(0).getString("role"));
        Reply r = server.get("/api/v1/admin/users", marker);
        assertEquals(403, r.status());
        assertTrue(r.error().contains("admin"), r.error());
        Reply create = server.post("/api/v1/admin/users", marker, new JsonObject().put("username", "sneaky").put("password", "123456789012345")
                .put("roles", new JsonArray().add(new JsonObject().put("role", "admin"))));
        assertEquals(403, create.status());
        assertFalse(server.get("/api/v1/admin/users", server.adminToken()).json().encode().contains("sneaky"));
    }

    @Test
    void aWrongPasswordIsRefusedAndLogoutEndsTheSession() {
        server.createUser("marker-logout", "marker", "*");
        Reply wrong = server.post("/api/v1/auth/login", null, new JsonObject().put("username", "marker-logout").put("password", "guess guess guess"));
        assertEquals(401, wrong.status());
        assertEquals("wrong user name or password", wrong.error());
        Reply unknown = server.post("/api/v1/auth/login", null, new JsonObject().put("username", "nobody-here").put("password", "guess guess guess"));
        assertEquals(wrong.error(), unknown.error(), "an unknown user is indistinguishable from a wrong password");
        String token = server.login("marker-logout", "password-of-marker-logout");
        assertEquals(204, server.post("/api/v1/auth/logout", token, null).status());
        assertEquals(401, server.get("/api/v1/auth/me", token).status());
    }

    @Test
    void repeatedFailedLoginsAreRateLimited() {
        server.createUser("marker-guessed", "marker", "*");
        JsonObject guess = new JsonObject().put("username", "marker-guessed").put("password", "not the password");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, server.post("/api/v1/auth/login", null, guess).status());
        }
        Reply limited = server.post("/api/v1/auth/login", null, guess);
        assertEquals(429, limited.status());
        assertTrue(limited.error().contains("too many failed logins"), limited.error());
        // even the right password waits until the window has passed
        Reply right = server.post("/api/v1/auth/login", null, new JsonObject().put("username", "marker-guessed")
                .put("password", "password-of-marker-guessed"));
        assertEquals(429, right.status());
    }

    @Test
    void badRequestsGetA4xxWithAMessageAndNoStackTrace() {
        String admin = server.adminToken();
        Reply notJson = server.call(HttpMethod.POST, "/api/v1/auth/login", null, null);
        assertEquals(400, notJson.status());
        Reply shortPassword = server.post("/api/v1/admin/users", admin, new JsonObject().put("username", "x-short").put("password", "short")
                .put("roles", new JsonArray().add(new JsonObject().put("role", "marker"))));
        assertEquals(400, shortPassword.status());
        assertTrue(shortPassword.error().contains("at least 12"), shortPassword.error());
        Reply badRole = server.post("/api/v1/admin/users", admin, new JsonObject().put("username", "x-role").put("password", "123456789012345")
                .put("roles", new JsonArray().add(new JsonObject().put("role", "wizard"))));
        assertEquals(400, badRole.status());
        assertTrue(badRole.error().contains("'wizard' is not a role"), badRole.error());
        Reply missing = server.get("/api/v1/nothing-here", admin);
        assertEquals(404, missing.status());
        for (Reply r : new Reply[] {notJson, shortPassword, badRole, missing}) {
            assertFalse(r.raw().bodyAsString().contains("at org."), "no stack trace in " + r.raw().bodyAsString());
        }
        server.createUser("x-twice", "marker", "*");
        Reply twice = server.post("/api/v1/admin/users", admin, new JsonObject().put("username", "x-twice").put("password", "123456789012345")
                .put("roles", new JsonArray().add(new JsonObject().put("role", "marker"))));
        assertEquals(409, twice.status());
    }

    @Test
    void schemesCanBeListedAndAppliedByTheBoard() {
        String admin = server.adminToken();
        Reply list = server.get("/api/v1/exams/schemes", admin);
        assertEquals(200, list.status());
        assertEquals(4, list.json().getJsonArray("schemes").size());
        JsonObject written = new JsonObject().put("19", "1").put("20", "2/3").put("21", "1/2").put("22", "1/3").put("23", "0").put("24", "0").put("25", "1");
        JsonArray correct = new JsonArray().add(1).add(2).add(3).add(4).add(5).add(6).add(7).add(8).add(9).add(10).add(14).add(15).add(16);
        Reply r = server.post("/api/v1/exams/schemes/admission-2026/score", admin, new JsonObject()
                .put("subjects", new JsonObject().put("mathematics", new JsonObject().put("correct", correct).put("written", written))));
        assertEquals(200, r.status(), String.valueOf(r.error()));
        assertEquals("62.5", r.json().getJsonObject("subjects").getJsonObject("mathematics").getString("published"));
        Reply offScale = server.post("/api/v1/exams/schemes/admission-2026/score", admin, new JsonObject()
                .put("subjects", new JsonObject().put("mathematics", new JsonObject().put("written", new JsonObject().put("19", "0.3")))));
        assertEquals(400, offScale.status());
        assertTrue(offScale.error().contains("'0.3' is not a mark"), offScale.error());
        String marker = server.createUser("marker-schemes", "marker", "*");
        assertEquals(403, server.get("/api/v1/exams/schemes", marker).status());
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() {
        Reply doc = server.get("/api/v1/openapi.json", null);
        assertEquals(200, doc.status());
        JsonObject paths = doc.json().getJsonObject("paths");
        assertNotNull(paths);
        Set<String> described = new HashSet<>(paths.fieldNames());
        Set<String> served = new HashSet<>();
        collect(server.app().router(), "", served);
        // The dashboard's static pages are not API: they hold no data and call these routes.
        served.removeIf(p -> p.isEmpty() || p.equals("/") || p.startsWith("/dashboard"));
        for (String p : served) {
            assertTrue(described.contains(p), "route " + p + " is served but not in openapi.json");
        }
        for (String p : described) {
            assertTrue(served.contains(p), "openapi.json describes " + p + " which is not served");
        }
    }

    private static void collect(io.vertx.ext.web.Router router, String prefix, Set<String> out) {
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null) {
                continue;
            }
            String full = prefix + path.replaceAll(":([a-zA-Z]+)", "{$1}");
            if (route.getSubRouter() != null) {
                collect(route.getSubRouter(), prefix + path.replaceAll("/$", ""), out);
            } else if (!full.equals("/api/")) {
                out.add(full.replaceAll("(.)/$", "$1"));
            }
        }
    }
}

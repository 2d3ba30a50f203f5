package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.face.presence.PresenceSweeper;
import org.openmarking.server.face.sim.DemoFaces;
import org.openmarking.server.face.sim.FaceCheckResponder;
import org.openmarking.server.face.sim.SimulatedCamera;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.marking.MarkingFixture;
import org.openmarking.server.presence.PresenceGate;

/**
 * Face presence over HTTP against a real node: enrolment, the check at login, passing with a
 * synthetic head turn, every failure reason, pause then suspension with its evidence and the
 * chief examiner's decision, timeouts, random and seed-triggered checks, and the gate the
 * marking engine asks.
 */
class FacePresenceHttpTest {
    private static PresenceNode node;
    private static SimulatedCamera camera;
    private static String admin;
    private static int users;

    @BeforeAll
    static void start() throws Exception {
        FaceTestData.models();
        node = PresenceNode.start(Map.of());
        camera = new SimulatedCamera(FaceTestData.engine(), 7);
        admin = node.admin();
        node.createUser("chief-demo", "chief_examiner", "demo26");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** A fresh marker in exam demo26, enrolled from {@code person}'s {@code file}; returns id and token. */
    private record Marker(String name, UUID id, String token) {
    }

    private static Marker enrolled(String person, String file) {
        String name = "marker-" + (++users);
        UUID id = node.createUser(name, "marker", "demo26");
        Reply r = enroll(admin, name, FaceTestData.photoBytes(person, file));
        assertEquals(201, r.status(), String.valueOf(r.json()));
        return new Marker(name, id, node.login(name, PresenceNode.password(name)));
    }

    private static Reply enroll(String token, String name, byte[]... photos) {
        JsonArray a = new JsonArray();
        for (byte[] p : photos) {
            a.add(Base64.getEncoder().encodeToString(p));
        }
        return node.post("/api/v1/face/enrollments/" + name, token, new JsonObject().put("photos", a));
    }

    private static JsonObject open(Marker m) {
        Reply r = node.post("/api/v1/face/checks", m.token(), null);
        assertTrue(r.status() == 201 || r.status() == 200, r.status() + " " + r.json());
        assertEquals(8, r.json().getInteger("frames"));
        assertEquals(150, r.json().getInteger("intervalMs"));
        return r.json();
    }

    private static Reply send(Marker m, JsonObject check, List<byte[]> frames) {
        JsonArray a = new JsonArray();
        frames.forEach(f -> a.add(Base64.getEncoder().encodeToString(f)));
        return node.post("/api/v1/face/checks/" + check.getString("checkId") + "/burst", m.token(), new JsonObject().put("frames", a));
    }

    /** Opens the due check and answers it with a head turn of {@code person}; returns the verdict. */
    private static JsonObject answer(Marker m, String person, String file) throws Exception {
        JsonObject check = open(m);
        List<byte[]> burst = camera.burst(FaceTestData.photoBytes(person, file),
                Challenge.Direction.valueOf(check.getString("challenge")), check.getInteger("frames"));
        Reply r = send(m, check, burst);
        assertEquals(200, r.status(), String.valueOf(r.json()));
        return r.json();
    }

    private static void assertPass(Marker m, JsonObject verdict) {
        if (!"PASS".equals(verdict.getString("result"))) {
            String detail = TestServer.await(node.app.context().database().pool().preparedQuery(
                    "select reason || ': ' || detail from face_checks where marker_id = $1 and status = 'failed'"
                            + " order by answered_at desc limit 1").execute(Tuple.of(m.id()))).iterator().next().getString(0);
            throw new AssertionError("expected PASS, got " + verdict.encode() + " (" + detail + ")");
        }
    }

    private static String state(Marker m) {
        Reply r = node.get("/api/v1/face/status", m.token());
        assertEquals(200, r.status(), String.valueOf(r.json()));
        return r.json().getString("state");
    }

    private static String liveTask;

    /** A task of exam demo26 (the markers' scope) marked live without calibration, with open responses. */
    private static synchronized String liveTask() {
        if (liveTask == null) {
            Reply created = node.post("/api/v1/exams", admin, new JsonObject().put("id", "demo26").put("scheme", "state-language-2026"));
            assertEquals(201, created.status(), String.valueOf(created.json()));
            String task = created.json().getJsonArray("tasks").getString(0);
            assertEquals(201, node.post("/api/v1/exams/tasks/" + task + "/criteria", admin, MarkingFixture.criteria(false)).status());
            assertEquals(200, node.call(HttpMethod.PUT, "/api/v1/quality/tasks/" + task + "/settings", admin,
                    MarkingFixture.plain()).status());
            MarkingFixture.responses(node.app.context(), task, 5, null, null);
            liveTask = task;
        }
        return liveTask;
    }

    /** The code the gate refuses with, or null when it lets the marker work. */
    private static String gate(Marker m) {
        try {
            TestServer.await(node.presence().requireClear(m.id()));
            return null;
        } catch (ApiException e) {
            assertEquals(409, e.status());
            return e.code();
        }
    }

    private static List<String> audit(String action, String subject) {
        List<String> out = new ArrayList<>();
        for (Row r : TestServer.await(node.app.context().database().pool()
                .preparedQuery("select detail from audit_log where action = $1 and subject = $2 order by id").execute(Tuple.of(action, subject)))) {
            out.add(r.getJson("detail").toString());
        }
        return out;
    }

    @Test
    void enrolledMarkerMustPassACheckAfterLoginThenWorks() throws Exception {
        Marker m = enrolled("obama", "obama.jpg");
        Reply enrolment = node.get("/api/v1/face/enrollments/" + m.name(), admin);
        assertEquals(true, enrolment.json().getBoolean("enrolled"));
        assertEquals(true, enrolment.json().getBoolean("usable"));
        assertFalse(enrolment.raw().bodyAsString().contains("photo\":\""), "no image in the status");

        assertEquals(PresenceGate.FACE_CHECK_DUE, gate(m), "the first work after a login needs a check");
        Reply status = node.get("/api/v1/face/status", m.token());
        assertEquals("CHECK_DUE", status.json().getString("state"));
        assertEquals("LOGIN", status.json().getString("trigger"));

        JsonObject check = open(m);
        assertEquals(check.getString("checkId"), open(m).getString("checkId"), "asking again gives the same open challenge");
        assertEquals(check.getString("challenge"), node.get("/api/v1/face/status", m.token()).json().getString("challenge"));
        List<byte[]> burst = camera.burst(FaceTestData.photoBytes("obama", "obama2.jpg"),
                Challenge.Direction.valueOf(check.getString("challenge")), 8);
        JsonObject verdict = send(m, check, burst).json();
        assertEquals("PASS", verdict.getString("result"), verdict.encode());
        assertNull(verdict.getString("reason"));
        assertEquals("OK", state(m));
        assertNull(gate(m));
        assertEquals(409, send(m, check, burst).status(), "a decided check takes no second burst");

        List<String> passed = audit("presence.passed", m.name());
        assertEquals(1, passed.size());
        assertTrue(audit("face.enrolled", m.name()).get(0).contains("\"accepted\":1"));
        String allAudit = TestServer.await(node.app.context().database().pool().query("select string_agg(detail::text, ' ') from audit_log")
                .execute()).iterator().next().getString(0);
        assertFalse(allAudit.contains(Base64.getEncoder().encodeToString(burst.get(0)).substring(0, 40)), "no image in the audit log");

        // A new login needs a new check.
        node.clock.advance(Duration.ofSeconds(1));
        Marker again = new Marker(m.name(), m.id(), node.login(m.name(), PresenceNode.password(m.name())));
        node.clock.advance(Duration.ofSeconds(1));
        assertEquals(PresenceGate.FACE_CHECK_DUE, gate(again));
    }

    @Test
    void theMarkingEnginesAllocationAsksTheGate() throws Exception {
        Marker m = enrolled("rose_leslie", "img1.jpg");
        String next = "/api/v1/marking/tasks/demo26.math.1/next";
        Reply refused = node.post(next, m.token(), null);
        assertEquals(409, refused.status(), String.valueOf(refused.json()));
        assertEquals(PresenceGate.FACE_CHECK_DUE, refused.json().getString("code"));
        assertPass(m, answer(m, "rose_leslie", "img2.jpg"));
        Reply after = node.post(next, m.token(), null);
        String code = after.json() == null ? null : after.json().getString("code");
        assertTrue(code == null || !List.of(PresenceGate.FACE_CHECK_DUE, PresenceGate.PRESENCE_PAUSED,
                        PresenceGate.PRESENCE_SUSPENDED).contains(code),
                "after the pass the marking engine goes on to its own checks: " + after.status() + " " + after.json());
    }

    @Test
    void anAnswersImageIsShownOnlyWhileTheMarkerIsClear() throws Exception {
        String task = liveTask();
        Marker m = enrolled("obama", "obama.jpg");
        assertPass(m, answer(m, "obama", "obama2.jpg"));
        Reply work = node.post("/api/v1/marking/tasks/" + task + "/next", m.token(), null);
        assertEquals(200, work.status(), String.valueOf(work.json()));
        String image = "/api/v1/marking/responses/" + work.json().getString("responseId") + "/image";
        Reply shown = node.get(image, m.token());
        assertEquals(200, shown.status(), String.valueOf(shown.json()));
        assertTrue(shown.raw().body().length() > 0);

        // A new login needs a new check: until it passes, the leased answer is not shown either.
        node.clock.advance(Duration.ofSeconds(1));
        Marker again = new Marker(m.name(), m.id(), node.login(m.name(), PresenceNode.password(m.name())));
        node.clock.advance(Duration.ofSeconds(1));
        Reply refused = node.get(image, again.token());
        assertEquals(409, refused.status(), String.valueOf(refused.json()));
        assertEquals(PresenceGate.FACE_CHECK_DUE, refused.json().getString("code"));

        // A different person at the screen: paused, and still nothing shown.
        JsonObject verdict = answer(again, "biden", "biden.jpg");
        assertEquals("FAIL", verdict.getString("result"));
        Reply paused = node.get(image, again.token());
        assertEquals(409, paused.status(), String.valueOf(paused.json()));
        assertEquals(PresenceGate.PRESENCE_PAUSED, paused.json().getString("code"));

        assertPass(again, answer(again, "obama", "obama2.jpg"));
        assertEquals(200, node.get(image, again.token()).status(), "the marker's lease stands once the right person is back");
    }

    @Test
    void aDifferentPersonPausesWithOneRetryAndTheRightPersonResumes() throws Exception {
        Marker m = enrolled("rose_leslie", "img1.jpg");
        node.watch(m.id());
        JsonObject verdict = answer(m, "biden", "biden.jpg");
        assertEquals("FAIL", verdict.getString("result"));
        assertEquals("DIFFERENT_PERSON", verdict.getString("reason"));
        assertTrue(verdict.getBoolean("retryAllowed"));
        assertEquals("PAUSED", state(m));
        assertEquals(PresenceGate.PRESENCE_PAUSED, gate(m));
        assertTrue(node.pushTypes(m.id()).contains("paused"), node.pushTypes(m.id()).toString());

        JsonObject retry = answer(m, "rose_leslie", "img2.jpg");
        assertEquals("PASS", retry.getString("result"), retry.encode());
        assertNull(gate(m));
        assertTrue(node.holds.calls.stream().noneMatch(c -> c.contains(m.id().toString())), "a passed retry holds nothing");
    }

    @Test
    void noFaceTwoFacesStillPhotoAndReplayFailWithTheirReason() throws Exception {
        Marker m = enrolled("kit_harington", "john1.jpeg");
        FaceEngine engine = FaceTestData.engine();
        List<byte[]> empty = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            empty.add(SyntheticFrames.texture(100 + i));
        }
        assertEquals("NO_FACE", send(m, open(m), empty).json().getString("reason"));
        assertEquals(PresenceGate.PRESENCE_PAUSED, gate(m));
        assertPass(m, answer(m, "kit_harington", "john2.jpeg"));

        byte[] two = SyntheticFrames.sideBySide(engine, FaceTestData.photoBytes("kit_harington", "john2.jpeg"),
                FaceTestData.photoBytes("obama", "obama2.jpg"));
        node.clock.advance(Duration.ofMinutes(11));
        assertEquals(PresenceGate.FACE_CHECK_DUE, gate(m), "a random check falls due within 10 minutes");
        List<byte[]> twoFaces = new ArrayList<>(camera.burst(FaceTestData.photoBytes("kit_harington", "john2.jpeg"),
                Challenge.Direction.TURN_LEFT, 8));
        twoFaces.set(4, two);
        assertEquals("SEVERAL_FACES", send(m, open(m), twoFaces).json().getString("reason"));
        JsonObject ok = answer(m, "kit_harington", "john2.jpeg");
        assertEquals("PASS", ok.getString("result"), ok.encode());

        node.clock.advance(Duration.ofMinutes(11));
        byte[] still = camera.burst(FaceTestData.photoBytes("kit_harington", "john2.jpeg"), Challenge.Direction.TURN_LEFT, 1).get(0);
        assertEquals("LIVENESS_FAILED", send(m, open(m), Collections.nCopies(8, still)).json().getString("reason"));
        JsonObject check = open(m);
        List<byte[]> burst = camera.burst(FaceTestData.photoBytes("kit_harington", "john2.jpeg"),
                Challenge.Direction.valueOf(check.getString("challenge")), 8);
        assertEquals("PASS", send(m, check, burst).json().getString("result"));

        node.clock.advance(Duration.ofMinutes(11));
        JsonObject next = open(m);
        assertEquals("REPLAY", send(m, next, burst).json().getString("reason"), "the same burst sent again is a replay");
    }

    @Test
    void anUnreadableBurstIsRefusedAndLeavesTheCheckOpen() {
        Marker m = enrolled("obama", "obama.jpg");
        JsonObject check = open(m);
        Reply bad = node.post("/api/v1/face/checks/" + check.getString("checkId") + "/burst", m.token(),
                new JsonObject().put("frames", new JsonArray().add("not base64!")));
        assertEquals(400, bad.status());
        Reply tooFew = send(m, check, List.of(SyntheticFrames.texture(1), SyntheticFrames.texture(2)));
        assertEquals(400, tooFew.status());
        assertTrue(tooFew.error().contains("frames"), tooFew.error());
        assertEquals("CHECK_DUE", state(m));
        assertEquals(404, node.post("/api/v1/face/checks/" + UUID.randomUUID() + "/burst", m.token(),
                new JsonObject().put("frames", new JsonArray().add("x"))).status());
    }

    @Test
    void anUnansweredCheckTimesOutThenAnIssuedRetryTimesOutToSuspension() throws Exception {
        Marker m = enrolled("obama", "obama.jpg");
        JsonObject check = open(m);
        node.clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        Reply status = node.get("/api/v1/face/status", m.token());
        assertEquals("PAUSED", status.json().getString("state"));
        assertTrue(status.json().getBoolean("retryAllowed"));
        Reply late = send(m, check, camera.burst(FaceTestData.photoBytes("obama", "obama2.jpg"),
                Challenge.Direction.valueOf(check.getString("challenge")), 8));
        assertEquals(409, late.status());
        assertEquals("face-check-closed", late.json().getString("code"));
        assertTrue(audit("presence.failed", m.name()).get(0).contains("TIMEOUT"));

        node.clock.advance(Duration.ofMinutes(30));
        assertEquals("PAUSED", state(m), "a paused marker's retry has no deadline until its challenge is issued");
        open(m);
        node.clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertEquals(1, TestServer.await(node.presence().sweeper().sweep()) >= 0 ? 1 : 0);
        assertEquals("SUSPENDED", state(m));
        assertEquals(PresenceGate.PRESENCE_SUSPENDED, gate(m));
    }

    @Test
    void twoFailuresSuspendHoldMarksKeepEvidenceAndTheChiefExaminerDecides() throws Exception {
        Marker m = enrolled("biden", "biden2.jpg");
        assertPass(m, answer(m, "biden", "biden.jpg"));
        String passedAt = TestServer.await(node.app.context().database().pool()
                .preparedQuery("select last_passed_at from presence where marker_id = $1").execute(Tuple.of(m.id())))
                .iterator().next().getOffsetDateTime(0).toInstant().toString();
        UUID chief = TestServer.await(node.app.context().database().pool()
                .query("select id from users where username = 'chief-demo'").execute()).iterator().next().getUUID(0);
        node.watch(m.id());
        node.watchExam("demo26");
        String chiefToken = node.login("chief-demo", PresenceNode.password("chief-demo"));

        node.clock.advance(Duration.ofMinutes(11));
        assertEquals(PresenceGate.FACE_CHECK_DUE, gate(m));
        assertEquals("DIFFERENT_PERSON", answer(m, "obama", "obama2.jpg").getString("reason"));
        JsonObject second = answer(m, "rose_leslie", "img2.jpg");
        assertEquals("FAIL", second.getString("result"));
        assertFalse(second.getBoolean("retryAllowed"));
        assertEquals("SUSPENDED", second.getString("state"));
        assertEquals(PresenceGate.PRESENCE_SUSPENDED, gate(m));
        assertTrue(node.pushTypes(m.id()).contains("suspended"));
        List<String> told = node.examPushes("demo26").stream().map(p -> p.getString("type")).toList();
        assertEquals(List.of("presence-failed", "presence-paused", "presence-failed", "presence-suspended"), told,
                "the dashboards of the marker's exam hear of each failure, the pause and the suspension");
        JsonObject suspension = node.examPushes("demo26").get(3).getJsonObject("data");
        assertEquals(m.name(), suspension.getString("marker"));
        assertEquals(new JsonArray().add("demo26"), suspension.getJsonArray("covers"), "shown to chief examiners covering the marker");
        assertTrue(node.holds.calls.contains("hold " + m.id() + " since " + passedAt), node.holds.calls.toString());

        JsonArray suspended = node.get("/api/v1/face/presence/suspended", chiefToken).json().getJsonArray("markers");
        JsonObject entry = suspended.stream().map(JsonObject.class::cast).filter(o -> o.getString("marker").equals(m.name()))
                .findFirst().orElseThrow();
        assertTrue(entry.getBoolean("marksHeld"));
        JsonArray failed = entry.getJsonArray("checks");
        assertEquals(2, failed.size());
        JsonObject withEvidence = failed.getJsonObject(1);
        assertTrue(withEvidence.getBoolean("evidence"));
        assertFalse(failed.getJsonObject(0).getBoolean("evidence"), "a first failure keeps no frames");
        String evidencePath = "/api/v1/face/presence/" + m.name() + "/checks/" + withEvidence.getString("checkId") + "/evidence";
        Reply evidence = node.get(evidencePath, chiefToken);
        assertEquals(200, evidence.status());
        assertEquals(8, evidence.json().getJsonArray("frames").size());
        assertEquals(1, audit("face.evidence-viewed", m.name()).size());
        String outsider = "chief-other";
        node.createUser(outsider, "chief_examiner", "other26");
        assertEquals(403, node.get(evidencePath, node.login(outsider, PresenceNode.password(outsider))).status());
        assertEquals(403, node.get(evidencePath, m.token()).status(), "markers never see evidence");

        Reply eventsReply = node.get("/api/v1/face/presence/events", chiefToken);
        assertEquals(200, eventsReply.status(), String.valueOf(eventsReply.json()));
        JsonArray events = eventsReply.json().getJsonArray("events");
        List<String> kinds = events.stream().map(JsonObject.class::cast).filter(o -> o.getString("marker").equals(m.name()))
                .map(o -> o.getString("kind")).toList();
        assertTrue(kinds.containsAll(List.of("suspended", "paused", "failed", "passed", "check-due", "marks-held")), kinds.toString());

        // Totals are every event of the exam's markers, counted by the server, per marker and summed.
        Reply totals = node.get("/api/v1/face/presence/totals?exam=demo26", chiefToken);
        assertEquals(200, totals.status(), String.valueOf(totals.json()));
        JsonObject mine = totals.json().getJsonArray("markers").stream().map(JsonObject.class::cast)
                .filter(o -> o.getString("marker").equals(m.name())).findFirst().orElseThrow();
        assertEquals(1, mine.getInteger("passed"));
        assertEquals(2, mine.getInteger("failed"));
        assertEquals(1, mine.getInteger("paused"));
        assertEquals(1, mine.getInteger("suspended"));
        assertEquals("SUSPENDED", mine.getString("state"));
        assertEquals(2, mine.getJsonObject("failureReasons").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum());
        assertTrue(mine.getJsonObject("failureReasons").getLong("DIFFERENT_PERSON") >= 1, mine.encode());
        long examFailed = TestServer.await(node.app.context().database().pool().query("select count(*) from presence_events e"
                + " join user_roles r on r.user_id = e.marker_id and r.role = 'marker' and r.scope = 'demo26' where e.kind = 'failed'")
                .execute()).iterator().next().getLong(0);
        assertEquals(examFailed, totals.json().getJsonObject("totals").getLong("failed"), "the exam's sum over its markers");
        assertEquals(403, node.get("/api/v1/face/presence/totals?exam=demo26", node.login(outsider, PresenceNode.password(outsider)))
                .status(), "another exam's chief examiner sees no figures of this one");

        Reply bad = node.post("/api/v1/face/presence/" + m.name() + "/decision", chiefToken,
                new JsonObject().put("decision", "reinstate").put("marks", "hold"));
        assertEquals(400, bad.status());
        Reply decided = node.post("/api/v1/face/presence/" + m.name() + "/decision", chiefToken,
                new JsonObject().put("decision", "reinstate").put("marks", "accept").put("note", "poor light, confirmed by phone"));
        assertEquals(200, decided.status(), String.valueOf(decided.json()));
        assertEquals(PresenceNode.RecordingMarkHolds.COUNT, decided.json().getInteger("marksChanged"));
        assertTrue(node.holds.calls.stream().anyMatch(c -> c.startsWith("release " + m.id() + " accept by " + chief)));
        assertEquals(1, audit("presence.reinstated", m.name()).size());
        assertEquals(PresenceGate.FACE_CHECK_DUE, gate(m), "a reinstated marker passes a fresh check first");
        assertEquals("REINSTATED", node.get("/api/v1/face/status", m.token()).json().getString("trigger"));
        assertPass(m, answer(m, "biden", "biden.jpg"));
        assertEquals(409, node.post("/api/v1/face/presence/" + m.name() + "/decision", chiefToken,
                new JsonObject().put("decision", "keep-suspended").put("marks", "withdraw")).status());
    }

    @Test
    void randomChecksArePushedBySweepAndAMissedSeedBringsOneSoon() throws Exception {
        Marker m = enrolled("rose_leslie", "img1.jpg");
        assertPass(m, answer(m, "rose_leslie", "img2.jpg"));
        node.watch(m.id());
        node.clock.advance(Duration.ofMinutes(4));
        assertNull(gate(m), "no check within 5 minutes of a pass");
        node.clock.advance(Duration.ofMinutes(6).plusSeconds(1));
        TestServer.await(node.presence().sweeper().sweep());
        assertTrue(node.pushTypes(m.id()).contains("face-check"), node.pushTypes(m.id()).toString());
        assertEquals("CHECK_DUE", state(m));
        assertEquals("RANDOM", node.get("/api/v1/face/status", m.token()).json().getString("trigger"));
        assertPass(m, answer(m, "rose_leslie", "img2.jpg"));

        TestServer.await(node.presence().seedMissed(m.id()));
        assertNull(gate(m), "not at once: the check must not tell the marker which answer was a seed");
        node.clock.advance(Duration.ofSeconds(151));
        assertEquals(PresenceGate.FACE_CHECK_DUE, gate(m));
        assertEquals("SEED", node.get("/api/v1/face/status", m.token()).json().getString("trigger"));
    }

    @Test
    void enrolmentChecksPhotosRolesAndScope() {
        String name = "marker-enrol";
        node.createUser(name, "marker", "demo26");
        String markerToken = node.login(name, PresenceNode.password(name));
        byte[] photo = FaceTestData.photoBytes("obama", "obama.jpg");
        assertEquals(403, enroll(markerToken, name, photo).status(), "a marker cannot enrol");
        node.createUser("chief-elsewhere", "chief_examiner", "other26");
        assertEquals(403, enroll(node.login("chief-elsewhere", PresenceNode.password("chief-elsewhere")), name, photo).status());
        assertEquals(404, enroll(admin, "nobody-by-this-name", photo).status());

        Reply rejected = enroll(admin, name, SyntheticFrames.texture(5));
        assertEquals(422, rejected.status());
        assertEquals("NO_FACE", rejected.json().getJsonArray("photos").getJsonObject(0).getString("problem"));
        assertFalse(node.get("/api/v1/face/enrollments/" + name, admin).json().getBoolean("enrolled"));
        assertEquals(409, node.post("/api/v1/face/checks", markerToken, null).status(), "not enrolled: no check");
        ApiException notEnrolled = assertThrows(ApiException.class, () -> TestServer.await(node.presence().requireClear(
                UUID.fromString(node.get("/api/v1/auth/me", markerToken).json().getString("id")))));
        assertEquals("face-not-enrolled", notEnrolled.code(), "the gate names the reason, and starts no deadline");
        assertEquals("face-not-enrolled", node.get("/api/v1/face/status", markerToken).json().getString("code"));
        assertEquals("face-not-enrolled", node.post("/api/v1/face/checks", markerToken, null).json().getString("code"));

        String chiefToken = node.login("chief-demo", PresenceNode.password("chief-demo"));
        Reply ok = enroll(chiefToken, name, photo, SyntheticFrames.texture(6));
        assertEquals(201, ok.status(), String.valueOf(ok.json()));
        assertEquals(1, ok.json().getLong("accepted"));
        assertEquals("NO_FACE", ok.json().getJsonArray("photos").getJsonObject(1).getString("problem"));
        assertEquals(409, enroll(admin, name, photo).status(), "already enrolled");
        String ref = TestServer.await(node.app.context().database().pool().preparedQuery(
                "select b.kind from face_enrollments e join blobs b on b.ref = e.template_ref where e.deleted_at is null"
                        + " and e.marker_id = (select id from users where username = $1)").execute(Tuple.of(name))).iterator().next().getString(0);
        assertEquals("face-template", ref);

        assertEquals(200, node.call(HttpMethod.DELETE, "/api/v1/face/enrollments/" + name, chiefToken, null).status());
        assertEquals(404, node.call(HttpMethod.DELETE, "/api/v1/face/enrollments/" + name, chiefToken, null).status());
        assertEquals(201, enroll(admin, name, photo).status(), "re-enrolment after delete");
        assertEquals(2, audit("face.enrolled", name).size());
        assertEquals(1, audit("face.enrollment-deleted", name).size());
    }

    /** The marker's current enrolment's template blob. */
    private static String templateRef(Marker m) {
        return TestServer.await(node.app.context().database().pool().preparedQuery(
                "select template_ref from face_enrollments where marker_id = $1 and deleted_at is null")
                .execute(Tuple.of(m.id()))).iterator().next().getString(0);
    }

    private static boolean erasedInRegistry(String ref) {
        return TestServer.await(node.app.context().database().pool().preparedQuery("select erased_at is not null from blobs where ref = $1")
                .execute(Tuple.of(ref))).iterator().next().getBoolean(0);
    }

    @Test
    void aDeletedEnrolmentsTemplatesAreErasedForGoodEvenAfterACrash() throws Exception {
        Marker m = enrolled("obama", "obama.jpg");
        Marker other = enrolled("biden", "biden.jpg");
        String ref = templateRef(m);
        assertTrue(node.app.context().blobs().exists(ref));

        Reply deleted = node.call(HttpMethod.DELETE, "/api/v1/face/enrollments/" + m.name(), admin, null);
        assertEquals(200, deleted.status(), String.valueOf(deleted.json()));
        assertEquals(true, deleted.json().getBoolean("templatesErased"));
        assertFalse(node.app.context().blobs().exists(ref), "the sealed templates are gone from the blob store");
        assertTrue(erasedInRegistry(ref), "the registry keeps the row, marked erased");
        assertTrue(audit("face.enrollment-deleted", m.name()).get(0).contains(ref));
        assertEquals(409, node.post("/api/v1/face/checks", m.token(), null).status(), "no enrolment, no check");

        // A node that died after the deletion committed but before the bytes went: the next start erases them.
        assertEquals(201, enroll(admin, m.name(), FaceTestData.photoBytes("obama", "obama.jpg")).status());
        String again = templateRef(m);
        TestServer.await(node.app.context().database().pool().withTransaction(tx -> tx.preparedQuery(
                "update face_enrollments set deleted_at = now(), deleted_by = enrolled_by where template_ref = $1").execute(Tuple.of(again))
                .compose(x -> tx.preparedQuery("update blobs set erased_at = now() where ref = $1").execute(Tuple.of(again)))));
        assertTrue(node.app.context().blobs().exists(again));
        // What a starting node does: its presence sweeper finishes the erasure, whatever the check mode.
        String sweeper = TestServer.await(node.app.vertx().deployVerticle(new PresenceSweeper(node.presence(),
                node.app.context().database().pool(), node.clock, Duration.ofHours(1))));
        try {
            java.time.Instant until = java.time.Instant.now().plusSeconds(20);
            while (node.app.context().blobs().exists(again) && java.time.Instant.now().isBefore(until)) {
                Thread.sleep(50);
            }
        } finally {
            TestServer.await(node.app.vertx().undeploy(sweeper));
        }
        assertFalse(node.app.context().blobs().exists(again), "erased by the start-up sweep");
        assertTrue(node.app.context().blobs().exists(templateRef(other)), "a current enrolment's templates are untouched");
        assertEquals(0, TestServer.await(node.presence().enrollments().finishErasures()), "nothing left to erase");
    }

    @Test
    void theDemoEnrolsSixMarkersAndItsResponderPassesTheirChecksOverHttp() throws Exception {
        Map<String, List<java.nio.file.Path>> people = DemoFaces.assign(FaceTestData.shared().resolve("data/faces"));
        assertEquals(List.of("marker1", "marker2", "marker3", "marker4", "marker5", "marker6"), List.copyOf(people.keySet()));
        List<Marker> markers = new ArrayList<>();
        for (String name : people.keySet()) {
            UUID id = node.createUser(name, "marker", "demo26");
            markers.add(new Marker(name, id, node.login(name, PresenceNode.password(name))));
        }
        io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(node.app.vertx(),
                new io.vertx.ext.web.client.WebClientOptions().setSsl(true).setDefaultHost("localhost").setDefaultPort(node.app.port())
                        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(node.app.tls().caCert().toString())));
        try {
            List<String> lines = DemoFaces.enroll(client, admin, people);
            assertTrue(lines.stream().allMatch(l -> l.contains(" enrolled as ")), lines.toString());
            FaceCheckResponder responder = new FaceCheckResponder(node.app.vertx(), client, camera, DemoFaces.cameraPhotos(people));
            for (Marker m : markers) {
                assertEquals(PresenceGate.FACE_CHECK_DUE, gate(m));
                assertPass(m, TestServer.await(responder.apply(m.name(), m.token())));
                assertNull(gate(m));
            }
        } finally {
            client.close();
        }
    }

    @Test
    void theServiceRouteDescribesTheRunningRecognizer() {
        Reply r = node.get("/api/v1/face/service", admin);
        assertEquals("required", r.json().getString("faceChecks"));
        assertTrue(r.json().getString("recognizer").startsWith("fr-feature@"));
        assertEquals(0.348, r.json().getDouble("threshold"), 1e-9);
        assertEquals("required", node.get("/health", null).json().getString("faceChecks"));
        assertEquals(401, node.get("/api/v1/face/service", null).status());
        assertNotNull(node.presence());
        assertThrows(IllegalArgumentException.class, () -> Challenge.Direction.valueOf("TURN_UP"));
    }
}

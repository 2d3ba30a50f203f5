package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.server.marking.MarkingFixture.audits;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefPost;
import static org.openmarking.server.marking.MarkingFixture.lease;
import static org.openmarking.server.marking.MarkingFixture.mark;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.crypto.DirectoryBlobStore;
import org.openmarking.server.marking.MarkingFixture.User;

/** Submissions: every bad input of the issue gets a clear 4xx and changes nothing; resubmission is idempotent. */
class SubmissionTest {

    private static long marks(String responseId) {
        return sql("select count(*) from marks where response_id = $1", responseId).iterator().next().getLong(0);
    }

    private static void refused(Reply r, int status, String code) {
        assertEquals(status, r.status(), r.error());
        if (code != null) {
            assertEquals(code, r.json().getString("code"), r.error());
        }
        assertTrue(r.error() != null && r.error().length() > 10, "a clear message: " + r.error());
    }

    private static Reply escalate(User m, String responseId) {
        return server().post("/api/v1/marking/responses/" + responseId + "/escalate", m.token(),
                new JsonObject().put("id", UUID.randomUUID().toString()).put("reason", "illegible"));
    }

    @Test
    void theSameIdAgainGetsTheSameAnswerAndCountsOnce() {
        String task = task(plain());
        responses(task, 2);
        User m = marker(task);
        JsonObject w = lease(m, task);
        String id = UUID.randomUUID().toString();
        Reply first = mark(m, id, w.getString("responseId"), "2/3", w.getInteger("criteriaVersion"));
        Reply again = mark(m, id, w.getString("responseId"), "2/3", w.getInteger("criteriaVersion"));
        assertEquals(201, first.status(), first.error());
        assertEquals(201, again.status());
        assertEquals(first.json(), again.json());
        assertEquals(new JsonObject().put("id", id).put("status", "accepted"), first.json());
        assertEquals(1, marks(w.getString("responseId")));
        assertEquals(1, audits("mark.submitted", w.getString("responseId")));
        refused(mark(m, id, w.getString("responseId"), "1", w.getInteger("criteriaVersion")), 409, "id-reused");
        refused(mark(m, w.getString("responseId"), "1", w.getInteger("criteriaVersion")), 409, "already-marked");
        assertEquals(1, marks(w.getString("responseId")));
    }

    @Test
    void copiesOfOneSubmissionRacingEachOtherCountOnceAndAllGetTheSameAnswer() throws Exception {
        String task = task(plain());
        responses(task, 1);
        User m = marker(task);
        JsonObject w = lease(m, task);
        String id = UUID.randomUUID().toString();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        java.util.List<java.util.concurrent.Future<Reply>> copies = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            copies.add(pool.submit(() -> mark(m, id, w.getString("responseId"), "1/3", w.getInteger("criteriaVersion"))));
        }
        for (java.util.concurrent.Future<Reply> f : copies) {
            Reply r = f.get();
            assertEquals(201, r.status(), r.error());
            assertEquals(new JsonObject().put("id", id).put("status", "accepted"), r.json());
        }
        pool.shutdown();
        assertEquals(1, marks(w.getString("responseId")));
    }

    @Test
    void badMarksAreRefusedAndChangeNothing() {
        String task = task(plain());
        responses(task, 3);
        User m = marker(task);
        JsonObject w = lease(m, task);
        String rid = w.getString("responseId");
        int version = w.getInteger("criteriaVersion");
        for (String off : new String[] {"0.4", "3/4", "2", "-1", "1/6", "half"}) {
            refused(mark(m, rid, off, version), 400, "mark-off-scale");
        }
        User other = marker(task);
        refused(mark(other, rid, "1", version), 403, "not-leased");
        refused(mark(m, responses(task, 1).get(0), "1", version), 403, "not-leased");
        refused(mark(m, rid, "1", version + 1), 409, "criteria-outdated");
        refused(server().post("/api/v1/marking/marks", m.token(), new JsonObject().put("id", "not-a-uuid").put("responseId", rid)
                .put("mark", "1").put("criteriaVersion", version)), 400, null);
        refused(server().post("/api/v1/marking/marks", m.token(), new JsonObject().put("id", UUID.randomUUID().toString())
                .put("responseId", rid).put("mark", "1")), 400, null);
        refused(server().post("/api/v1/marking/marks", m.token(), new JsonObject().put("id", UUID.randomUUID().toString())
                .put("responseId", rid).put("mark", "1").put("criteriaVersion", version).put("markedAt", "yesterday")), 400, null);
        assertEquals(0, marks(rid));
        assertEquals("open", MarkingFixture.status(rid));
        assertEquals(401, server().post("/api/v1/marking/marks", null, new JsonObject()).status());
        assertEquals(403, server().get("/api/v1/marking/tasks", chief(task).token()).status(), "a chief examiner is not a marker");
        assertEquals(201, mark(m, rid, "1", version).status(), "the lease still stands after the refusals");
    }

    @Test
    void aCriteriaVersionNoLongerInForceIsRefused() {
        String task = task(plain());
        responses(task, 2);
        User m = marker(task);
        JsonObject w = lease(m, task);
        int v2 = MarkingFixture.publishCriteria(task, false);
        Reply old = mark(m, w.getString("responseId"), "1", w.getInteger("criteriaVersion"));
        refused(old, 409, "criteria-outdated");
        assertTrue(old.error().contains("version " + v2), old.error());
        assertEquals(201, mark(m, w.getString("responseId"), "1", v2).status(), "marked again under the version in force");
    }

    @Test
    void aSuspendedMarkerCanNeitherMarkNorBeGivenWork() {
        String task = task(plain());
        responses(task, 3);
        User m = marker(task);
        User chief = chief(task);
        JsonObject w = lease(m, task);
        JsonObject other = lease(m, task);
        Reply s = chiefPost(chief, "/tasks/" + task + "/markers/" + m.id() + "/suspend", new JsonObject().put("reason", "test"));
        assertEquals(200, s.status(), s.error());
        // Suspension released the leases; the marker is told why, not that a lease ran out.
        refused(mark(m, w.getString("responseId"), "1", w.getInteger("criteriaVersion")), 409, "marker-suspended");
        assertEquals(0, marks(w.getString("responseId")));
        refused(escalate(m, other.getString("responseId")), 409, "marker-suspended");
        assertEquals(0L, sql("select count(*) from escalations where marker_id = $1::uuid", m.id()).iterator().next().getLong(0));
        refused(MarkingFixture.next(m, task), 409, "marker-suspended");
        assertEquals(1, audits("marker.suspended", task));
    }

    @Test
    void aMarkerWhoseScopeNoLongerCoversTheTaskLosesItsLeases() {
        String task = task(plain());
        responses(task, 3);
        User m = marker(task);
        JsonObject w = lease(m, task);
        JsonObject other = lease(m, task);
        String rid = w.getString("responseId");
        assertEquals(200, server().get("/api/v1/marking/responses/" + rid + "/image", m.token()).status());
        // The board moves the marker to another exam while they hold two leases.
        sql("update user_roles set scope = 'elsewhere26' where user_id = $1::uuid and role = 'marker'", m.id());
        refused(mark(m, rid, "1", w.getInteger("criteriaVersion")), 403, "out-of-scope");
        refused(server().get("/api/v1/marking/responses/" + rid + "/image", m.token()), 403, "out-of-scope");
        refused(escalate(m, other.getString("responseId")), 403, "out-of-scope");
        refused(MarkingFixture.next(m, task), 403, "out-of-scope");
        assertEquals(0, marks(rid));
        assertEquals("open", MarkingFixture.status(other.getString("responseId")), "nothing was escalated");
    }

    @Test
    void theImageIsServedOnlyToTheLeaseHolderAndNeverWhenTamperedWith() throws Exception {
        String task = task(plain());
        String rid = responses(task, 1).get(0);
        User m = marker(task);
        User other = marker(task);
        assertEquals(rid, lease(m, task).getString("responseId"));
        Reply img = server().get("/api/v1/marking/responses/" + rid + "/image", m.token());
        assertEquals(200, img.status());
        assertEquals("image/png", img.raw().getHeader("content-type"));
        byte[] bytes = img.raw().body().getBytes();
        assertArrayEquals(server().app().context().blobs().get("resp-" + rid.toLowerCase()).orElseThrow(), bytes);
        refused(server().get("/api/v1/marking/responses/" + rid + "/image", other.token()), 403, "not-leased");

        Path file = new DirectoryBlobStore(server().app().context().config().blobsDir()).pathOf("resp-" + rid.toLowerCase());
        byte[] sealed = Files.readAllBytes(file);
        sealed[sealed.length - 5] ^= 0x01;
        Files.write(file, sealed);
        Reply tampered = server().get("/api/v1/marking/responses/" + rid + "/image", m.token());
        assertEquals(500, tampered.status());
        assertEquals("image-tampered", tampered.json().getString("code"));
        assertTrue(tampered.error().contains("integrity"), tampered.error());
        assertEquals(1, audits("blob.tampered", rid));
    }

    @Test
    void anEscalatedResponseWaitsForTheChiefExaminerThenIsMarkedOrReturned() {
        String task = task(plain().put("resolution", new JsonObject().put("independentMarks", 1)));
        String rid = responses(task, 1).get(0);
        User m = marker(task);
        User chief = chief(task);
        assertEquals(rid, lease(m, task).getString("responseId"));
        String id = UUID.randomUUID().toString();
        JsonObject body = new JsonObject().put("id", id).put("reason", "illegible").put("note", "faint scan");
        refused(server().post("/api/v1/marking/responses/" + rid + "/escalate", m.token(), body.copy().put("reason", "boring")), 400, null);
        Reply e = server().post("/api/v1/marking/responses/" + rid + "/escalate", m.token(), body);
        assertEquals(201, e.status(), e.error());
        assertEquals(e.json(), server().post("/api/v1/marking/responses/" + rid + "/escalate", m.token(), body).json(), "idempotent");
        assertEquals("escalated", MarkingFixture.status(rid));
        assertEquals(204, MarkingFixture.next(marker(task), task).status(), "an escalated response is not allocated");

        Reply queue = MarkingFixture.chiefGet(chief, "/tasks/" + task + "/escalations");
        assertEquals(1, queue.json().getJsonArray("escalations").size());
        JsonObject entry = queue.json().getJsonArray("escalations").getJsonObject(0);
        assertEquals("illegible", entry.getString("reason"));
        long escalation = entry.getLong("escalationId");
        Reply returned = chiefPost(chief, "/escalations/" + escalation + "/resolve", new JsonObject().put("action", "return"));
        assertEquals(200, returned.status(), returned.error());
        assertEquals("open", MarkingFixture.status(rid));

        User second = marker(task);
        assertEquals(rid, lease(second, task).getString("responseId"), "back in the pool for someone else");
        assertEquals(201, server().post("/api/v1/marking/responses/" + rid + "/escalate", second.token(),
                new JsonObject().put("id", UUID.randomUUID().toString()).put("reason", "malpractice")).status());
        long again = MarkingFixture.chiefGet(chief, "/tasks/" + task + "/escalations").json().getJsonArray("escalations").getJsonObject(0)
                .getLong("escalationId");
        Reply marked = chiefPost(chief, "/escalations/" + again + "/resolve", new JsonObject().put("action", "mark").put("mark", "1/3"));
        assertEquals(200, marked.status(), marked.error());
        assertEquals("final", MarkingFixture.status(rid));
        assertEquals(2, MarkingFixture.finalSixths(rid));
        assertEquals(2, audits("escalation.resolved", rid));
        User outsider = chief("someother.exam");
        assertEquals(403, chiefPost(outsider, "/escalations/" + again + "/resolve", new JsonObject().put("action", "return")).status());
    }
}

package org.openmarking.server.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;

/** Exams, their tasks, and versioned criteria over the API. */
class ExamRoutesTest {
    private static TestServer server;
    private static String admin;

    @BeforeAll
    static void start() {
        server = TestServer.shared();
        admin = server.adminToken();
    }

    private static JsonObject criteria(String note, String... marks) {
        JsonArray clauses = new JsonArray();
        for (int i = 0; i < marks.length; i++) {
            clauses.add(new JsonObject().put("number", i + 1).put("text", "clause " + (i + 1)).put("mark", marks[i]));
        }
        return new JsonObject().put("note", note).put("clauses", clauses);
    }

    @Test
    void anExamGetsOneTaskPerWrittenItemAndCriteriaAreVersioned() {
        Reply created = server.post("/api/v1/exams", admin, new JsonObject().put("id", "ex-criteria").put("scheme", "admission-2026")
                .put("subjects", new JsonArray().add("mathematics")).put("satOn", "2026-04-12"));
        assertEquals(201, created.status(), created.error());
        JsonArray tasks = created.json().getJsonArray("tasks");
        assertEquals(7, tasks.size(), "mathematics has 7 written items");
        assertEquals("ex-criteria.mathematics.19", tasks.getString(0));

        String task = "ex-criteria.mathematics.19";
        assertEquals(404, server.get("/api/v1/exams/tasks/" + task + "/criteria", admin).status(), "nothing published yet");
        assertEquals(201, server.post("/api/v1/exams/tasks/" + task + "/criteria", admin, criteria("first", "1", "1/2", "0")).status());
        Reply second = server.post("/api/v1/exams/tasks/" + task + "/criteria", admin,
                criteria("accept the graphical method", "1", "2/3", "1/3", "0").put("requiresRecalibration", true));
        assertEquals(201, second.status());

        String marker = server.createUser("marker-reads-criteria", "marker", "*");
        Reply inForce = server.get("/api/v1/exams/tasks/" + task + "/criteria", marker);
        assertEquals(200, inForce.status());
        assertEquals(2, inForce.json().getInteger("version"));
        assertTrue(inForce.json().getBoolean("requiresRecalibration"));
        assertEquals("2/3", inForce.json().getJsonArray("clauses").getJsonObject(1).getString("mark"));
        assertEquals(403, server.post("/api/v1/exams/tasks/" + task + "/criteria", marker, criteria("no", "1")).status());
        assertEquals(200, server.get("/api/v1/exams/tasks/" + task + "/criteria", server.createUser("marker-of-ex-criteria", "marker",
                "ex-criteria")).status(), "a marker of the exam reads its criteria");
        Reply elsewhere = server.get("/api/v1/exams/tasks/" + task + "/criteria", server.createUser("marker-of-another-exam", "marker",
                "ex-other"));
        assertEquals(403, elsewhere.status(), "no role in this exam, no criteria");
        assertTrue(elsewhere.error().contains("outside your scope"), elsewhere.error());

        Reply list = server.get("/api/v1/exams", admin);
        JsonObject exam = list.json().getJsonArray("exams").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("id").equals("ex-criteria")).findFirst().orElseThrow();
        assertEquals(2, exam.getJsonArray("tasks").getJsonObject(0).getInteger("criteriaVersion"));
    }

    @Test
    void aChiefExaminerActsOnlyWithinTheirScope() {
        assertEquals(201, server.post("/api/v1/exams", admin, new JsonObject().put("id", "ex-scope").put("scheme", "admission-2026")).status());
        String chief = server.createUser("chief-maths", "chief_examiner", "ex-scope.mathematics");
        assertEquals(201, server.post("/api/v1/exams/tasks/ex-scope.mathematics.20/criteria", chief, criteria("ok", "1", "0")).status());
        Reply outside = server.post("/api/v1/exams/tasks/ex-scope.native-language.16/criteria", chief, criteria("no", "1", "0"));
        assertEquals(403, outside.status());
        assertTrue(outside.error().contains("outside your scope"), outside.error());
        assertEquals(403, server.post("/api/v1/exams", chief, new JsonObject().put("id", "ex-chief").put("scheme", "admission-2026")).status());
    }

    private static List<String> examIds(Reply list) {
        assertEquals(200, list.status(), list.error());
        return list.json().getJsonArray("exams").stream().map(JsonObject.class::cast).map(e -> e.getString("id")).toList();
    }

    private static List<String> taskIds(Reply list, String exam) {
        return list.json().getJsonArray("exams").stream().map(JsonObject.class::cast).filter(e -> e.getString("id").equals(exam))
                .findFirst().orElseThrow().getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("id")).toList();
    }

    @Test
    void theListOfExamsIsFilteredByScope() {
        JsonObject maths = new JsonObject().put("scheme", "admission-2026").put("subjects", new JsonArray().add("mathematics").add("native-language"));
        assertEquals(201, server.post("/api/v1/exams", admin, maths.copy().put("id", "ex-list-a")).status());
        assertEquals(201, server.post("/api/v1/exams", admin, maths.copy().put("id", "ex-list-b")).status());
        String examChief = server.createUser("chief-list-a", "chief_examiner", "ex-list-a");
        String subjectChief = server.createUser("chief-list-b-maths", "chief_examiner", "ex-list-b.mathematics");

        List<String> all = examIds(server.get("/api/v1/exams", admin));
        assertTrue(all.containsAll(List.of("ex-list-a", "ex-list-b")), "an admin sees every exam: " + all);

        Reply a = server.get("/api/v1/exams", examChief);
        assertEquals(List.of("ex-list-a"), examIds(a), "a chief examiner of one exam sees that exam only");
        assertEquals(taskIds(server.get("/api/v1/exams", admin), "ex-list-a"), taskIds(a, "ex-list-a"), "with all its tasks");

        Reply b = server.get("/api/v1/exams", subjectChief);
        assertEquals(List.of("ex-list-b"), examIds(b), "a chief examiner of a subject sees its exam");
        List<String> tasks = taskIds(b, "ex-list-b");
        assertTrue(!tasks.isEmpty() && tasks.stream().allMatch(t -> t.startsWith("ex-list-b.mathematics.")),
                "and only the tasks of their subject: " + tasks);
    }

    @Test
    void badExamsAndCriteriaAreRefusedWithAMessage() {
        Reply scheme = server.post("/api/v1/exams", admin, new JsonObject().put("id", "ex-bad").put("scheme", "no-such-scheme"));
        assertEquals(400, scheme.status());
        assertTrue(scheme.error().contains("no scheme 'no-such-scheme'"), scheme.error());
        assertEquals(201, server.post("/api/v1/exams", admin, new JsonObject().put("id", "ex-dup").put("scheme", "state-language-2026")).status());
        assertEquals(409, server.post("/api/v1/exams", admin, new JsonObject().put("id", "ex-dup").put("scheme", "state-language-2026")).status());
        Reply offScale = server.post("/api/v1/exams/tasks/ex-dup.state-language.4/criteria", admin, criteria("x", "0.4"));
        assertEquals(400, offScale.status());
        assertTrue(offScale.error().contains("'0.4' is not a mark"), offScale.error());
        assertEquals(404, server.post("/api/v1/exams/tasks/ex-dup.state-language.5/criteria", admin, criteria("closed item", "1")).status());
    }
}

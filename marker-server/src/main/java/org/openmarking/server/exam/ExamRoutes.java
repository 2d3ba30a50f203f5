package org.openmarking.server.exam;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.openmarking.domain.Mark;
import org.openmarking.domain.criteria.Clause;
import org.openmarking.domain.criteria.CriteriaVersion;
import org.openmarking.domain.scheme.ExamResult;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.domain.scheme.Subject;
import org.openmarking.domain.scheme.SubjectResult;
import org.openmarking.domain.scheme.SubjectSheet;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.calibration.CalibrationService;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;
import org.openmarking.server.marking.MarkingEngine;
import org.openmarking.server.marking.Outbox;

/**
 * {@code /api/v1/exams}: exams and their marking tasks, each task's versioned criteria,
 * the loaded exam schemes, and a calculator that applies a scheme's formulas so the board
 * can check a configuration against hand-worked cases.
 */
public final class ExamRoutes {
    private final ServerContext context;
    private final ExamService exams;

    public ExamRoutes(ServerContext context) {
        this.context = context;
        this.exams = new ExamService(context.database().pool(), context.schemes(), context.clock());
    }

    /** Mounted at {@code /api/v1/*}: every path here starts with {@code /exams}. */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        Role[] staff = {Role.ADMIN, Role.CHIEF_EXAMINER, Role.APPEAL_EXPERT};
        r.route("/exams*").handler(Auth.authenticate(context.accounts()));
        // Markers read the criteria of their tasks; everything else is for the board's staff.
        r.get("/exams/tasks/:taskId/criteria").handler(this::handleCriteria);
        r.post("/exams/tasks/:taskId/criteria").handler(Auth.require(Role.ADMIN, Role.CHIEF_EXAMINER)).handler(this::handlePublishCriteria);
        r.get("/exams").handler(Auth.require(staff)).handler(this::handleListExams);
        r.post("/exams").handler(Auth.require(Role.ADMIN)).handler(this::handleCreateExam);
        r.get("/exams/schemes").handler(Auth.require(staff)).handler(this::handleListSchemes);
        r.post("/exams/schemes/:id/score").handler(Auth.require(Role.ADMIN, Role.CHIEF_EXAMINER)).handler(this::handleScore);
        return r;
    }

    private void handleListExams(RoutingContext ctx) {
        Principal p = Auth.principal(ctx);
        exams.listExams().onSuccess(list -> ctx.json(new JsonObject().put("exams", inScope(p, list)))).onFailure(ctx::fail);
    }

    /** Roles that read exams; an admin reads them all. */
    private static final List<Role> READERS = List.of(Role.CHIEF_EXAMINER, Role.APPEAL_EXPERT);

    /**
     * The exams the caller's scopes reach, each with only the tasks a scope covers: a chief
     * examiner of one subject sees that exam and that subject's tasks, nothing of other exams.
     */
    static JsonArray inScope(Principal p, JsonArray all) {
        if (p.has(Role.ADMIN)) {
            return all;
        }
        JsonArray out = new JsonArray();
        for (Object o : all) {
            JsonObject exam = (JsonObject) o;
            String id = exam.getString("id");
            if (READERS.stream().noneMatch(r -> p.hasWithin(r, id))) {
                continue;
            }
            JsonArray tasks = new JsonArray();
            for (Object t : exam.getJsonArray("tasks")) {
                String taskId = ((JsonObject) t).getString("id");
                if (READERS.stream().anyMatch(r -> p.has(r, taskId))) {
                    tasks.add(t);
                }
            }
            out.add(exam.copy().put("tasks", tasks));
        }
        return out;
    }

    private void handleCreateExam(RoutingContext ctx) {
        JsonObject body = Bodies.json(ctx);
        LocalDate satOn;
        try {
            satOn = body.getString("satOn") == null ? null : LocalDate.parse(body.getString("satOn"));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("satOn must be a date such as 2026-04-12");
        }
        List<String> subjects = body.getJsonArray("subjects", new JsonArray()).stream().map(String::valueOf).toList();
        exams.createExam(Bodies.text(body, "id"), body.getString("name"), Bodies.text(body, "scheme"), satOn, subjects,
                        body.getInteger("marksRequired", 2), Auth.principal(ctx).userId())
                .onSuccess(created -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(created.encode()))
                .onFailure(ctx::fail);
    }

    private void handlePublishCriteria(RoutingContext ctx) {
        String taskId = ctx.pathParam("taskId");
        Principal p = Auth.principal(ctx);
        if (!p.has(Role.ADMIN) && !p.has(Role.CHIEF_EXAMINER, taskId)) {
            throw ApiException.forbidden("task " + taskId + " is outside your scope");
        }
        JsonObject body = Bodies.json(ctx);
        JsonArray clausesJson = body.getJsonArray("clauses");
        if (clausesJson == null || clausesJson.isEmpty()) {
            throw ApiException.badRequest("'clauses' must list the numbered clauses: [{number, text, mark}]");
        }
        List<Clause> clauses = new ArrayList<>();
        for (Object o : clausesJson) {
            if (!(o instanceof JsonObject c) || c.getInteger("number") == null) {
                throw ApiException.badRequest("each clause is {\"number\": 1, \"text\": ..., \"mark\": \"1/2\"}");
            }
            clauses.add(new Clause(c.getInteger("number"), c.getString("text"), Mark.parse(Bodies.text(c, "mark"))));
        }
        // Markers hear of the new version once it is committed; one requiring recalibration sends them back in the same transaction.
        Outbox outbox = new Outbox();
        CalibrationService calibration = MarkingEngine.of(context).calibration();
        exams.publishCriteria(taskId, body.getString("note", ""), clauses, body.getBoolean("requiresRecalibration", false), p.userId(),
                        (tx, v) -> calibration.criteriaPublished(tx, taskId, v.version(), v.requiresRecalibration(), p.userId(), outbox))
                .onSuccess(v -> {
                    outbox.flush();
                    ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(describe(v).encode());
                })
                .onFailure(ctx::fail);
    }

    /** The criteria in force, for anyone with a role whose scope covers the task (markers read their own tasks' criteria). */
    private void handleCriteria(RoutingContext ctx) {
        String taskId = ctx.pathParam("taskId");
        Principal p = Auth.principal(ctx);
        if (!p.has(Role.ADMIN) && Arrays.stream(Role.values()).noneMatch(r -> p.has(r, taskId))) {
            throw ApiException.forbidden("task " + taskId + " is outside your scope");
        }
        exams.criteriaInForce(taskId).onSuccess(v -> ctx.json(describe(v))).onFailure(ctx::fail);
    }

    static JsonObject describe(CriteriaVersion v) {
        JsonArray clauses = new JsonArray();
        v.clauses().forEach(c -> clauses.add(new JsonObject().put("number", c.number()).put("text", c.text()).put("mark", c.mark().toString())));
        return new JsonObject().put("taskId", v.taskId()).put("version", v.version()).put("publishedAt", v.publishedAt().toString())
                .put("note", v.note()).put("requiresRecalibration", v.requiresRecalibration()).put("clauses", clauses);
    }

    private void handleListSchemes(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        context.schemes().values().forEach(s -> out.add(describe(s)));
        ctx.json(new JsonObject().put("schemes", out));
    }

    private void handleScore(RoutingContext ctx) {
        ExamScheme scheme = context.schemes().get(ctx.pathParam("id"));
        if (scheme == null) {
            throw ApiException.notFound("no scheme '" + ctx.pathParam("id") + "'; loaded: " + context.schemes().keySet());
        }
        JsonObject body = Bodies.json(ctx);
        JsonObject subjects = body.getJsonObject("subjects");
        if (subjects == null || subjects.isEmpty()) {
            throw ApiException.badRequest("'subjects' must map subject ids to {correct: [...], written: {item: mark}}");
        }
        Map<String, SubjectSheet> sheets = new LinkedHashMap<>();
        for (String id : subjects.fieldNames()) {
            JsonObject s = subjects.getJsonObject(id);
            Set<Integer> correct = new HashSet<>();
            s.getJsonArray("correct", new JsonArray()).forEach(n -> correct.add(((Number) n).intValue()));
            Map<Integer, Mark> written = new LinkedHashMap<>();
            JsonObject w = s.getJsonObject("written", new JsonObject());
            for (String item : w.fieldNames()) {
                try {
                    written.put(Integer.parseInt(item), Mark.parse(w.getString(item)));
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("written item '" + item + "' is not an item number");
                }
            }
            sheets.put(id, new SubjectSheet(correct, written));
        }
        ExamResult result = scheme.score(sheets, body.getBoolean("passedAbilityExam", false));
        JsonObject out = new JsonObject().put("scheme", scheme.id()).put("total", result.total().toPlainString());
        JsonObject subjectsOut = new JsonObject();
        for (SubjectResult r : result.subjects()) {
            JsonObject o = new JsonObject().put("exact", r.exact().toString()).put("published", r.published().toPlainString())
                    .put("separateGrade", r.separateGrade());
            r.grade().ifPresent(g -> o.put("grade", g));
            subjectsOut.put(r.subjectId(), o);
        }
        out.put("subjects", subjectsOut);
        result.passed().ifPresent(p -> out.put("passed", p));
        out.put("eligibility", new JsonObject(new LinkedHashMap<>(result.eligibility())));
        ctx.json(out);
    }

    private static JsonObject describe(ExamScheme s) {
        JsonArray subjects = new JsonArray();
        for (Subject subject : s.subjects()) {
            JsonArray items = new JsonArray();
            subject.items().forEach(i -> items.add(new JsonObject().put("number", i.number()).put("type", i.type().name().toLowerCase())
                    .put("section", i.section())));
            subjects.add(new JsonObject().put("id", subject.id()).put("name", subject.name()).put("maxScore", subject.maxScore().toString())
                    .put("separateGrade", subject.separateGrade()).put("items", items));
        }
        JsonObject o = new JsonObject().put("id", s.id()).put("name", s.name()).put("totalMax", s.declaredTotalMax().toPlainString())
                .put("subjects", subjects);
        s.passMark().ifPresent(p -> o.put("passMark", p.toPlainString()));
        return o;
    }
}

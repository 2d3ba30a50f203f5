package org.openmarking.server.exam;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.openmarking.domain.Mark;
import org.openmarking.domain.scheme.ExamResult;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.domain.scheme.Subject;
import org.openmarking.domain.scheme.SubjectResult;
import org.openmarking.domain.scheme.SubjectSheet;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.Role;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;

/**
 * {@code /api/v1/exams}: the loaded exam schemes and a calculator that applies a scheme's
 * formulas, so the board can check a configuration against hand-worked cases.
 */
public final class ExamRoutes {
    private final ServerContext context;

    public ExamRoutes(ServerContext context) {
        this.context = context;
    }

    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.route().handler(Auth.authenticate(context.accounts())).handler(Auth.require(Role.ADMIN, Role.CHIEF_EXAMINER, Role.APPEAL_EXPERT));
        r.get("/schemes").handler(this::handleListSchemes);
        r.post("/schemes/:id/score").handler(Auth.require(Role.ADMIN, Role.CHIEF_EXAMINER)).handler(this::handleScore);
        return r;
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

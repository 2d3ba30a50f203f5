package org.openmarking.server.exam;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.openmarking.domain.Mark;
import org.openmarking.domain.criteria.Clause;
import org.openmarking.domain.criteria.CriteriaVersion;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.domain.scheme.Item;
import org.openmarking.domain.scheme.Subject;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.http.ApiException;

/**
 * Exams sat under a scheme, their marking tasks (one per written item) and each task's
 * versioned criteria.
 *
 * <p>Task ids read {@code exam.subject.item} (e.g. {@code adm26.mathematics.19}) so that a
 * chief examiner's scope {@code adm26.mathematics} covers the subject's tasks.
 */
public final class ExamService {
    private final Pool pool;
    private final Map<String, ExamScheme> schemes;
    private final java.time.Clock clock;

    public ExamService(Pool pool, Map<String, ExamScheme> schemes, java.time.Clock clock) {
        this.pool = pool;
        this.schemes = schemes;
        this.clock = clock;
    }

    public static String taskId(String examId, String subjectId, int item) {
        return examId + "." + subjectId + "." + item;
    }

    /** The exam a scope or task id belongs to: {@code exam}, {@code exam.subject} and {@code exam.subject.item} name {@code exam}. */
    public static String examOf(String scopeOrTaskId) {
        int dot = scopeOrTaskId.indexOf('.');
        return dot < 0 ? scopeOrTaskId : scopeOrTaskId.substring(0, dot);
    }

    /**
     * Creates an exam under a loaded scheme with its subjects, items and one marking task
     * per written item. {@code subjects} limits it to some of the scheme's subjects (a
     * sitting of one paper); empty means all.
     */
    public Future<JsonObject> createExam(String examId, String name, String schemeId, LocalDate satOn, List<String> subjects,
                                         int marksRequired, UUID actor) {
        if (examId == null || !examId.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            return Future.failedFuture(ApiException.badRequest("exam ids are up to 40 lower-case letters, digits and dashes"));
        }
        ExamScheme scheme = schemes.get(schemeId);
        if (scheme == null) {
            return Future.failedFuture(ApiException.badRequest("no scheme '" + schemeId + "'; loaded: " + schemes.keySet()));
        }
        if (marksRequired < 1 || marksRequired > 5) {
            return Future.failedFuture(ApiException.badRequest("marksRequired must be between 1 and 5"));
        }
        List<Subject> chosen = new ArrayList<>();
        for (Subject s : scheme.subjects()) {
            if (subjects.isEmpty() || subjects.contains(s.id())) {
                chosen.add(s);
            }
        }
        for (String id : subjects) {
            scheme.subject(id); // unknown subject -> 400 via IllegalArgumentException
        }
        return pool.withTransaction(tx -> tx.preparedQuery("insert into exams (id, name, scheme_id, sat_on) values ($1, $2, $3, $4) "
                                + "on conflict (id) do nothing")
                        .execute(Tuple.of(examId, name == null ? scheme.name() : name, schemeId, satOn))
                        .compose(rs -> rs.rowCount() == 0
                                ? Future.failedFuture(ApiException.conflict("exam '" + examId + "' already exists"))
                                : insertSubjects(tx, examId, chosen, marksRequired))
                        .compose(tasks -> AuditLog.record(tx, actor, "exam.created", examId,
                                        new JsonObject().put("scheme", schemeId).put("tasks", tasks.size()))
                                .map(v -> new JsonObject().put("id", examId).put("scheme", schemeId).put("tasks", new JsonArray(tasks)))));
    }

    private Future<List<String>> insertSubjects(SqlClient tx, String examId, List<Subject> subjects, int marksRequired) {
        List<Tuple> subjectRows = new ArrayList<>();
        List<Tuple> itemRows = new ArrayList<>();
        List<Tuple> taskRows = new ArrayList<>();
        List<String> taskIds = new ArrayList<>();
        for (Subject s : subjects) {
            subjectRows.add(Tuple.of(examId, s.id(), s.name()));
            for (Item i : s.items()) {
                itemRows.add(Tuple.of(examId, s.id(), i.number(), i.type().name().toLowerCase(), i.section()));
                if (i.type().isMarkedByPeople()) {
                    String id = taskId(examId, s.id(), i.number());
                    taskIds.add(id);
                    taskRows.add(Tuple.of(id, examId, s.id(), i.number(), s.name() + ", item " + i.number(), marksRequired));
                }
            }
        }
        return tx.preparedQuery("insert into subjects (exam_id, id, name) values ($1, $2, $3)").executeBatch(subjectRows)
                .compose(v -> tx.preparedQuery("insert into items (exam_id, subject_id, number, type, section) values ($1, $2, $3, $4, $5)")
                        .executeBatch(itemRows))
                .compose(v -> taskRows.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(
                                "insert into tasks (id, exam_id, subject_id, item_number, title, marks_required) values ($1, $2, $3, $4, $5, $6)")
                        .executeBatch(taskRows))
                .map(v -> taskIds);
    }

    /**
     * Publishes the next criteria version of a task; the newest version is in force.
     * {@code inSameTransaction} runs in the publishing transaction (the marking engine sends the
     * task's markers back to calibration there), so a version is never in force without the
     * recalibration it requires, nor markers sent back for a version that was not published.
     */
    public Future<CriteriaVersion> publishCriteria(String taskId, String note, List<Clause> clauses, boolean requiresRecalibration,
                                                   UUID actor, BiFunction<SqlClient, CriteriaVersion, Future<?>> inSameTransaction) {
        return pool.withTransaction(tx -> tx.preparedQuery("select coalesce(max(v.version), 0) from tasks t "
                                + "left join criteria_versions v on v.task_id = t.id where t.id = $1 group by t.id")
                        .execute(Tuple.of(taskId))
                        .compose(rs -> {
                            if (rs.size() == 0) {
                                return Future.failedFuture(ApiException.notFound("no task '" + taskId + "'"));
                            }
                            int next = rs.iterator().next().getInteger(0) + 1;
                            CriteriaVersion v = new CriteriaVersion(taskId, next, clock.instant(), actor == null ? "" : actor.toString(),
                                    note, clauses, requiresRecalibration);
                            JsonArray json = new JsonArray();
                            clauses.forEach(c -> json.add(new JsonObject().put("number", c.number()).put("text", c.text())
                                    .put("mark", c.mark().toString())));
                            return tx.preparedQuery("insert into criteria_versions (task_id, version, published_at, published_by, note, clauses, "
                                            + "requires_recalibration) values ($1, $2, $3, $4, $5, $6, $7)")
                                    .execute(Tuple.of(taskId, next, OffsetDateTime.ofInstant(v.publishedAt(), ZoneOffset.UTC), actor, v.note(),
                                            json, requiresRecalibration))
                                    .compose(x -> AuditLog.record(tx, actor, "criteria.published", taskId,
                                            new JsonObject().put("version", next).put("requiresRecalibration", requiresRecalibration)
                                                    .put("note", v.note())))
                                    .compose(x -> inSameTransaction.apply(tx, v))
                                    .map(x -> v);
                        }));
    }

    /** The criteria version in force for a task; 404 when none was published yet. */
    public Future<CriteriaVersion> criteriaInForce(String taskId) {
        return pool.preparedQuery("select version, published_at, coalesce(published_by::text, ''), note, clauses, requires_recalibration "
                        + "from criteria_versions where task_id = $1 order by version desc limit 1")
                .execute(Tuple.of(taskId))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("task '" + taskId + "' has no published criteria"));
                    }
                    Row r = rs.iterator().next();
                    List<Clause> clauses = new ArrayList<>();
                    for (Object o : (JsonArray) r.getValue(4)) {
                        JsonObject c = (JsonObject) o;
                        clauses.add(new Clause(c.getInteger("number"), c.getString("text"), Mark.parse(c.getString("mark"))));
                    }
                    return Future.succeededFuture(new CriteriaVersion(taskId, r.getInteger(0), r.getOffsetDateTime(1).toInstant(),
                            r.getString(2), r.getString(3), clauses, r.getBoolean(5)));
                });
    }

    /** Every exam with its tasks and the criteria version in force of each. */
    public Future<JsonArray> listExams() {
        return pool.query("select e.id, e.name, e.scheme_id, e.sat_on, t.id, t.title, t.marks_required, "
                        + "(select max(version) from criteria_versions v where v.task_id = t.id) "
                        + "from exams e left join tasks t on t.exam_id = e.id order by e.id, t.subject_id, t.item_number")
                .execute()
                .map(rs -> {
                    JsonArray exams = new JsonArray();
                    JsonObject current = null;
                    for (Row r : rs) {
                        if (current == null || !current.getString("id").equals(r.getString(0))) {
                            current = new JsonObject().put("id", r.getString(0)).put("name", r.getString(1)).put("scheme", r.getString(2))
                                    .put("satOn", r.getLocalDate(3) == null ? null : r.getLocalDate(3).toString()).put("tasks", new JsonArray());
                            exams.add(current);
                        }
                        if (r.getString(4) != null) {
                            current.getJsonArray("tasks").add(new JsonObject().put("id", r.getString(4)).put("title", r.getString(5))
                                    .put("marksRequired", r.getInteger(6)).put("criteriaVersion", r.getInteger(7)));
                        }
                    }
                    return exams;
                });
    }
}

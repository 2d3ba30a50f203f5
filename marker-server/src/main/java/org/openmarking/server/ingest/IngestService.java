package org.openmarking.server.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.openmarking.server.ServerContext;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.crypto.BlobReader;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.identity.IdentityRecords;

/**
 * Ingest in the server: booklet layouts and candidate registration before scanning, scan
 * uploads through the {@link IngestPipeline} on the worker pool with {@link PgIngestStore},
 * and the quarantine (list, resolve by hand, reject). Every change is audited.
 */
public final class IngestService {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(IngestService.class.getName());
    /** The page frame every layout in this server uses (docs/booklet-format.md). */
    static final PageFrame FRAME = BookletTemplate.sample().frame();
    private static final Pattern TEMPLATE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,59}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,20}");

    private final ServerContext context;
    private final Pool pool;
    private final BlobReader reader;
    private final SecureRandom random = new SecureRandom();

    public IngestService(ServerContext context) {
        this.context = context;
        this.pool = context.database().pool();
        this.reader = BlobReader.of(context);
    }

    // ------------------------------------------------------------------ layouts

    /** What saving a layout did. */
    public enum Saved { CREATED, UPDATED, UNCHANGED }

    /**
     * Saves booklet layout {@code id} for one subject of an exam. The layout must use the
     * standard frame and give exactly the subject's written items an answer box; a layout
     * that booklets were issued with cannot change.
     */
    public Future<Saved> saveTemplate(String id, String subjectId, JsonObject layoutJson, UUID actor) {
        if (!TEMPLATE_ID.matcher(id).matches()) {
            return Future.failedFuture(ApiException.badRequest("layout ids are up to 60 lower-case letters, digits, '.', '_' and '-'"));
        }
        BookletTemplate layout;
        try {
            layout = BookletTemplate.read(new ByteArrayInputStream(layoutJson.encode().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            String why = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getMessage();
            return Future.failedFuture(ApiException.badRequest("'layout' is not a valid booklet layout: " + firstLine(why)));
        }
        if (!layout.frame().equals(FRAME)) {
            return Future.failedFuture(ApiException.badRequest("the layout must use the standard page frame (size, markers, "
                    + "page-code box) of docs/booklet-format.md"));
        }
        String examId = layout.examId();
        return pool.withTransaction(tx -> tx.preparedQuery("select number from items where exam_id = $1 and subject_id = $2 and type = 'written'")
                .execute(Tuple.of(examId, subjectId))
                .compose(rs -> {
                    Set<Integer> written = new TreeSet<>();
                    rs.forEach(r -> written.add(r.getInteger(0)));
                    if (written.isEmpty()) {
                        return Future.failedFuture(ApiException.badRequest("exam '" + examId + "' has no subject '" + subjectId
                                + "' with written items"));
                    }
                    Set<Integer> boxed = new TreeSet<>();
                    for (BookletTemplate.PageLayout p : layout.pages()) {
                        for (BookletTemplate.Item item : p.items()) {
                            Integer n = item.item().matches("\\d{1,4}") ? Integer.valueOf(item.item()) : null;
                            if (n == null || !written.contains(n)) {
                                return Future.failedFuture(ApiException.badRequest("answer box '" + item.item()
                                        + "' is not a written item of " + subjectId + " (written items: " + written + ")"));
                            }
                            boxed.add(n);
                        }
                    }
                    Set<Integer> missing = new TreeSet<>(written);
                    missing.removeAll(boxed);
                    if (!missing.isEmpty()) {
                        return Future.failedFuture(ApiException.badRequest("written items " + missing + " of " + subjectId
                                + " have no answer box"));
                    }
                    return upsertTemplate(tx, id, examId, subjectId, layout, layoutJson, actor);
                }));
    }

    private Future<Saved> upsertTemplate(SqlClient tx, String id, String examId, String subjectId, BookletTemplate layout,
            JsonObject json, UUID actor) {
        return tx.preparedQuery("select exam_id, subject_id, layout, exists (select 1 from booklets where template_id = $1) "
                        + "from booklet_templates where id = $1 for update")
                .execute(Tuple.of(id))
                .compose(rs -> {
                    Saved saved;
                    Future<?> write;
                    if (rs.size() == 0) {
                        saved = Saved.CREATED;
                        write = tx.preparedQuery("insert into booklet_templates (id, exam_id, subject_id, layout, page_count) "
                                + "values ($1, $2, $3, $4, $5)").execute(Tuple.of(id, examId, subjectId, json, layout.pageCount()));
                    } else {
                        Row r = rs.iterator().next();
                        boolean same = r.getString(0).equals(examId) && r.getString(1).equals(subjectId)
                                && layout.equals(readStored((JsonObject) r.getValue(2)));
                        if (same) {
                            return Future.succeededFuture(Saved.UNCHANGED);
                        }
                        if (r.getBoolean(3)) {
                            return Future.failedFuture(ApiException.conflict("layout '" + id
                                    + "' was issued with booklets already; save the new layout under another id"));
                        }
                        saved = Saved.UPDATED;
                        write = tx.preparedQuery("update booklet_templates set exam_id = $2, subject_id = $3, layout = $4, page_count = $5 "
                                + "where id = $1").execute(Tuple.of(id, examId, subjectId, json, layout.pageCount()));
                    }
                    return write.compose(v -> AuditLog.record(tx, actor, "ingest.layout.saved", id,
                            new JsonObject().put("exam", examId).put("subject", subjectId).put("pages", layout.pageCount())
                                    .put("change", saved.name().toLowerCase()))).map(v -> saved);
                });
    }

    static BookletTemplate readStored(JsonObject json) {
        try {
            return BookletTemplate.read(new ByteArrayInputStream(json.encode().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ registration

    /** One booklet to issue: its id and layout. */
    public record BookletIssue(String bookletId, String templateId) {
    }

    /** A candidate to register with the booklets issued to them. */
    public record Registration(IdentityRecords.Candidate candidate, List<BookletIssue> booklets) {
    }

    /**
     * Parses and checks a registration body: {@code {"candidates": [{workNumber, fin, fullName,
     * schoolCode, regionCode, booklets: [{id, template}]}]}}. Every problem is reported at once
     * (up to 20), so a board can fix its file in one go.
     */
    static List<Registration> parseRegistrations(JsonObject body) {
        JsonArray list = body.getValue("candidates") instanceof JsonArray a ? a : null;
        if (list == null || list.isEmpty()) {
            throw ApiException.badRequest("'candidates' must be a non-empty list of {workNumber, fin, fullName, schoolCode, "
                    + "regionCode, booklets: [{id, template}]}");
        }
        List<String> problems = new ArrayList<>();
        List<Registration> out = new ArrayList<>();
        Set<String> works = new HashSet<>();
        Set<String> fins = new HashSet<>();
        Set<String> booklets = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "candidates[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject c)) {
                problems.add(at + " is not an object");
                continue;
            }
            String work = text(c, "workNumber", TOKEN, at, problems, true);
            String fin = text(c, "fin", TOKEN, at, problems, true);
            String name = c.getValue("fullName") instanceof String s && !s.isBlank() && s.length() <= 200 ? s.strip() : null;
            if (name == null) {
                problems.add(at + ".fullName is required (text, up to 200 characters)");
            }
            String school = text(c, "schoolCode", CODE, at, problems, false);
            String region = text(c, "regionCode", CODE, at, problems, false);
            if (work != null && !works.add(work)) {
                problems.add(at + ": work number " + work + " appears twice");
            }
            if (fin != null && !fins.add(fin)) {
                problems.add(at + ": FIN appears twice");
            }
            List<BookletIssue> issues = new ArrayList<>();
            Object bl = c.getValue("booklets");
            if (bl != null && !(bl instanceof JsonArray)) {
                problems.add(at + ".booklets must be a list of {id, template}");
            } else if (bl != null) {
                JsonArray ba = (JsonArray) bl;
                for (int j = 0; j < ba.size(); j++) {
                    String bat = at + ".booklets[" + j + "]";
                    if (!(ba.getValue(j) instanceof JsonObject b)) {
                        problems.add(bat + " is not an object");
                        continue;
                    }
                    String id = text(b, "id", TOKEN, bat, problems, true);
                    String template = text(b, "template", TEMPLATE_ID, bat, problems, true);
                    if (id != null && !booklets.add(id)) {
                        problems.add(bat + ": booklet " + id + " appears twice");
                    }
                    issues.add(new BookletIssue(id, template));
                }
            }
            out.add(new Registration(new IdentityRecords.Candidate(work, fin, name, school, region,
                    issues.stream().map(BookletIssue::bookletId).toList()), issues));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("nothing was registered: " + String.join("; ", problems.subList(0, Math.min(20, problems.size())))
                    + (problems.size() > 20 ? "; and " + (problems.size() - 20) + " more" : ""));
        }
        return out;
    }

    private static String text(JsonObject o, String field, Pattern pattern, String at, List<String> problems, boolean required) {
        Object v = o.getValue(field);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || !pattern.matcher(s).matches()) {
            problems.add(at + "." + field + (v == null ? " is required" : " is not valid") + " (" + pattern.pattern() + ")");
            return null;
        }
        return s;
    }

    /** Registers candidates and issues their booklets, all or nothing. */
    public Future<JsonObject> register(String examId, List<Registration> registrations, UUID actor) {
        Set<String> templateIds = new TreeSet<>();
        registrations.forEach(r -> r.booklets().forEach(b -> templateIds.add(b.templateId())));
        return pool.withTransaction(tx -> tx.preparedQuery("select id, subject_id, page_count from booklet_templates where exam_id = $1")
                .execute(Tuple.of(examId))
                .compose(rs -> {
                    java.util.Map<String, Row> layouts = new java.util.HashMap<>();
                    rs.forEach(r -> layouts.put(r.getString(0), r));
                    Set<String> unknown = new TreeSet<>(templateIds);
                    unknown.removeAll(layouts.keySet());
                    if (!unknown.isEmpty()) {
                        return Future.failedFuture(ApiException.badRequest("exam '" + examId + "' has no booklet layout " + unknown
                                + "; save layouts with PUT /api/v1/ingest/layouts/{id} first"));
                    }
                    List<Tuple> rows = new ArrayList<>();
                    registrations.forEach(r -> r.booklets().forEach(b -> {
                        Row l = layouts.get(b.templateId());
                        rows.add(Tuple.of(b.bookletId(), examId, l.getString(1), b.templateId(), l.getInteger(2)));
                    }));
                    Future<?> insert = rows.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(
                                    "insert into booklets (id, exam_id, subject_id, template_id, page_count) values ($1, $2, $3, $4, $5) "
                                            + "on conflict (id) do nothing").executeBatch(rows);
                    return insert.compose(v -> checkBooklets(tx, examId, registrations))
                            .compose(v -> IdentityRecords.register(tx, examId, registrations.stream().map(Registration::candidate).toList()))
                            .compose(reg -> AuditLog.record(tx, actor, "ingest.candidates.registered", examId,
                                            new JsonObject().put("created", reg.created()).put("unchanged", reg.unchanged())
                                                    .put("bookletsIssued", reg.bookletsLinked()))
                                    .map(x -> new JsonObject().put("exam", examId).put("created", reg.created())
                                            .put("unchanged", reg.unchanged()).put("bookletsIssued", reg.bookletsLinked())));
                }));
    }

    /** Booklets that existed before must be the same exam and layout. */
    private static Future<Void> checkBooklets(SqlClient tx, String examId, List<Registration> registrations) {
        java.util.Map<String, String> wanted = new java.util.HashMap<>();
        registrations.forEach(r -> r.booklets().forEach(b -> wanted.put(b.bookletId(), b.templateId())));
        if (wanted.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("select id, exam_id, template_id from booklets where id = any($1)")
                .execute(Tuple.of((Object) wanted.keySet().toArray(new String[0])))
                .compose(rs -> {
                    for (Row r : rs) {
                        if (!r.getString(1).equals(examId) || !r.getString(2).equals(wanted.get(r.getString(0)))) {
                            return Future.failedFuture(ApiException.conflict("booklet " + r.getString(0)
                                    + " already exists for another exam or layout"));
                        }
                    }
                    return Future.succeededFuture();
                });
    }

    // ------------------------------------------------------------------ scans

    /** One uploaded file: the name the uploader gave it and its encrypted spool file. */
    public record Upload(String fileName, SpoolFile spool) {
        /**
         * The file's bytes, decrypted from its spool file (which is deleted); refused with 500
         * {@code upload-tampered} if the spool changed on disk, so such a file is never ingested.
         */
        byte[] read() throws IOException {
            try {
                return spool.readOnce();
            } catch (SpoolFile.TamperedSpoolException e) {
                LOG.warning("the spooled upload " + fileName + " failed its integrity check (" + e.getMessage() + "); not ingested");
                throw new ApiException(500, "upload-tampered", "the server's spooled copy of " + fileName
                        + " changed on disk and was not ingested; upload it again");
            }
        }
    }

    /**
     * Runs the pipeline over uploaded files on the worker pool (one pipeline per worker; files
     * spread over as many workers as the machine has cores) and audits the batch.
     */
    public Future<List<IngestReport>> ingest(List<Upload> files, boolean rescan, UUID actor) {
        int lanes = Math.max(1, Math.min(files.size(), Math.min(context.config().workerPoolSize(),
                Runtime.getRuntime().availableProcessors())));
        PgIngestStore store = new PgIngestStore(pool, context.blobs(), actor, "ingested on resubmission");
        List<Future<List<IngestReport>>> parts = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            List<Upload> mine = new ArrayList<>();
            for (int i = lane; i < files.size(); i += lanes) {
                mine.add(files.get(i));
            }
            parts.add(context.workers().executeBlocking(() -> {
                IngestPipeline pipeline = new IngestPipeline(FRAME, store, store, store, context.blobs(), random);
                List<IngestReport> out = new ArrayList<>();
                for (Upload u : mine) {
                    out.add(pipeline.ingest(u.fileName(), u.read(), rescan));
                }
                return out;
            }, false));
        }
        return Future.all(parts).compose(all -> {
            List<IngestReport> reports = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                reports.add(parts.get(i % lanes).result().get(i / lanes));
            }
            IngestReport.Summary s = IngestReport.Summary.of(reports);
            return AuditLog.record(pool, actor, "ingest.scans.uploaded", "", summaryJson(s).put("rescan", rescan))
                    .map(v -> reports);
        });
    }

    static JsonObject summaryJson(IngestReport.Summary s) {
        JsonObject byReason = new JsonObject();
        new java.util.TreeMap<>(s.quarantined()).forEach((k, v) -> byReason.put(k.name(), v));
        return new JsonObject().put("files", s.files()).put("pages", s.pages()).put("ingested", s.ingested())
                .put("rescanned", s.rescanned()).put("duplicates", s.duplicates())
                .put("quarantined", new JsonObject().put("total", s.quarantinedTotal()).put("byReason", byReason));
    }

    // ------------------------------------------------------------------ quarantine

    public Future<JsonArray> quarantine(String status, int limit) {
        String where = "all".equals(status) ? "" : "where q.status = $2 ";
        Tuple args = "all".equals(status) ? Tuple.of(limit) : Tuple.of(limit, status);
        return pool.preparedQuery("select q.id, q.file_sha256, q.file_page, f.file_name, q.reason, q.detail, q.status, q.created_at, "
                        + "q.read_exam, q.read_booklet, q.read_page, q.resolution, q.resolved_at from quarantine q "
                        + "left join scan_files f on f.sha256 = q.file_sha256 " + where + "order by q.id limit $1")
                .execute(args)
                .map(rs -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rs) {
                        JsonObject o = new JsonObject().put("id", r.getLong(0)).put("fileSha256", r.getString(1)).put("filePage", r.getInteger(2))
                                .put("fileName", r.getString(3)).put("reason", r.getString(4)).put("detail", r.getString(5))
                                .put("status", r.getString(6)).put("receivedAt", r.getOffsetDateTime(7).toString());
                        if (r.getString(9) != null) {
                            o.put("read", new JsonObject().put("exam", r.getString(8)).put("booklet", r.getString(9)).put("page", r.getInteger(10)));
                        }
                        if (r.getString(11) != null) {
                            o.put("resolution", r.getString(11)).put("resolvedAt", r.getOffsetDateTime(12).toString());
                        }
                        out.add(o);
                    }
                    return out;
                });
    }

    private record Entry(long id, String sha, int filePage, String fileName, QuarantineReason reason, String status, String blobRef) {
    }

    private Future<Entry> entry(long id) {
        return pool.preparedQuery("select q.file_sha256, q.file_page, coalesce(f.file_name, ''), q.reason, q.status, q.blob_ref "
                        + "from quarantine q left join scan_files f on f.sha256 = q.file_sha256 where q.id = $1")
                .execute(Tuple.of(id))
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.failedFuture(ApiException.notFound("no quarantined page " + id));
                    }
                    Row r = rs.iterator().next();
                    return Future.succeededFuture(new Entry(id, r.getString(0), r.getInteger(1), r.getString(2),
                            QuarantineReason.valueOf(r.getString(3)), r.getString(4), r.getString(5)));
                });
    }

    /** The original scan file of a quarantined page (decrypted; refused and audited if tampered). */
    public Future<byte[]> quarantinedScan(long id, UUID actor) {
        return entry(id).compose(e -> AuditLog.record(pool, actor, "ingest.quarantine.scan-viewed", "quarantine/" + id, new JsonObject())
                .compose(v -> reader.read(e.blobRef(), actor, "quarantine")));
    }

    /**
     * Ingests a quarantined page as the booklet page an admin names: the page is cut with its
     * fiducials as usual, only the page code is taken from the admin. Fails with 409 if the
     * entry is not open, cannot be cut (unreadable, no fiducials), or still fails validation.
     */
    public Future<JsonObject> resolve(long id, String bookletId, int page, boolean replace, UUID actor) {
        return entry(id).compose(e -> {
            if (!"open".equals(e.status())) {
                return Future.failedFuture(ApiException.conflict("quarantined page " + id + " is already " + e.status()));
            }
            if (e.reason() == QuarantineReason.UNREADABLE_FILE || e.reason() == QuarantineReason.NO_FIDUCIALS) {
                return Future.failedFuture(ApiException.conflict("page " + id + " (" + e.reason() + ") cannot be cut without "
                        + "its corner markers; scan the sheet again, upload it, and reject this entry"));
            }
            return pool.preparedQuery("select exam_id from booklets where id = $1").execute(Tuple.of(bookletId)).compose(rs -> {
                if (rs.size() == 0) {
                    return Future.failedFuture(ApiException.badRequest("booklet " + bookletId + " was never issued; register it first"));
                }
                PageCode code;
                try {
                    code = new PageCode(rs.iterator().next().getString(0), bookletId, page);
                } catch (IllegalArgumentException x) {
                    return Future.failedFuture(ApiException.badRequest("page must be 1..999"));
                }
                return reader.read(e.blobRef(), actor, "quarantine")
                        .compose(bytes -> context.workers().executeBlocking(() -> {
                            PgIngestStore store = new PgIngestStore(pool, context.blobs(), actor,
                                    "assigned by hand to booklet " + bookletId + " page " + page);
                            return new IngestPipeline(FRAME, store, store, store, context.blobs(), random)
                                    .ingestAssigned(e.fileName(), bytes, e.filePage(), code, replace);
                        }, false))
                        .compose(result -> switch (result.outcome()) {
                            case INGESTED, RESCANNED -> Future.succeededFuture(new JsonObject().put("id", id).put("status", "resolved")
                                    .put("outcome", result.outcome().name()).put("booklet", bookletId).put("page", page)
                                    .put("responses", result.responseIds().size()));
                            case DUPLICATE -> Future.failedFuture(ApiException.conflict("this scan page was ingested already"));
                            case QUARANTINED -> Future.failedFuture(new ApiException(409, "still-quarantined",
                                    "the page still cannot be ingested as booklet " + bookletId + " page " + page + ": "
                                            + result.reason() + " (" + result.detail() + ")"
                                            + (result.reason() == QuarantineReason.DUPLICATE_PAGE ? "; send \"replace\": true to use this scan instead" : "")));
                        });
            });
        });
    }

    /** Rejects a quarantined page: it stays stored (encrypted) and listed, but is never ingested. */
    public Future<JsonObject> reject(long id, String note, UUID actor) {
        return pool.withTransaction(tx -> tx.preparedQuery("update quarantine set status = 'rejected', resolved_by = $2, resolved_at = now(), "
                                + "resolution = $3 where id = $1 and status = 'open' returning reason")
                        .execute(Tuple.of(id, actor, "rejected: " + note))
                        .compose(rs -> rs.size() == 0 ? Future.failedFuture(new ApiException(409, "not open"))
                                : AuditLog.record(tx, actor, "ingest.quarantine.rejected", "quarantine/" + id,
                                        new JsonObject().put("reason", rs.iterator().next().getString(0)).put("note", note))))
                .map(v -> new JsonObject().put("id", id).put("status", "rejected"))
                .recover(e -> e instanceof ApiException a && "not open".equals(a.getMessage())
                        ? entry(id).compose(en -> Future.failedFuture(ApiException.conflict("quarantined page " + id + " is already " + en.status())))
                        : Future.failedFuture(e));
    }

    // ------------------------------------------------------------------ summary

    /** Counts for one exam: registration, pages, responses per task, quarantine. */
    public Future<JsonObject> summary(String examId) {
        JsonObject out = new JsonObject().put("exam", examId);
        return pool.preparedQuery("select (select count(*) from exams where id = $1), "
                        + "(select count(*) from booklet_templates where exam_id = $1), (select count(*) from booklets where exam_id = $1), "
                        + "(select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1 and p.in_use), "
                        + "(select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1 and not p.in_use)")
                .execute(Tuple.of(examId))
                .compose(rs -> {
                    Row r = rs.iterator().next();
                    if (r.getLong(0) == 0) {
                        return Future.failedFuture(ApiException.notFound("no exam '" + examId + "'"));
                    }
                    out.put("layouts", r.getLong(1)).put("booklets", r.getLong(2))
                            .put("pages", new JsonObject().put("inUse", r.getLong(3)).put("replaced", r.getLong(4)));
                    return IdentityRecords.candidateCount(pool, examId);
                })
                .compose(n -> {
                    out.put("candidates", n);
                    return pool.preparedQuery("select t.id, count(r.id) filter (where r.status <> 'withdrawn'), "
                                    + "count(r.id) filter (where r.likely_blank and r.status <> 'withdrawn') "
                                    + "from tasks t left join responses r on r.task_id = t.id where t.exam_id = $1 group by t.id order by t.id")
                            .execute(Tuple.of(examId));
                })
                .compose(rs -> {
                    JsonObject byTask = new JsonObject();
                    long total = 0;
                    long blank = 0;
                    for (Row r : rs) {
                        byTask.put(r.getString(0), r.getLong(1));
                        total += r.getLong(1);
                        blank += r.getLong(2);
                    }
                    out.put("responses", new JsonObject().put("total", total).put("likelyBlank", blank).put("byTask", byTask));
                    return pool.query("select status, count(*) from quarantine group by status").execute();
                })
                .map(rs -> {
                    JsonObject q = new JsonObject().put("open", 0L).put("resolved", 0L).put("rejected", 0L);
                    rs.forEach(r -> q.put(r.getString(0), r.getLong(1)));
                    return out.put("quarantine", q);
                });
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}

package org.openmarking.server.ingest;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.Role;
import org.openmarking.server.http.ApiException;
import org.openmarking.server.http.Auth;
import org.openmarking.server.http.Bodies;

/**
 * {@code /api/v1/ingest}: booklet layouts, candidate registration, scan uploads and the
 * quarantine. Admin only. The upload route authenticates before it reads its (large) body
 * and has its own size limit, see {@link #mountUpload}.
 */
public final class IngestRoutes {
    /** The largest scan upload (one request; many files may go in one multipart body). */
    public static final long UPLOAD_LIMIT = 512L * 1024 * 1024;
    static final String UPLOAD_PATH = "/api/v1/ingest/scans";

    private final ServerContext context;
    private final IngestService service;
    private final SecureRandom random = new SecureRandom();

    public IngestRoutes(ServerContext context) {
        this.context = context;
        this.service = new IngestService(context);
    }

    /**
     * Mounts {@code POST /api/v1/ingest/scans} on the root router; call it before the API's
     * general body handler. The request is paused while the caller is authenticated, so nobody
     * without the admin role can make the server store a byte of a large body; then the body
     * is streamed into encrypted spool files in {@code <dataDir>/uploads} up to
     * {@link #UPLOAD_LIMIT} (see {@link UploadReceiver}, {@link SpoolFile}).
     */
    public void mountUpload(Router root) {
        mountUpload(root, context.config().dataDir().resolve(SpoolFile.DIRECTORY), UPLOAD_LIMIT, UploadReceiver.Observer.NONE);
    }

    /** As {@link #mountUpload(Router)} with another spool folder, limit and observer (tests). */
    void mountUpload(Router root, Path spoolDir, long limit, UploadReceiver.Observer observer) {
        root.post(UPLOAD_PATH)
                .handler(ctx -> {
                    ctx.request().pause();
                    ctx.next();
                })
                .handler(Auth.authenticate(context.accounts()))
                .handler(Auth.require(Role.ADMIN))
                .handler(ctx -> handleUpload(ctx, spoolDir, limit, observer))
                .failureHandler(ctx -> {
                    // Refused (before the body was read, or part-way): drop what is still coming and end the connection.
                    ctx.response().putHeader("Connection", "close");
                    ctx.request().resume();
                    ctx.next();
                });
    }

    /** Mounted at {@code /api/v1/*}: every path here starts with {@code /ingest}. */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        Handler<RoutingContext> auth = Auth.authenticate(context.accounts());
        Handler<RoutingContext> admin = Auth.require(Role.ADMIN);
        r.put("/ingest/layouts/:id").handler(auth).handler(admin).handler(this::handleSaveLayout);
        r.post("/ingest/exams/:examId/candidates").handler(auth).handler(admin).handler(this::handleRegister);
        r.get("/ingest/exams/:examId/summary").handler(auth).handler(admin).handler(this::handleSummary);
        r.get("/ingest/quarantine").handler(auth).handler(admin).handler(this::handleList);
        r.get("/ingest/quarantine/:id/scan").handler(auth).handler(admin).handler(this::handleScan);
        r.post("/ingest/quarantine/:id/resolve").handler(auth).handler(admin).handler(this::handleResolve);
        r.post("/ingest/quarantine/:id/reject").handler(auth).handler(admin).handler(this::handleReject);
        return r;
    }

    private void handleSaveLayout(RoutingContext ctx) {
        JsonObject body = Bodies.json(ctx);
        JsonObject layout = body.getValue("layout") instanceof JsonObject l ? l : null;
        if (layout == null) {
            throw ApiException.badRequest("send {\"subject\": ..., \"layout\": {booklet layout, see docs/booklet-format.md}}");
        }
        service.saveTemplate(ctx.pathParam("id"), Bodies.text(body, "subject"), layout, Auth.principal(ctx).userId())
                .onSuccess(saved -> ctx.response().setStatusCode(saved == IngestService.Saved.CREATED ? 201 : 200)
                        .putHeader("content-type", "application/json")
                        .end(new JsonObject().put("id", ctx.pathParam("id")).put("saved", saved.name().toLowerCase()).encode()))
                .onFailure(ctx::fail);
    }

    private void handleRegister(RoutingContext ctx) {
        List<IngestService.Registration> regs = IngestService.parseRegistrations(Bodies.json(ctx));
        service.register(ctx.pathParam("examId"), regs, Auth.principal(ctx).userId()).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void handleSummary(RoutingContext ctx) {
        service.summary(ctx.pathParam("examId")).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void handleUpload(RoutingContext ctx, Path spoolDir, long limit, UploadReceiver.Observer observer) {
        UploadReceiver.receive(ctx, spoolDir, limit, random, observer)
                // 'rescan' may be a form field, known only once the body is read
                .compose(files -> service.ingest(files, flag(ctx, "rescan"), Auth.principal(ctx).userId()))
                .onSuccess(reports -> ctx.json(describe(reports)))
                .onFailure(ctx::fail);
    }

    static JsonObject describe(List<IngestReport> reports) {
        JsonObject out = IngestService.summaryJson(IngestReport.Summary.of(reports));
        JsonArray pages = new JsonArray();
        for (IngestReport r : reports) {
            for (IngestReport.PageResult p : r.pages()) {
                JsonObject o = new JsonObject().put("file", r.fileName()).put("filePage", p.index()).put("outcome", p.outcome().name());
                if (p.code() != null) {
                    o.put("exam", p.code().examId()).put("booklet", p.code().bookletId()).put("page", p.code().page());
                }
                if (p.reason() != null) {
                    o.put("reason", p.reason().name()).put("detail", p.detail());
                }
                if (!p.responseIds().isEmpty()) {
                    o.put("responses", p.responseIds().size());
                }
                pages.add(o);
            }
        }
        return out.put("results", pages);
    }

    private void handleList(RoutingContext ctx) {
        String status = ctx.request().getParam("status", "open");
        if (!List.of("open", "resolved", "rejected", "all").contains(status)) {
            throw ApiException.badRequest("status is open, resolved, rejected or all");
        }
        int limit = intParam(ctx, "limit", 500, 1, 5000);
        service.quarantine(status, limit).onSuccess(list -> ctx.json(new JsonObject().put("quarantine", list))).onFailure(ctx::fail);
    }

    private void handleScan(RoutingContext ctx) {
        service.quarantinedScan(id(ctx), Auth.principal(ctx).userId())
                .onSuccess(bytes -> ctx.response().putHeader("content-type", mediaType(bytes)).end(io.vertx.core.buffer.Buffer.buffer(bytes)))
                .onFailure(ctx::fail);
    }

    private void handleResolve(RoutingContext ctx) {
        long id = id(ctx);
        JsonObject body = Bodies.json(ctx);
        String booklet = Bodies.text(body, "booklet");
        if (!(body.getValue("page") instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
            throw ApiException.badRequest("'page' must be the booklet page number (1, 2, ...)");
        }
        service.resolve(id, booklet, n.intValue(), body.getBoolean("replace", false), Auth.principal(ctx).userId())
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private void handleReject(RoutingContext ctx) {
        long id = id(ctx);
        JsonObject body = ctx.body().length() == 0 ? new JsonObject() : Bodies.json(ctx);
        String note = Bodies.text(body, "note");
        if (note.length() > 500) {
            throw ApiException.badRequest("'note' is at most 500 characters");
        }
        service.reject(id, note, Auth.principal(ctx).userId()).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no quarantined page " + ctx.pathParam("id"));
        }
    }

    private static boolean flag(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            v = ctx.request().getFormAttribute(name);
        }
        if (v == null || v.isEmpty() || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("'" + name + "' is true or false");
    }

    private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw ApiException.badRequest("'" + name + "' must be a number from " + min + " to " + max);
    }

    /** File names are shown back to admins and stored; keep them short and printable. */
    static String safeName(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9._ -]", "_");
        s = s.length() > 200 ? s.substring(s.length() - 200) : s;
        return s.isBlank() ? "upload" : s;
    }

    private static String mediaType(byte[] b) {
        if (b.length >= 4 && b[0] == (byte) 0x89 && b[1] == 'P') {
            return "image/png";
        }
        if (b.length >= 3 && b[0] == (byte) 0xff && b[1] == (byte) 0xd8) {
            return "image/jpeg";
        }
        if (b.length >= 4 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') {
            return "application/pdf";
        }
        if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I') || (b[0] == 'M' && b[1] == 'M'))) {
            return "image/tiff";
        }
        return "application/octet-stream";
    }
}

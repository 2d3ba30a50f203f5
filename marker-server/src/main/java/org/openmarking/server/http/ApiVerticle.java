package org.openmarking.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.openmarking.server.ServerContext;
import org.openmarking.server.account.AccountRoutes;
import org.openmarking.server.dashboard.DashboardRoutes;
import org.openmarking.server.exam.ExamRoutes;
import org.openmarking.server.health.HealthRoutes;
import org.openmarking.server.marking.MarkingRoutes;
import org.openmarking.server.push.PushRoutes;
import org.openmarking.server.quality.QualityRoutes;
import org.openmarking.server.tls.TlsMaterial;

/**
 * The HTTPS API of one node: one sub-router per feature under {@code /api/v1/<feature>},
 * {@code /health}, the OpenAPI document, and one failure handler that turns refusals into
 * JSON errors. Several instances may run on one node; they share the listening port.
 */
public final class ApiVerticle extends VerticleBase {
    /** The largest JSON body a route accepts; uploads have their own limits. */
    static final long BODY_LIMIT = 1024 * 1024;

    private final ServerContext context;
    private final TlsMaterial tls;
    private final Consumer<Router> extraRoutes;
    private volatile int actualPort;
    private volatile Router router;

    /**
     * @param extraRoutes mounts further features' sub-routers (added as features arrive)
     */
    public ApiVerticle(ServerContext context, TlsMaterial tls, Consumer<Router> extraRoutes) {
        this.context = context;
        this.tls = tls;
        this.extraRoutes = extraRoutes;
    }

    @Override
    public Future<?> start() {
        Router root = buildRouter();
        router = root;
        HttpServerOptions options = new HttpServerOptions()
                .setHost(context.config().host())
                .setPort(context.config().httpsPort())
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certChain().toString()).setKeyPath(tls.key().toString()))
                .setCompressionSupported(true);
        return vertx.createHttpServer(options).requestHandler(root).listen().onSuccess(s -> actualPort = s.actualPort());
    }

    public int actualPort() {
        return actualPort;
    }

    /** The routes this verticle serves (tests compare them with the OpenAPI document). */
    public Router router() {
        return router;
    }

    private Router buildRouter() {
        Router root = Router.router(vertx);
        root.route().handler(ctx -> {
            // Answers are never cached by browsers or proxies: they may hold marks or images.
            ctx.response().putHeader("Cache-Control", "no-store")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Strict-Transport-Security", "max-age=31536000");
            ctx.next();
        });
        root.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));

        HealthRoutes health = new HealthRoutes(context);
        root.get("/health").handler(health::handleHealth);
        Buffer openapi = openApiDocument();
        root.get("/api/v1/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openapi));

        AccountRoutes accounts = new AccountRoutes(context.accounts());
        root.route("/api/v1/auth/*").subRouter(accounts.auth(vertx));
        root.route("/api/v1/admin/*").subRouter(accounts.admin(vertx));
        root.route("/api/v1/*").subRouter(new ExamRoutes(context).router(vertx));
        root.route("/api/v1/*").subRouter(new PushRoutes(context.accounts()).router(vertx));
        root.route("/api/v1/marking/*").subRouter(new MarkingRoutes(context).router(vertx));
        root.route("/api/v1/quality/*").subRouter(new QualityRoutes(context).router(vertx));
        root.get("/").handler(ctx -> ctx.redirect("/dashboard/"));
        root.route("/dashboard/*").subRouter(new DashboardRoutes().router(vertx));
        extraRoutes.accept(root);

        root.route().last().handler(ctx -> ctx.fail(ApiException.notFound("no such resource: " + ctx.request().path())));
        root.route().failureHandler(Failures::handle);
        return root;
    }

    /**
     * Features describe their routes in their own fragment, {@code openapi/<name>.json} with
     * {@code paths} and {@code components.schemas}, so that features arriving in parallel
     * never edit one shared file. A fragment may not redefine a path or schema.
     */
    static final List<String> OPENAPI_FRAGMENTS = List.of("marking");

    static Buffer openApiDocument() {
        JsonObject doc = new JsonObject(resource("/openapi/openapi.json"));
        for (String name : OPENAPI_FRAGMENTS) {
            JsonObject fragment = new JsonObject(resource("/openapi/" + name + ".json"));
            mergeInto(doc.getJsonObject("paths"), fragment.getJsonObject("paths", new JsonObject()), name);
            JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
            mergeInto(schemas, fragment.getJsonObject("components", new JsonObject()).getJsonObject("schemas", new JsonObject()), name);
        }
        return doc.toBuffer();
    }

    private static void mergeInto(JsonObject target, JsonObject extra, String fragment) {
        for (String key : extra.fieldNames()) {
            if (target.containsKey(key)) {
                throw new IllegalStateException("openapi/" + fragment + ".json redefines " + key);
            }
            target.put(key, extra.getValue(key));
        }
    }

    private static Buffer resource(String name) {
        try (InputStream in = ApiVerticle.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

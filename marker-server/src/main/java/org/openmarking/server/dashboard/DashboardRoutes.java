package org.openmarking.server.dashboard;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The chief examiner's dashboard: static pages under {@code /dashboard/} that call the same
 * authenticated JSON API as every other client and listen to the exam's push stream.
 *
 * <p>The pages hold no data, so serving them needs no login; everything they show comes from
 * API calls that check the bearer token, role and scope. A strict Content-Security-Policy
 * (scripts only from this origin, no inline script) keeps the token, which the page holds
 * in session storage, out of reach of injected markup.
 */
public final class DashboardRoutes {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /** Chart.js from its WebJar on the classpath, so the build needs no npm step. */
    static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";

    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        r.route().handler(DashboardRoutes::securityHeaders);
        // Vert.x's file system resolves classpath resources, so this reads the WebJar without blocking.
        r.get("/vendor/chart.umd.min.js").handler(ctx -> vertx.fileSystem().readFile(CHART_JS)
                .onSuccess(js -> ctx.response().putHeader("content-type", "text/javascript; charset=utf-8").end(js))
                .onFailure(ctx::fail));
        r.route("/*").handler(StaticHandler.create("dashboard").setCachingEnabled(false).setDirectoryListing(false)
                .setIndexPage("index.html"));
        return r;
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", CSP)
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        ctx.next();
    }
}

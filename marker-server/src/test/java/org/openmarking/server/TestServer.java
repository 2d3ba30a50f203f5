package org.openmarking.server;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openmarking.server.config.ConfigLoader;
import org.openmarking.server.config.ServerConfig;

/**
 * A real server node for tests: embedded PostgreSQL in a temporary data directory, HTTPS on
 * a free port, and a client that trusts the node's own CA. Like vertx-web's WebTestBase, it
 * keeps route tests to a few lines: {@code server.call(POST, "/api/v1/...", token, body)}.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    private static TestServer shared;

    private final ServerApp app;
    private final WebClient client;
    private final Path dataDir;

    private TestServer(ServerApp app, Path dataDir) {
        this.app = app;
        this.dataDir = dataDir;
        this.client = WebClient.create(app.vertx(), new WebClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(app.tls().caCert().toString()))
                .setDefaultHost("localhost").setDefaultPort(app.port()));
    }

    /** One node shared by the test classes of this JVM; stopped when the JVM exits. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            try {
                shared = start(Files.createTempDirectory("openmarking-test"), Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Starts a node on {@code dataDir} with extra OPENMARKING_* settings. */
    public static TestServer start(Path dataDir, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("OPENMARKING_DATA_DIR", dataDir.toString());
        env.put("OPENMARKING_HTTPS_PORT", "0");
        env.put("OPENMARKING_SCHEMES_DIR", TestPaths.schemes().toString());
        env.put("OPENMARKING_FACE_MODELS_DIR", TestPaths.shared().resolve("models").toString());
        // The shared labelled photos hold one or two per person: enrol from one (a setting test overrides it).
        env.putIfAbsent("OPENMARKING_FACE_ENROL_MIN_PHOTOS", "1");
        env.putIfAbsent("OPENMARKING_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putIfAbsent("OPENMARKING_KEYSTORE_PASSPHRASE", "test keystore passphrase");
        ServerConfig config = ConfigLoader.load(Optional.empty(), env);
        try {
            return new TestServer(ServerApp.start(config, env, Clock.systemUTC(), r -> { }), dataDir);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public ServerApp app() {
        return app;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A response: status and body parsed as JSON (or null). */
    public record Reply(int status, JsonObject json, HttpResponse<Buffer> raw) {
        public String error() {
            return json == null ? null : json.getString("error");
        }
    }

    public Reply call(HttpMethod method, String path, String token, JsonObject body) {
        HttpRequest<Buffer> req = client.request(method, path);
        if (token != null) {
            req.bearerTokenAuthentication(token);
        }
        HttpResponse<Buffer> res = await(body == null ? req.send() : req.sendJsonObject(body));
        JsonObject json = null;
        String type = res.getHeader("content-type");
        if (type != null && type.startsWith("application/json") && res.body() != null && res.body().length() > 0) {
            json = res.bodyAsJsonObject();
        }
        return new Reply(res.statusCode(), json, res);
    }

    public Reply get(String path, String token) {
        return call(HttpMethod.GET, path, token, null);
    }

    public Reply post(String path, String token, JsonObject body) {
        return call(HttpMethod.POST, path, token, body);
    }

    /** Logs in and returns the bearer token; fails the test on anything but 200. */
    public String login(String username, String password) {
        Reply r = post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.error());
        }
        return r.json().getString("token");
    }

    public String adminToken() {
        return login("admin", ADMIN_PASSWORD);
    }

    /** Creates a user with one role through the admin API and returns their token. */
    public String createUser(String username, String role, String scope) {
        String password = "password-of-" + username;
        Reply r = post("/api/v1/admin/users", adminToken(), new JsonObject().put("username", username).put("password", password)
                .put("roles", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", role).put("scope", scope))));
        if (r.status() != 201) {
            throw new AssertionError("creating " + username + " failed: " + r.status() + " " + r.error());
        }
        return login(username, password);
    }

    @Override
    public void close() {
        try {
            client.close();
            app.close();
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not stop cleanly", e);
        }
    }
}

package org.openmarking.server.face;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openmarking.server.ServerApp;
import org.openmarking.server.TestPaths;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.config.ConfigLoader;
import org.openmarking.server.face.presence.FacePresence;
import org.openmarking.server.presence.MarkHolds;

/**
 * A server node for the presence tests: like {@link TestServer} (embedded database, HTTPS on a
 * free port), but with a clock the tests move forward, a {@link MarkHolds} that records what it
 * is asked, and a record of every push to the users the test watches.
 */
final class PresenceNode implements AutoCloseable {
    /** A clock the tests move forward (sessions, checks and deadlines all use it). */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Mark holds that record each call and report {@link #COUNT} marks changed. */
    static final class RecordingMarkHolds implements MarkHolds {
        static final int COUNT = 3;
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public io.vertx.core.Future<Integer> holdSince(UUID markerId, Instant since, String reason, UUID actor) {
            calls.add("hold " + markerId + " since " + since);
            return io.vertx.core.Future.succeededFuture(COUNT);
        }

        @Override
        public io.vertx.core.Future<Integer> release(UUID markerId, boolean accept, UUID actor) {
            calls.add("release " + markerId + (accept ? " accept" : " withdraw") + " by " + actor);
            return io.vertx.core.Future.succeededFuture(COUNT);
        }
    }

    final ServerApp app;
    final MovableClock clock;
    final RecordingMarkHolds holds;
    private final WebClient client;
    private final Map<UUID, List<JsonObject>> pushes = new HashMap<>();
    private final Map<String, List<JsonObject>> examPushes = new HashMap<>();

    final Path dataDir;

    private PresenceNode(ServerApp app, MovableClock clock, RecordingMarkHolds holds, Path dataDir) {
        this.app = app;
        this.dataDir = dataDir;
        this.clock = clock;
        this.holds = holds;
        this.client = WebClient.create(app.vertx(), new WebClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(app.tls().caCert().toString()))
                .setDefaultHost("localhost").setDefaultPort(app.port()));
    }

    /** Starts a node on a fresh data directory with extra OPENMARKING_* settings. */
    static PresenceNode start(Map<String, String> settings) throws Exception {
        return start(settings, new MovableClock());
    }

    /** Starts a node with the given clock (nodes of one test share one). */
    static PresenceNode start(Map<String, String> settings, MovableClock clock) throws Exception {
        Path dir = Files.createTempDirectory("openmarking-presence");
        Map<String, String> env = new HashMap<>();
        env.put("OPENMARKING_DATA_DIR", dir.toString());
        env.put("OPENMARKING_HTTPS_PORT", "0");
        env.put("OPENMARKING_SCHEMES_DIR", TestPaths.schemes().toString());
        env.put("OPENMARKING_FACE_MODELS_DIR", TestPaths.shared().resolve("models").toString());
        // The shared labelled photos hold one or two per person: enrol from one (settings, put last, may say otherwise).
        env.put("OPENMARKING_FACE_ENROL_MIN_PHOTOS", "1");
        env.put("OPENMARKING_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        env.put("OPENMARKING_KEYSTORE_PASSPHRASE", "test keystore passphrase");
        env.putAll(settings);
        RecordingMarkHolds holds = new RecordingMarkHolds();
        ServerApp app = ServerApp.start(ConfigLoader.load(Optional.empty(), env), env, clock, r -> { }, db -> holds);
        return new PresenceNode(app, clock, holds, dir);
    }

    FacePresence presence() {
        return (FacePresence) app.context().presence();
    }

    /** Records every push to {@code user} from now on. */
    synchronized void watch(UUID user) {
        pushes.put(user, Collections.synchronizedList(new ArrayList<>()));
        TestServer.await(app.vertx().eventBus().<JsonObject>consumer("openmarking.push.user." + user,
                m -> pushes.get(user).add(m.body())).completion());
    }

    /** Records every push to the dashboards of {@code exam} from now on. */
    synchronized void watchExam(String exam) {
        examPushes.put(exam, Collections.synchronizedList(new ArrayList<>()));
        TestServer.await(app.vertx().eventBus().<JsonObject>consumer("openmarking.push.scope." + exam,
                m -> examPushes.get(exam).add(m.body())).completion());
    }

    /** The pushes the dashboards of {@code exam} received, in order (waits briefly for stragglers). */
    List<JsonObject> examPushes(String exam) throws InterruptedException {
        Thread.sleep(300);
        synchronized (this) {
            return List.copyOf(examPushes.get(exam));
        }
    }

    /** The types of the pushes {@code user} received, in order (waits briefly for stragglers). */
    List<String> pushTypes(UUID user) throws InterruptedException {
        Thread.sleep(300);
        synchronized (this) {
            return pushes.get(user).stream().map(p -> p.getString("type")).toList();
        }
    }

    Reply call(HttpMethod method, String path, String token, JsonObject body) {
        HttpRequest<Buffer> req = client.request(method, path);
        if (token != null) {
            req.bearerTokenAuthentication(token);
        }
        HttpResponse<Buffer> res = TestServer.await(body == null ? req.send() : req.sendJsonObject(body));
        JsonObject json = null;
        String type = res.getHeader("content-type");
        if (type != null && type.startsWith("application/json") && res.body() != null && res.body().length() > 0) {
            json = res.bodyAsJsonObject();
        }
        return new Reply(res.statusCode(), json, res);
    }

    Reply get(String path, String token) {
        return call(HttpMethod.GET, path, token, null);
    }

    Reply post(String path, String token, JsonObject body) {
        return call(HttpMethod.POST, path, token, body);
    }

    String login(String username, String password) {
        Reply r = post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.error());
        }
        return r.json().getString("token");
    }

    String admin() {
        return login("admin", TestServer.ADMIN_PASSWORD);
    }

    /** Creates a user with one role and returns their id. */
    UUID createUser(String username, String role, String scope) {
        Reply r = post("/api/v1/admin/users", admin(), new JsonObject().put("username", username).put("password", password(username))
                .put("roles", new JsonArray().add(new JsonObject().put("role", role).put("scope", scope))));
        if (r.status() != 201) {
            throw new AssertionError("creating " + username + " failed: " + r.status() + " " + r.error());
        }
        return UUID.fromString(get("/api/v1/auth/me", login(username, password(username))).json().getString("id"));
    }

    static String password(String username) {
        return "password-of-" + username;
    }

    @Override
    public void close() throws Exception {
        client.close();
        app.close();
    }
}

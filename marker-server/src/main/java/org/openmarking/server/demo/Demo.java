package org.openmarking.server.demo;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openmarking.server.ServerApp;
import org.openmarking.server.config.ConfigLoader;
import org.openmarking.server.config.ServerConfig;
import org.openmarking.server.crypto.KeystorePassphrase;
import org.openmarking.server.face.sim.DemoFaces;
import org.openmarking.server.face.sim.FaceCheckResponder;
import org.openmarking.server.face.sim.SimulatedCamera;
import org.openmarking.server.store.OwnerOnlyFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo: a server node on the embedded database with a sample exam, its criteria and
 * demo accounts, set up through the public API exactly as the board would.
 *
 * <p>Passwords are generated at the first run and kept in {@code <data>/demo-credentials.properties}
 * (readable only by its owner), so a second run finds the same accounts and data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs the Open Marking demo until Ctrl-C.")
public final class Demo implements Callable<Integer> {
    static final String EXAM = "demo26";

    @Option(names = "--data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path data = Path.of("data/demo");

    @Option(names = "--port", description = "HTTPS port (default: ${DEFAULT-VALUE})")
    int port = 8443;

    @Option(names = "--faces", description = "face photos to enrol the demo markers from (default: ${DEFAULT-VALUE})")
    Path faces = Path.of("../shared/data/faces");

    @Option(names = "--exit-after-setup", description = "stop once the demo is set up (for scripted checks)")
    boolean exitAfterSetup;

    @Option(names = "--simulate-markers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "run marker1-6 as simulated markers on the sample scans, answering face checks with their enrolled"
                    + " faces (default: on; --no-simulate-markers leaves the markers to you)")
    boolean simulateMarkers;

    @Option(names = "--browser", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "open the dashboard in the desktop's browser once the markers run, when there is a display (default: on)")
    boolean browser;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data);
        Properties credentials = credentials(data.resolve("demo-credentials.properties"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("OPENMARKING_DATA_DIR", data.toString());
        env.put("OPENMARKING_HTTPS_PORT", Integer.toString(port));
        env.put("OPENMARKING_ADMIN_PASSWORD", credentials.getProperty("admin"));
        if (!env.containsKey(KeystorePassphrase.VARIABLE) && !env.containsKey(KeystorePassphrase.FILE_VARIABLE)) {
            // The demo's keystore passphrase lives beside its generated passwords (owner-only file).
            env.put(KeystorePassphrase.FILE_VARIABLE, keystorePassphrase(data.resolve("keystore-passphrase")).toString());
        }
        // The shared labelled photos hold one or two per person, so the demo enrols from one (a
        // board keeps the default of several: faceEnrolMinPhotos).
        env.putIfAbsent("OPENMARKING_FACE_ENROL_MIN_PHOTOS", "1");
        ServerConfig config = ConfigLoader.load(Optional.empty(), env);
        if (!Files.isRegularFile(config.faceModelsDir().resolve("fr_feature.onnx"))) {
            System.out.println("demo: no face models in " + config.faceModelsDir().toAbsolutePath()
                    + ": face checks are unavailable and markers cannot mark (see README, Face models)");
        }
        ServerApp app = ServerApp.start(config, env, Clock.systemUTC(), r -> { });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("demo: unclean stop: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "demo-shutdown"));

        WebClient client = WebClient.create(app.vertx(), new WebClientOptions().setSsl(true).setDefaultHost("localhost")
                .setDefaultPort(app.port()).setTrustOptions(new PemTrustOptions().addCertPath(app.tls().caCert().toString())));
        DemoApi api = new DemoApi(client);
        String admin = api.login("admin", credentials.getProperty("admin"));
        setUp(api, admin, credentials);
        String scans = DemoScans.setUp(client, admin, data.resolve("scans"));
        List<String> enrolled = enrollFaces(client, admin);

        String url = "https://localhost:" + app.port();
        System.out.println();
        System.out.println("Open Marking demo is running at " + url);
        System.out.println("  health:        " + url + "/health");
        System.out.println("  API document:  " + url + "/api/v1/openapi.json");
        System.out.println("  dashboard:     " + url + "/dashboard/  (log in as chief; trust the CA below or accept the warning)");
        System.out.println("  database:      " + app.context().database().description());
        System.out.println("  CA to trust:   " + app.tls().caCert().toAbsolutePath());
        System.out.println("  CA SHA-256:    " + app.tls().caFingerprint());
        System.out.println("  sample exam:   " + EXAM + " (scheme admission-2026, " + api.taskCount(admin) + " marking tasks)");
        System.out.println("  " + scans);
        System.out.println("  accounts (passwords in " + data.resolve("demo-credentials.properties").toAbsolutePath() + "):");
        for (String user : credentials.stringPropertyNames().stream().sorted().toList()) {
            System.out.println("    " + user + " / " + credentials.getProperty(user));
        }
        System.out.println("  face checks:   " + api.get("/api/v1/face/service", admin).encode());
        enrolled.forEach(line -> System.out.println("    " + line));
        System.out.println("  try: curl --cacert " + app.tls().caCert().toAbsolutePath() + " " + url + "/health");
        System.out.println("  marker client: scripts/client.sh --server " + url + " --ca " + app.tls().caCert().toAbsolutePath()
                + "  (log in as marker1..marker6)");
        System.out.println("Press Ctrl-C to stop.");
        if (exitAfterSetup) {
            return 0; // the shutdown hook stops the node
        }
        if (simulateMarkers) {
            Map<String, String> markers = new HashMap<>();
            for (int i = 1; i <= 6; i++) {
                markers.put("marker" + i, credentials.getProperty("marker" + i));
            }
            SimulatedMarkers sim = new SimulatedMarkers(client, api.login("chief", credentials.getProperty("chief")), markers,
                    faceResponder(app, client, config), 1500, System.out::println);
            String task = sim.start(EXAM);
            System.out.println(task == null ? "simulated markers: no task of " + EXAM + " has responses yet; ingest booklets first"
                    : "simulated markers: marker1-4 accurate (marker1 and marker2 senior, for third marks), marker5 drifting, marker6 careless, on " + task);
        }
        if (browser) {
            openInBrowser(url + "/dashboard/");
        }
        stopped.await();
        return 0;
    }

    /** Creates the sample exam, its criteria and the demo accounts unless they exist. */
    private static void setUp(DemoApi api, String admin, Properties credentials) {
        if (api.examExists(admin, EXAM)) {
            return;
        }
        JsonObject exam = api.post("/api/v1/exams", admin, new JsonObject().put("id", EXAM).put("name", "Demo admission exam 2026")
                .put("scheme", "admission-2026").put("satOn", "2026-06-20"), 201);
        for (Object task : exam.getJsonArray("tasks")) {
            api.post("/api/v1/exams/tasks/" + task + "/criteria", admin, SampleCriteria.forTask(task.toString()), 201);
        }
        Map<String, JsonObject> users = new LinkedHashMap<>();
        users.put("chief", role("chief_examiner", EXAM));
        users.put("expert", role("appeal_expert", EXAM));
        for (int i = 1; i <= 6; i++) {
            users.put("marker" + i, role("marker", EXAM).put("regionCode", "R" + (i % 3)));
        }
        users.forEach((name, body) -> api.post("/api/v1/admin/users", admin,
                body.put("username", name).put("password", credentials.getProperty(name)), 201));
    }

    /** Enrols marker1..marker6 from the shared face photos (once; later runs find them enrolled). */
    private List<String> enrollFaces(WebClient client, String admin) {
        Map<String, List<Path>> people = DemoFaces.assign(faces);
        if (people.isEmpty()) {
            return List.of("no face photos in " + faces.toAbsolutePath() + ": markers are not enrolled");
        }
        return DemoFaces.enroll(client, admin, people);
    }

    /**
     * The simulated markers' camera: each shows the photo of the person it was enrolled as, turned
     * as challenged, through the same HTTP calls as the client. Without models they cannot answer.
     */
    private SimulatedMarkers.FaceCheckResponder faceResponder(ServerApp app, WebClient client, ServerConfig config) {
        Map<String, List<Path>> people = DemoFaces.assign(faces);
        if (config.faceChecksOff() || people.isEmpty()) {
            return SimulatedMarkers.FaceCheckResponder.NONE;
        }
        FaceCheckResponder responder;
        try {
            responder = new FaceCheckResponder(app.vertx(), client, SimulatedCamera.open(config.faceModelsDir(), 2026),
                    DemoFaces.cameraPhotos(people));
        } catch (Exception e) {
            System.out.println("demo: simulated markers cannot answer face checks: " + e.getMessage());
            return SimulatedMarkers.FaceCheckResponder.NONE;
        }
        return (user, token) -> {
            try {
                JsonObject verdict = responder.apply(user, token).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                boolean passed = "PASS".equals(verdict.getString("result"));
                if (!passed) {
                    System.out.println("simulated markers: " + user + " failed a face check: " + verdict.getString("reason"));
                }
                return passed;
            } catch (Exception e) {
                System.out.println("simulated markers: " + user + " could not answer a face check: " + e.getMessage());
                return false;
            }
        };
    }

    private static JsonObject role(String role, String scope) {
        return new JsonObject().put("roles", new JsonArray().add(new JsonObject().put("role", role).put("scope", scope)));
    }

    /** A generated passphrase in an owner-only file, made once and reused on later runs. */
    static Path keystorePassphrase(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            OwnerOnlyFiles.write(file, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
        return file;
    }

    /**
     * Opens the dashboard with the desktop's opener when a display is there; on a server or in a
     * terminal without one the printed address is the way in.
     */
    private static void openInBrowser(String url) {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            return;
        }
        try {
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            System.out.println("dashboard opened in the browser: " + url + " (log in as chief)");
        } catch (IOException e) {
            System.out.println("open " + url + " in a browser (log in as chief)");
        }
    }

    /** Loads the demo's passwords, generating any that are missing. */
    static Properties credentials(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        SecureRandom random = new SecureRandom();
        boolean changed = false;
        for (String user : new String[] {"admin", "chief", "expert", "marker1", "marker2", "marker3", "marker4", "marker5", "marker6"}) {
            if (!p.containsKey(user)) {
                byte[] b = new byte[12];
                random.nextBytes(b);
                p.setProperty(user, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
                changed = true;
            }
        }
        if (changed) {
            // The values are ASCII (base64url), so the text form reads back with load(InputStream).
            java.io.StringWriter text = new java.io.StringWriter();
            p.store(text, "Open Marking demo accounts (generated; demo only)");
            OwnerOnlyFiles.write(file, text.toString());
        }
        return p;
    }

    /** A few blocking calls to the node's own API; the demo runs on the main thread. */
    static final class DemoApi {
        private final WebClient client;

        DemoApi(WebClient client) {
            this.client = client;
        }

        String login(String user, String password) {
            return post("/api/v1/auth/login", null, new JsonObject().put("username", user).put("password", password), 200).getString("token");
        }

        boolean examExists(String token, String id) {
            return get("/api/v1/exams", token).getJsonArray("exams").stream().map(JsonObject.class::cast)
                    .anyMatch(e -> e.getString("id").equals(id));
        }

        int taskCount(String token) {
            return get("/api/v1/exams", token).getJsonArray("exams").stream().map(JsonObject.class::cast)
                    .filter(e -> e.getString("id").equals(EXAM)).mapToInt(e -> e.getJsonArray("tasks").size()).sum();
        }

        JsonObject get(String path, String token) {
            var req = client.get(path);
            if (token != null) {
                req.bearerTokenAuthentication(token);
            }
            return check(await(req.send()), 200, path);
        }

        JsonObject post(String path, String token, JsonObject body, int expected) {
            var req = client.post(path);
            if (token != null) {
                req.bearerTokenAuthentication(token);
            }
            return check(await(req.sendJsonObject(body)), expected, path);
        }

        private static JsonObject check(HttpResponse<Buffer> res, int expected, String path) {
            if (res.statusCode() != expected) {
                throw new IllegalStateException(path + " answered " + res.statusCode() + ": " + res.bodyAsString());
            }
            return res.body() == null || res.body().length() == 0 ? new JsonObject() : res.bodyAsJsonObject();
        }

        private static <T> T await(Future<T> f) {
            try {
                return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

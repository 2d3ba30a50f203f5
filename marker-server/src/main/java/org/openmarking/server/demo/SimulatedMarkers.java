package org.openmarking.server.demo;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Simulated markers for the demo: marker1..marker6 work over the public HTTPS API, exactly as
 * the desktop client does, through calibration and live marking. Four are accurate, one drifts
 * (one step severe on a growing share of answers), one turns careless (random marks) once live,
 * so the seed policy visibly warns and then suspends the careless one, and in time the drifting one.
 *
 * <p>A simulated marker needs a "true" mark to be accurate about. For calibration items and seeds
 * it is the definitive mark (read with the chief examiner's account, as a well-trained marker
 * would arrive at it); for live answers, whose true mark nobody knows, it is a fixed mark derived
 * from the response id, so accurate markers agree with one another.
 *
 * <p>Setup, done once as the chief examiner if the task lacks it: calibration settings (sets of
 * four, three exact), two calibration sets and ten seeds chosen among untouched responses, one
 * seed in five, and a drift detector without slack. The standard policy tolerates 1/6 per seed
 * and needs hundreds of live answers to catch a one-step drift ({@code SeedPolicy.standard()});
 * a demo marker sees only ten seeds, so the demo task counts every severe sixth (accurate
 * markers, wrong on one answer in 25, stay far below the threshold over ten seeds).
 */
public final class SimulatedMarkers implements AutoCloseable {
    /** What a marker does when asked for a face check (409 face-check-due or presence-paused). */
    @FunctionalInterface
    public interface FaceCheckResponder {
        /**
         * Answers a due face check for {@code username} (whose session token is given); returns
         * true when the check was passed and marking may go on.
         */
        boolean respond(String username, String token);

        /** Face checks are off or cannot be answered: the marker waits and tries again. */
        FaceCheckResponder NONE = (user, token) -> false;
    }

    /** How a simulated marker marks. */
    public enum Profile { ACCURATE, DRIFTING, CARELESS }

    private static final String[] MARKS = {"0", "1/3", "1/2", "2/3", "1"};
    private static final int ITEMS_PER_SET = 4;
    /** Accurate markers the chief examiner makes senior: they give the blind third marks. */
    static final Set<String> SENIORS = Set.of("marker1", "marker2");

    private final WebClient client;
    private final String chiefToken;
    private final Map<String, String> passwords;
    private final FaceCheckResponder faces;
    private final long thinkMillis;
    private final Consumer<String> log;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, String> definitive = new ConcurrentHashMap<>();
    private final Map<String, String> outcome = new ConcurrentHashMap<>();
    private volatile String examId;
    private volatile String task;
    private long lastOutstanding = -1;
    private long lastChange;

    /**
     * @param client      a client of the node (HTTPS, trusting its CA)
     * @param chiefToken  a session of a chief examiner whose scope covers the exam
     * @param passwords   marker user name to password (marker1..marker6)
     * @param faces       answers face checks; {@link FaceCheckResponder#NONE} when there is no face service
     * @param thinkMillis average pause before each mark, so the dashboard is watchable (0: flat out)
     */
    public SimulatedMarkers(WebClient client, String chiefToken, Map<String, String> passwords, FaceCheckResponder faces,
                            long thinkMillis, Consumer<String> log) {
        this.client = client;
        this.chiefToken = chiefToken;
        this.passwords = Map.copyOf(passwords);
        this.faces = faces;
        this.thinkMillis = thinkMillis;
        this.log = log;
    }

    /** marker1..4 accurate, marker5 drifting, marker6 careless. */
    public static Profile profileOf(String username) {
        return switch (username) {
            case "marker5" -> Profile.DRIFTING;
            case "marker6" -> Profile.CARELESS;
            default -> Profile.ACCURATE;
        };
    }

    /**
     * Picks the task of {@code examId} with the most open responses, prepares it (calibration
     * sets, seeds) and starts one thread per marker. Returns the task id, or null when no task
     * has enough responses yet.
     */
    public String start(String examId) {
        this.examId = examId;
        String first = prepare(examId);
        if (first == null) {
            return null;
        }
        task = first;
        for (String user : passwords.keySet().stream().sorted().toList()) {
            Thread t = new Thread(() -> run(user), "simulated-" + user);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return first;
    }

    /** The task the markers are working on now (they move on when one has nothing left to mark). */
    public String task() {
        return task;
    }

    /**
     * Called by a marker who found no work on {@code exhausted}: when that task has no open
     * response left, prepares the next task of the exam and makes it everyone's, so the demo
     * keeps marking (and calibrating, seeding, suspending) for as long as it runs. True if the
     * markers now have another task; false if there is still work (others hold it) or none left.
     */
    private synchronized boolean moveOn(String exhausted) {
        if (!exhausted.equals(task)) {
            return true;
        }
        // Done when no mark is outstanding; also when nothing has moved for a minute although
        // marks are (e.g. a third mark only a senior who already marked that answer could give).
        JsonObject progress = call(HttpMethod.GET, "/api/v1/quality/tasks/" + exhausted + "/progress", chiefToken, null);
        long outstanding = progress.getLong("marksOutstanding", 0L) + progress.getLong("leasesRunning", 0L);
        long now = System.nanoTime();
        if (outstanding != lastOutstanding) {
            lastOutstanding = outstanding;
            lastChange = now;
        }
        if (outstanding > 0 && now - lastChange < TimeUnit.SECONDS.toNanos(60)) {
            return false;
        }
        String next = prepare(examId);
        if (next == null || next.equals(exhausted)) {
            return false;
        }
        log.accept("simulated markers: " + exhausted + " is marked; moving on to " + next);
        task = next;
        return true;
    }

    private boolean moveOnQuietly(String exhausted) {
        try {
            return moveOn(exhausted);
        } catch (IllegalStateException e) {
            log.accept("simulated markers: could not move on from " + exhausted + ": " + e.getMessage());
            return false;
        }
    }

    /** How each marker ended, or is doing: "marking", "suspended", "held", ... */
    public Map<String, String> outcome() {
        return Map.copyOf(outcome);
    }

    /** Prepares the busiest task for calibration and seeding; null when nothing is ready. */
    String prepare(String examId) {
        JsonArray tasks = call(HttpMethod.GET, "/api/v1/quality/tasks", chiefToken, null).getJsonArray("tasks");
        String best = null;
        List<String> open = List.of();
        for (Object o : tasks) {
            JsonObject t = (JsonObject) o;
            if (!t.getString("examId").equals(examId)) {
                continue;
            }
            List<String> ids = call(HttpMethod.GET, "/api/v1/quality/tasks/" + t.getString("taskId") + "/responses?status=open&limit=1000",
                    chiefToken, null).getJsonArray("responses").stream().map(r -> ((JsonObject) r).getString("responseId")).toList();
            if (ids.size() > open.size()) {
                best = t.getString("taskId");
                open = ids;
            }
        }
        if (best == null) {
            return null;
        }
        JsonObject sets = call(HttpMethod.GET, "/api/v1/quality/tasks/" + best + "/calibration-sets", chiefToken, null);
        JsonObject seeds = call(HttpMethod.GET, "/api/v1/quality/tasks/" + best + "/seeds", chiefToken, null);
        boolean prepared = sets.getJsonArray("sets").size() >= 2;
        if (!prepared && open.size() < 2 * ITEMS_PER_SET + 10 + 10) {
            log.accept("simulated markers: task " + best + " has only " + open.size() + " responses; need at least 28");
            return null;
        }
        if (!prepared) {
            call(HttpMethod.PUT, "/api/v1/quality/tasks/" + best + "/settings", chiefToken, new JsonObject()
                    .put("calibration", new JsonObject().put("required", true).put("itemsPerSet", ITEMS_PER_SET).put("minExact", 3).put("maxStepsOff", 1))
                    .put("seeding", new JsonObject().put("meanInterval", 5).put("cusumSlack", 0)).put("exclusions", new JsonArray()));
            int next = 0;
            for (int s = 0; s < 2; s++) {
                JsonArray items = new JsonArray();
                for (int i = 0; i < ITEMS_PER_SET; i++) {
                    String id = open.get(next++);
                    items.add(new JsonObject().put("responseId", id).put("mark", trueMark(id)).put("rationale",
                            "Scores " + trueMark(id) + ": see the criteria clause for a " + (trueMark(id).equals("1") ? "full" : "partial") + " answer."));
                }
                call(HttpMethod.POST, "/api/v1/quality/tasks/" + best + "/calibration-sets", chiefToken, new JsonObject().put("items", items));
            }
            for (int i = 0; i < 10; i++) {
                String id = open.get(next++);
                call(HttpMethod.POST, "/api/v1/quality/tasks/" + best + "/seeds", chiefToken, new JsonObject().put("responseId", id)
                        .put("mark", trueMark(id)).put("rationale", "model answer"));
            }
            log.accept("simulated markers: prepared task " + best + " (2 calibration sets of " + ITEMS_PER_SET + ", 10 seeds, one seed in 5,"
                    + " drift detector without slack)");
        }
        for (Object o : call(HttpMethod.GET, "/api/v1/quality/tasks/" + best + "/calibration-sets", chiefToken, null).getJsonArray("sets")) {
            for (Object i : ((JsonObject) o).getJsonArray("items")) {
                definitive.put(((JsonObject) i).getString("responseId"), ((JsonObject) i).getString("definitiveMark"));
            }
        }
        for (Object o : call(HttpMethod.GET, "/api/v1/quality/tasks/" + best + "/seeds", chiefToken, null).getJsonArray("seeds")) {
            definitive.put(((JsonObject) o).getString("responseId"), ((JsonObject) o).getString("definitiveMark"));
        }
        return best;
    }

    /** The fixed "true" mark of a live response: the same for every simulated marker. */
    static String trueMark(String responseId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(responseId.getBytes(StandardCharsets.UTF_8));
            return MARKS[(h[0] & 0xff) % MARKS.length];
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(String user) {
        Profile profile = profileOf(user);
        Random random = new Random(user.hashCode());
        String token = login(user);
        int live = 0;
        String joined = null;
        while (running.get()) {
            String task = this.task;
            if (!task.equals(joined)) {
                joined = task;
                live = 0;
                outcome.put(user, "calibrating");
                if (SENIORS.contains(user)) {
                    makeSenior(user, token, task);
                }
            }
            HttpResponse<Buffer> r = send(HttpMethod.POST, "/api/v1/marking/tasks/" + task + "/next", token, new JsonObject());
            if (r == null) {
                pause(2000);
                continue;
            }
            if (r.statusCode() == 204) {
                if (!moveOnQuietly(task)) {
                    outcome.put(user, "idle");
                    pause(2000);
                }
                continue;
            }
            if (r.statusCode() == 409 || r.statusCode() == 503) {
                String code = r.bodyAsJsonObject().getString("code", "");
                switch (code) {
                    // A due check, or the one retry after a failed check: answer it as the client would.
                    case "face-check-due", "presence-paused" -> {
                        if (!faces.respond(user, token)) {
                            pause(10_000);
                        }
                    }
                    case "presence-suspended" -> {
                        if (!"presence-suspended".equals(outcome.put(user, "presence-suspended"))) {
                            log.accept("simulated markers: " + user + " is suspended after two failed face checks; a chief examiner must review it");
                        }
                        pause(10_000);
                    }
                    case "marker-suspended" -> {
                        if (!"suspended".equals(outcome.put(user, "suspended"))) {
                            log.accept("simulated markers: " + user + " (" + profile + ") is suspended after " + live + " live answers");
                        }
                        pause(10_000);
                    }
                    case "calibration-held" -> {
                        if (!"held".equals(outcome.put(user, "held"))) {
                            log.accept("simulated markers: " + user + " is held after calibration; a chief examiner must decide");
                        }
                        pause(10_000);
                    }
                    default -> pause(5000);
                }
                continue;
            }
            if (r.statusCode() != 200) {
                log.accept("simulated markers: " + user + " got " + r.statusCode() + " " + r.bodyAsString());
                pause(5000);
                continue;
            }
            JsonObject w = r.bodyAsJsonObject();
            String id = w.getString("responseId");
            boolean calibrating = w.containsKey("calibrationItemId");
            String truth = definitive.getOrDefault(id, trueMark(id));
            String given = calibrating ? truth : give(profile, truth, live, random);
            if (!calibrating) {
                live++;
                outcome.put(user, "marking");
            }
            pause(thinkMillis == 0 ? 0 : thinkMillis / 2 + (long) (random.nextDouble() * thinkMillis));
            HttpResponse<Buffer> s = send(HttpMethod.POST, "/api/v1/marking/marks", token, new JsonObject().put("id", UUID.randomUUID().toString())
                    .put("responseId", id).put("mark", given).put("criteriaVersion", w.getInteger("criteriaVersion"))
                    .put("markedAt", java.time.Instant.now().toString()));
            if (s != null && s.statusCode() == 409 && "face-check-due".equals(s.bodyAsJsonObject().getString("code"))) {
                faces.respond(user, token);
            }
        }
    }

    /**
     * Makes {@code user} a senior marker of the task, as a chief examiner does from the dashboard,
     * so that responses whose two marks differ get their blind third marking instead of waiting
     * for a senior nobody is. The marker lists their tasks first: that joins them to the task.
     */
    private void makeSenior(String user, String token, String task) {
        try {
            call(HttpMethod.GET, "/api/v1/marking/tasks", token, null);
            for (Object o : call(HttpMethod.GET, "/api/v1/quality/tasks/" + task + "/markers", chiefToken, null).getJsonArray("markers")) {
                JsonObject m = (JsonObject) o;
                if (m.getString("username").equals(user) && !m.getBoolean("senior", false)) {
                    call(HttpMethod.POST, "/api/v1/quality/tasks/" + task + "/markers/" + m.getString("markerId") + "/senior", chiefToken,
                            new JsonObject().put("senior", true));
                }
            }
        } catch (IllegalStateException e) {
            log.accept("simulated markers: could not make " + user + " a senior marker: " + e.getMessage());
        }
    }

    /** The mark a simulated marker gives for a live answer (seeds look the same to it). */
    static String give(Profile profile, String truth, int liveSoFar, Random random) {
        int step = java.util.Arrays.asList(MARKS).indexOf(truth);
        return switch (profile) {
            case ACCURATE -> random.nextDouble() < 0.04 ? MARKS[step == 0 ? 1 : step - 1] : truth;
            // One step severe on a share growing from 0 to 80 % over the first 16 live answers.
            case DRIFTING -> random.nextDouble() < Math.min(0.8, liveSoFar / 20.0) && step > 0 ? MARKS[step - 1] : truth;
            case CARELESS -> MARKS[random.nextInt(MARKS.length)];
        };
    }

    private String login(String user) {
        return call(HttpMethod.POST, "/api/v1/auth/login", null, new JsonObject().put("username", user).put("password", passwords.get(user)))
                .getString("token");
    }

    private JsonObject call(HttpMethod method, String path, String token, JsonObject body) {
        HttpResponse<Buffer> r = send(method, path, token, body);
        if (r == null || r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + (r == null ? "nothing" : r.statusCode() + " " + r.bodyAsString()));
        }
        return r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
        HttpRequest<Buffer> req = client.request(method, path);
        if (token != null) {
            req.bearerTokenAuthentication(token);
        }
        Future<HttpResponse<Buffer>> f = body == null ? req.send() : req.sendJsonObject(body);
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Stops every simulated marker and waits for them. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

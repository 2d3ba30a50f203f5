package org.openmarking.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.openmarking.client.api.Wire.Allocation;
import org.openmarking.client.api.Wire.CalibrationFeedback;
import org.openmarking.client.api.Wire.CalibrationFeedbackItem;
import org.openmarking.client.api.Wire.Clause;
import org.openmarking.client.api.Wire.CriteriaInForce;
import org.openmarking.client.api.Wire.Escalation;
import org.openmarking.client.api.Wire.FaceChallenge;
import org.openmarking.client.api.Wire.FaceResult;
import org.openmarking.client.api.Wire.FaceStatus;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.domain.Mark;

/**
 * {@link MarkerApi} over HTTPS with {@link HttpClient}, trusting the server through the
 * {@link SSLContext} built by {@link TlsTrust}. The bearer token is kept in memory only;
 * responses are read into memory and never cached on disk.
 *
 * <p>Every request tells the connection observer whether the server was reachable, so the
 * marker always sees the connection state.
 */
public final class HttpMarkerApi implements MarkerApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient http;
    private volatile Consumer<Boolean> reachable = ok -> { };
    private volatile String token;

    /** @param base the server, e.g. {@code https://localhost:8443} */
    public HttpMarkerApi(URI base, SSLContext tls) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void onReachability(Consumer<Boolean> listener) {
        this.reachable = listener;
    }

    @Override
    public void ping() throws IOException {
        HttpResponse<byte[]> res = exchange(request("health", false).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() >= 500) {
            throw new IOException("the server is not healthy: " + res.statusCode());
        }
    }

    public URI base() {
        return base;
    }

    @Override
    public Session login(String username, String password) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        JsonNode r = send("POST", "api/v1/auth/login", body, false);
        JsonNode user = r.path("user");
        Session s = new Session(r.path("token").asText(), Instant.parse(r.path("expiresAt").asText()), user.path("id").asText(),
                user.path("username").asText(username), user.path("displayName").asText(username));
        token = s.token();
        return s;
    }

    @Override
    public void logout() throws IOException {
        try {
            send("POST", "api/v1/auth/logout", null, true);
        } finally {
            token = null;
        }
    }

    @Override
    public List<TaskInfo> tasks() throws IOException {
        JsonNode r = send("GET", "api/v1/marking/tasks", null, true);
        List<TaskInfo> out = new ArrayList<>();
        for (JsonNode t : r.path("tasks")) {
            out.add(new TaskInfo(t.path("taskId").asText(), t.path("title").asText(t.path("taskId").asText()), t.path("done").asInt(),
                    t.path("target").asInt(), t.path("calibrationRequired").asBoolean(), t.path("calibrated").asBoolean(),
                    t.path("state").asText("")));
        }
        return out;
    }

    @Override
    public CriteriaInForce criteria(String taskId) throws IOException {
        JsonNode r = send("GET", "api/v1/exams/tasks/" + enc(taskId) + "/criteria", null, true);
        List<Clause> clauses = new ArrayList<>();
        for (JsonNode c : r.path("clauses")) {
            clauses.add(new Clause(c.path("number").asInt(), c.path("text").asText(), c.path("mark").asText()));
        }
        return new CriteriaInForce(r.path("taskId").asText(taskId), r.path("version").asInt(), r.path("note").asText(""), clauses,
                r.path("requiresRecalibration").asBoolean());
    }

    @Override
    public Optional<Allocation> next(String taskId) throws IOException {
        JsonNode r = send("POST", "api/v1/marking/tasks/" + enc(taskId) + "/next", JSON.createObjectNode(), true);
        if (r == null || r.path("responseId").isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(new Allocation(r.path("responseId").asText(), r.path("taskId").asText(taskId),
                Instant.parse(r.path("leaseExpiresAt").asText()), r.path("criteriaVersion").asInt(), optionalText(r, "calibrationItemId")));
    }

    @Override
    public byte[] image(String responseId) throws IOException {
        HttpResponse<byte[]> res = exchange(request("api/v1/marking/responses/" + enc(responseId) + "/image", true).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() != 200) {
            throw refusal(res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
        }
        return res.body();
    }

    @Override
    public Wire.MarkReceipt submit(MarkSubmission m) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("id", m.id().toString()).put("responseId", m.responseId())
                .put("mark", m.mark().toString()).put("criteriaVersion", m.criteriaVersion()).put("markedAt", m.markedAt().toString());
        JsonNode r = send("POST", "api/v1/marking/marks", body, true);
        JsonNode c = r == null ? null : r.get("calibration");
        if (c == null || c.isNull()) {
            return Wire.MarkReceipt.LIVE;
        }
        return new Wire.MarkReceipt(c.path("complete").asBoolean(), c.hasNonNull("passed") ? c.get("passed").asBoolean() : null);
    }

    @Override
    public void escalate(Escalation e) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("id", e.id().toString()).put("reason", e.reason().wire()).put("note", e.note());
        send("POST", "api/v1/marking/responses/" + enc(e.responseId()) + "/escalate", body, true);
    }

    @Override
    public Optional<CalibrationFeedback> calibrationFeedback(String taskId) throws IOException {
        JsonNode r;
        try {
            r = send("GET", "api/v1/marking/tasks/" + enc(taskId) + "/calibration/feedback", null, true);
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        List<CalibrationFeedbackItem> items = new ArrayList<>();
        for (JsonNode i : r.path("items")) {
            items.add(new CalibrationFeedbackItem(i.path("itemId").asText(), Mark.parse(i.path("yourMark").asText()),
                    Mark.parse(i.path("definitiveMark").asText()), i.path("rationale").asText("")));
        }
        return Optional.of(new CalibrationFeedback(taskId, r.path("passed").asBoolean(), r.path("summary").asText(""), items));
    }

    @Override
    public FaceChallenge startFaceCheck() throws IOException {
        return faceChallengeOf(send("POST", "api/v1/face/checks", JSON.createObjectNode(), true));
    }

    @Override
    public FaceResult sendBurst(String checkId, List<byte[]> jpegFrames) throws IOException {
        ArrayNode frames = JSON.createArrayNode();
        jpegFrames.forEach(f -> frames.add(Base64.getEncoder().encodeToString(f)));
        ObjectNode body = JSON.createObjectNode();
        body.set("frames", frames);
        JsonNode r = send("POST", "api/v1/face/checks/" + enc(checkId) + "/burst", body, true);
        return new FaceResult("PASS".equals(r.path("result").asText()), r.path("reason").asText(""), r.path("retryAllowed").asBoolean());
    }

    @Override
    public FaceStatus faceStatus() throws IOException {
        JsonNode r = send("GET", "api/v1/face/status", null, true);
        Optional<FaceChallenge> pending = r.hasNonNull("checkId") ? Optional.of(faceChallengeOf(r)) : Optional.empty();
        return new FaceStatus(r.path("state").asText("OK"), pending);
    }

    @Override
    public EventStream events(EventStream.Listener listener) {
        return EventStream.start(() -> {
            HttpRequest req = request("api/v1/push/events", true).timeout(Duration.ofDays(1)).header("Accept", "text/event-stream")
                    .GET().build();
            HttpResponse<InputStream> res = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200) {
                try (InputStream in = res.body()) {
                    throw refusal(res.statusCode(), new String(in.readNBytes(4096), StandardCharsets.UTF_8));
                }
            }
            return res.body();
        }, listener);
    }

    /** The face challenge in a check or status reply; the burst's defaults are the contract's. */
    public static FaceChallenge faceChallengeOf(JsonNode r) {
        String deadline = r.path("deadline").asText("");
        return new FaceChallenge(r.path("checkId").asText(), r.path("challenge").asText(),
                deadline.isEmpty() ? Instant.now().plusSeconds(120) : Instant.parse(deadline), r.path("frames").asInt(8),
                r.path("intervalMs").asInt(150));
    }

    private JsonNode send(String method, String path, JsonNode body, boolean auth) throws IOException {
        HttpRequest.Builder b = request(path, auth);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<byte[]> res = exchange(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(res.body(), StandardCharsets.UTF_8);
        if (res.statusCode() >= 300) {
            throw refusal(res.statusCode(), text);
        }
        return text.isBlank() ? null : JSON.readTree(text);
    }

    private HttpRequest.Builder request(String path, boolean auth) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Cache-Control", "no-store");
        if (auth) {
            String t = token;
            if (t == null) {
                throw new ApiException(401, "not logged in");
            }
            b.header("Authorization", "Bearer " + t);
        }
        return b;
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            HttpResponse<T> res = http.send(req, handler);
            reachable.accept(true);
            return res;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (IOException e) {
            reachable.accept(false);
            throw e;
        }
    }

    /** The server's {@code {error, status}} message as an exception (never the request itself). */
    private static ApiException refusal(int status, String body) {
        String message = null;
        String code = null;
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                message = n.get("error").asText();
            }
            if (n != null && n.hasNonNull("code")) {
                code = n.get("code").asText();
            }
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        return new ApiException(status, code, message);
    }

    private static Optional<String> optionalText(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

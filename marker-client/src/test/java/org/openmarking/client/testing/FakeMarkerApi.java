package org.openmarking.client.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.EventStream;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.Allocation;
import org.openmarking.client.api.Wire.CalibrationFeedback;
import org.openmarking.client.api.Wire.CalibrationFeedbackItem;
import org.openmarking.client.api.Wire.Clause;
import org.openmarking.client.api.Wire.CriteriaInForce;
import org.openmarking.client.api.Wire.Escalation;
import org.openmarking.client.api.Wire.FaceChallenge;
import org.openmarking.client.api.Wire.FaceResult;
import org.openmarking.client.api.Wire.FaceStatus;
import org.openmarking.client.api.Wire.MarkReceipt;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.domain.Mark;

/**
 * An in-memory server behind {@link MarkerApi} for view-model and TestFX tests: the contract of
 * the marking, calibration and face routes (leases, idempotent marks by id, 204 when nothing
 * waits, 409 presence codes, calibration feedback), plus switches for a lost connection and a
 * lost reply. The real-server tests use {@code HttpMarkerApi} against {@code TestServer}.
 */
public class FakeMarkerApi implements MarkerApi {
    public static final String USER = "marker1";
    public static final String PASSWORD = "fake password for marker1";

    /** One answer the fake serves: live, or a calibration item with its definitive mark. */
    public record Answer(String responseId, String taskId, byte[] image, String calibrationItemId, Mark definitive, String rationale) {
    }

    private static final class Task {
        final String id;
        final String title;
        final int target;
        final boolean calibrationRequired;
        boolean calibrated;
        int done;

        Task(String id, String title, int target, boolean calibrationRequired) {
            this.id = id;
            this.title = title;
            this.target = target;
            this.calibrationRequired = calibrationRequired;
        }
    }

    private final Clock clock;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, CriteriaInForce> criteria = new HashMap<>();
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private final Map<String, Instant> leases = new HashMap<>();
    private final Map<UUID, MarkSubmission> marks = new LinkedHashMap<>();
    private final Map<UUID, MarkReceipt> receipts = new HashMap<>();
    private final Map<UUID, Escalation> escalations = new LinkedHashMap<>();
    private final Map<String, String> checks = new HashMap<>();
    private final List<List<byte[]>> bursts = new ArrayList<>();
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    private final List<QueueInputStream> streams = new ArrayList<>();
    private volatile Consumer<Boolean> reachable = ok -> { };
    private Duration lease = Duration.ofMinutes(10);
    private String token;
    private String presence = "OK";
    private boolean faceAtLogin;
    private ApiException faceStatusFailure;
    private boolean checksSettledElsewhere;
    private volatile boolean offline;
    private boolean loseNextMarkReply;
    private int markRequests;
    private int checksStarted;
    private List<FaceResult> faceResults = new ArrayList<>();

    public FakeMarkerApi(Clock clock) {
        this.clock = clock;
    }

    /** A fake with one task needing calibration (3 items) and one ready for marking (live answers). */
    public static FakeMarkerApi standard(Clock clock, int liveAnswers) {
        FakeMarkerApi f = new FakeMarkerApi(clock);
        f.addTask("demo26.mathematics.21", "Mathematics, item 21", 40, true);
        f.addTask("demo26.native-language.5", "Native language, item 5", 30, false);
        List<Clause> clauses = List.of(new Clause(1, "Correct method and correct final answer with units", "1"),
                new Clause(2, "Correct method; one arithmetic slip carried through", "2/3"),
                new Clause(3, "Correct equation set up, not solved", "1/2"),
                new Clause(4, "Relevant first step only", "1/3"),
                new Clause(5, "No relevant work", "0"));
        f.setCriteria(new CriteriaInForce("demo26.mathematics.21", 2, "Clause 2 now also covers unit slips.", clauses, false));
        f.setCriteria(new CriteriaInForce("demo26.native-language.5", 1, "", clauses, false));
        f.addCalibration("demo26.mathematics.21", "cal-1", Mark.FULL, "Complete method, units given.");
        f.addCalibration("demo26.mathematics.21", "cal-2", Mark.ONE_HALF, "Equation set up correctly but not solved.");
        f.addCalibration("demo26.mathematics.21", "cal-3", Mark.ZERO, "Only the answer, no justification.");
        for (int i = 1; i <= liveAnswers; i++) {
            f.addLive("demo26.native-language.5", "resp-" + i);
        }
        return f;
    }

    // ---- set-up ----------------------------------------------------------------------------

    public synchronized void addTask(String id, String title, int target, boolean calibrationRequired) {
        tasks.put(id, new Task(id, title, target, calibrationRequired));
    }

    public synchronized void setCriteria(CriteriaInForce c) {
        criteria.put(c.taskId(), c);
    }

    public synchronized void addLive(String taskId, String responseId) {
        answers.put(responseId, new Answer(responseId, taskId, AnswerImages.page("Answer " + responseId, responseId.hashCode()), null, null,
                null));
    }

    public synchronized void addCalibration(String taskId, String itemId, Mark definitive, String rationale) {
        String rid = "calresp-" + itemId;
        answers.put(rid, new Answer(rid, taskId, AnswerImages.page("Calibration " + itemId, itemId.hashCode()), itemId, definitive,
                rationale));
    }

    public synchronized void setLease(Duration d) {
        lease = d;
    }

    /** A face check is due when the marker logs in (as the server asks at the start of a session). */
    public synchronized void requireFaceCheckAtLogin() {
        faceAtLogin = true;
    }

    /** Checks are settled elsewhere (another session passed one): starting one while clear finds none due, as on the server. */
    public synchronized void settleChecksElsewhere() {
        checksSettledElsewhere = true;
    }

    /** The face status call fails with this (e.g. 503 face-checks-unavailable) until given null. */
    public synchronized void failFaceStatus(ApiException e) {
        faceStatusFailure = e;
    }

    public synchronized void setPresence(String state) {
        presence = state;
    }

    /** The verdicts of the next bursts, in order; PASS when none is left. */
    public synchronized void faceResults(FaceResult... results) {
        faceResults = new ArrayList<>(List.of(results));
    }

    /** The session ends on the server (it expired): every call with the old token gets 401. */
    public synchronized void expireSession() {
        token = null;
    }

    /** Every call fails as a lost network would, until switched back. */
    public void setOffline(boolean off) {
        offline = off;
        if (off) {
            List<QueueInputStream> open;
            synchronized (this) {
                open = List.copyOf(streams);
                streams.clear();
            }
            open.forEach(QueueInputStream::end);
        }
    }

    /** The next mark is recorded but its reply is lost, as when the connection drops mid-request. */
    public synchronized void loseNextMarkReply() {
        loseNextMarkReply = true;
    }

    /** Pushes a server-sent event to the open streams, framed as the server's PushRoutes frames it. */
    public void push(String type, ObjectNode data) {
        String frame = "event: " + type + "\ndata: " + data.toString() + "\n\n";
        List<QueueInputStream> open;
        synchronized (this) {
            open = List.copyOf(streams);
        }
        open.forEach(s -> s.feed(frame.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- what happened -----------------------------------------------------------------------

    public synchronized List<MarkSubmission> marks() {
        return List.copyOf(marks.values());
    }

    public synchronized int markRequests() {
        return markRequests;
    }

    public synchronized List<Escalation> escalations() {
        return List.copyOf(escalations.values());
    }

    public synchronized List<List<byte[]>> bursts() {
        return List.copyOf(bursts);
    }

    public synchronized int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    public synchronized Answer answer(String responseId) {
        return answers.get(responseId);
    }

    public synchronized boolean streamOpen() {
        return !streams.isEmpty();
    }

    public String token() {
        return token;
    }

    // ---- MarkerApi ---------------------------------------------------------------------------

    private void gate(String method) throws IOException {
        synchronized (this) {
            calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
        }
        if (offline) {
            reachable.accept(false);
            throw new ConnectException("fake: the network is down");
        }
        reachable.accept(true);
    }

    private void authed() throws ApiException {
        if (token == null) {
            throw new ApiException(401, "log in first");
        }
    }

    private void presenceClear() throws ApiException {
        switch (presence) {
            case "CHECK_DUE" -> throw new ApiException(409, ApiException.FACE_CHECK_DUE, "a face check is due");
            case "PAUSED" -> throw new ApiException(409, ApiException.PRESENCE_PAUSED, "paused until a face check passes");
            case "SUSPENDED" -> throw new ApiException(409, ApiException.PRESENCE_SUSPENDED, "suspended");
            default -> {
            }
        }
    }

    @Override
    public void onReachability(Consumer<Boolean> listener) {
        reachable = listener;
    }

    @Override
    public void ping() throws IOException {
        gate("ping");
    }

    @Override
    public synchronized Session login(String username, String password) throws IOException {
        gate("login");
        if (!USER.equals(username) || !PASSWORD.equals(password)) {
            throw new ApiException(401, "wrong user name or password");
        }
        token = "fake-token-" + UUID.randomUUID();
        if (faceAtLogin) {
            presence = "CHECK_DUE";
        }
        return new Session(token, clock.instant().plus(Duration.ofHours(12)), "7f3c2a10-0000-4000-8000-000000000001", USER,
                "Marker One");
    }

    @Override
    public synchronized void logout() throws IOException {
        gate("logout");
        token = null;
    }

    @Override
    public synchronized List<TaskInfo> tasks() throws IOException {
        gate("tasks");
        authed();
        return tasks.values().stream().map(t -> new TaskInfo(t.id, t.title, t.done, t.target, t.calibrationRequired, t.calibrated,
                "open")).toList();
    }

    @Override
    public synchronized CriteriaInForce criteria(String taskId) throws IOException {
        gate("criteria");
        authed();
        CriteriaInForce c = criteria.get(taskId);
        if (c == null) {
            throw new ApiException(404, "no criteria for " + taskId);
        }
        return c;
    }

    @Override
    public synchronized Optional<Allocation> next(String taskId) throws IOException {
        gate("next");
        authed();
        presenceClear();
        Task t = tasks.get(taskId);
        if (t == null) {
            throw new ApiException(404, "no task " + taskId);
        }
        boolean calibration = t.calibrationRequired && !t.calibrated;
        Instant now = clock.instant();
        java.util.Set<String> marked = new java.util.HashSet<>();
        marks.values().forEach(m -> marked.add(m.responseId()));
        escalations.values().forEach(e -> marked.add(e.responseId()));
        for (Answer a : answers.values()) {
            boolean isCal = a.calibrationItemId() != null;
            if (!a.taskId().equals(taskId) || isCal != calibration || marked.contains(a.responseId())) {
                continue;
            }
            Instant held = leases.get(a.responseId());
            if (!calibration && held != null && now.isBefore(held)) {
                continue; // calibration items are served in order until marked, like the server's open attempt
            }
            Instant until = now.plus(lease);
            leases.put(a.responseId(), until);
            return Optional.of(new Allocation(a.responseId(), taskId, until, criteria.get(taskId).version(),
                    Optional.ofNullable(a.calibrationItemId())));
        }
        return Optional.empty();
    }

    @Override
    public synchronized byte[] image(String responseId) throws IOException {
        gate("image");
        authed();
        Instant held = leases.get(responseId);
        if (held == null || !clock.instant().isBefore(held)) {
            throw new ApiException(403, "no lease on " + responseId);
        }
        return answers.get(responseId).image().clone();
    }

    @Override
    public synchronized MarkReceipt submit(MarkSubmission m) throws IOException {
        gate("submit");
        authed();
        markRequests++;
        if (marks.containsKey(m.id())) {
            return receipts.get(m.id()); // the same id again: the same answer
        }
        presenceClear();
        Answer a = answers.get(m.responseId());
        if (a == null) {
            throw new ApiException(404, "no response " + m.responseId());
        }
        Instant held = leases.get(m.responseId());
        if (a.calibrationItemId() == null && (held == null || !clock.instant().isBefore(held))) {
            throw new ApiException(409, "lease-expired", "your lease on response " + m.responseId() + " has expired; ask for new work");
        }
        int inForce = criteria.get(a.taskId()).version();
        if (m.criteriaVersion() != inForce) { // as the server's MarkService: a mark made under old criteria is not counted
            throw new ApiException(409, "criteria-outdated", "criteria version " + m.criteriaVersion() + " is no longer in force; version "
                    + inForce + " is: read it and mark again");
        }
        marks.put(m.id(), m);
        Task t = tasks.get(a.taskId());
        MarkReceipt receipt = MarkReceipt.LIVE;
        if (a.calibrationItemId() == null) {
            t.done++;
        } else if (calibrationMarked(t.id).size() == calibrationItems(t.id).size()) {
            t.calibrated = feedbackOf(t.id).passed();
            receipt = new MarkReceipt(true, t.calibrated);
        } else {
            receipt = new MarkReceipt(false, null);
        }
        receipts.put(m.id(), receipt);
        if (loseNextMarkReply) {
            loseNextMarkReply = false;
            reachable.accept(false);
            throw new IOException("fake: the reply was lost");
        }
        return receipt;
    }

    @Override
    public synchronized void escalate(Escalation e) throws IOException {
        gate("escalate");
        authed();
        escalations.putIfAbsent(e.id(), e);
    }

    private List<Answer> calibrationItems(String taskId) {
        return answers.values().stream().filter(a -> a.taskId().equals(taskId) && a.calibrationItemId() != null).toList();
    }

    private Map<String, Mark> calibrationMarked(String taskId) {
        Map<String, Mark> out = new LinkedHashMap<>();
        for (MarkSubmission m : marks.values()) {
            Answer a = answers.get(m.responseId());
            if (a.taskId().equals(taskId) && a.calibrationItemId() != null) {
                out.put(a.calibrationItemId(), m.mark());
            }
        }
        return out;
    }

    private CalibrationFeedback feedbackOf(String taskId) {
        Map<String, Mark> given = calibrationMarked(taskId);
        List<CalibrationFeedbackItem> items = new ArrayList<>();
        int agree = 0;
        for (Answer a : calibrationItems(taskId)) {
            Mark yours = given.get(a.calibrationItemId());
            items.add(new CalibrationFeedbackItem(a.calibrationItemId(), yours, a.definitive(), a.rationale()));
            agree += yours == a.definitive() ? 1 : 0;
        }
        boolean passed = agree >= items.size() - 1;
        return new CalibrationFeedback(taskId, passed, agree + " of " + items.size() + " within tolerance.", items);
    }

    @Override
    public synchronized Optional<CalibrationFeedback> calibrationFeedback(String taskId) throws IOException {
        gate("feedback");
        authed();
        if (calibrationItems(taskId).isEmpty() || calibrationMarked(taskId).size() < calibrationItems(taskId).size()) {
            return Optional.empty();
        }
        return Optional.of(feedbackOf(taskId));
    }

    @Override
    public synchronized FaceChallenge startFaceCheck() throws IOException {
        gate("startFaceCheck");
        authed();
        if (checksSettledElsewhere && "OK".equals(presence)) {
            throw new ApiException(409, ApiException.NO_CHECK_DUE, "no face check is due");
        }
        String id = UUID.randomUUID().toString();
        String challenge = checksStarted++ % 2 == 0 ? "TURN_LEFT" : "TURN_RIGHT";
        checks.put(id, challenge);
        return new FaceChallenge(id, challenge, clock.instant().plusSeconds(120), 8, 150);
    }

    @Override
    public synchronized FaceResult sendBurst(String checkId, List<byte[]> jpegFrames) throws IOException {
        gate("sendBurst");
        authed();
        if (!checks.containsKey(checkId)) {
            throw new ApiException(404, "no face check " + checkId);
        }
        for (byte[] f : jpegFrames) {
            if (f.length < 3 || (f[0] & 0xff) != 0xFF || (f[1] & 0xff) != 0xD8) {
                return new FaceResult(false, "BAD_INPUT", true);
            }
        }
        bursts.add(List.copyOf(jpegFrames));
        checks.remove(checkId);
        FaceResult r = faceResults.isEmpty() ? new FaceResult(true, "", false) : faceResults.remove(0);
        presence = r.passed() ? "OK" : r.retryAllowed() ? "PAUSED" : "SUSPENDED";
        return r;
    }

    @Override
    public synchronized FaceStatus faceStatus() throws IOException {
        gate("faceStatus");
        authed();
        if (faceStatusFailure != null) {
            throw faceStatusFailure;
        }
        return new FaceStatus(presence, Optional.empty());
    }

    @Override
    public EventStream events(EventStream.Listener listener) {
        return EventStream.start(() -> {
            gate("events");
            QueueInputStream s = new QueueInputStream();
            synchronized (this) {
                streams.add(s);
            }
            s.feed("event: connected\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
            return s;
        }, listener);
    }

    public static ObjectNode data() {
        return JsonNodeFactory.instance.objectNode();
    }
}

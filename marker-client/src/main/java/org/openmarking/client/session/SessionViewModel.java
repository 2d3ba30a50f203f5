package org.openmarking.client.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.EventStream;
import org.openmarking.client.api.EventStream.ServerEvent;
import org.openmarking.client.api.HttpMarkerApi;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.FaceChallenge;
import org.openmarking.client.api.Wire.FaceStatus;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.background.BackgroundExecutor;
import org.openmarking.client.marking.UploadQueue;

/**
 * The logged-in marker's standing and connection, fed by the server's push stream: a face
 * check is due, the marker is paused, suspended or reinstated, criteria changed, calibration
 * is required again. Screens watch its properties; nothing here touches a {@code Node}.
 */
public final class SessionViewModel implements EventStream.Listener {
    /** What the marker may do now. */
    public enum Standing {
        /** Marking as usual. */
        ACTIVE,
        /** The server asked for a face check; nothing is allocated until it passes. */
        FACE_CHECK_DUE,
        /** A chief examiner paused the marker; answers are withdrawn from the screen. */
        PAUSED,
        /** The marker was suspended; marking stops until reinstated. */
        SUSPENDED
    }

    private final MarkerApi api;
    private final Session session;
    private final BackgroundExecutor bg;
    private final UploadQueue uploads;
    private final ObjectProperty<Standing> standing = new SimpleObjectProperty<>(Standing.ACTIVE);
    private final BooleanProperty online = new SimpleBooleanProperty(true);
    private final BooleanProperty streamOpen = new SimpleBooleanProperty(false);
    private final StringProperty banner = new SimpleStringProperty("");
    private final StringProperty presenceProblem = new SimpleStringProperty("");
    private final ObjectProperty<FaceChallenge> dueCheck = new SimpleObjectProperty<>();
    private final List<Consumer<String>> criteriaListeners = new ArrayList<>();
    private final List<Consumer<String>> recalibrationListeners = new ArrayList<>();
    private final List<Consumer<String>> taskSuspendedListeners = new ArrayList<>();
    private final BooleanProperty expired = new SimpleBooleanProperty(false);
    private final Duration probeEvery;
    private EventStream stream;
    private boolean probing;
    private boolean stopped;

    public SessionViewModel(MarkerApi api, Session session, BackgroundExecutor bg) {
        this(api, session, bg, new UploadQueue(api, bg), Duration.ofSeconds(3));
    }

    /** With the upload queue to use and how often to ask whether a lost server is back. */
    public SessionViewModel(MarkerApi api, Session session, BackgroundExecutor bg, UploadQueue uploads, Duration probeEvery) {
        this.api = api;
        this.session = session;
        this.bg = bg;
        this.uploads = uploads;
        this.probeEvery = probeEvery;
        api.onReachability(this::reachable);
        uploads.onPresenceRefusal(e -> bg.onUi(() -> applyRefusal(e)));
        uploads.onRefused((u, e) -> banner.set((u instanceof UploadQueue.MarkUpload ? "The server did not accept a mark: "
                : "The server did not accept an escalation: ") + e.getMessage()));
    }

    /** Opens the push stream. */
    public void start() {
        stream = api.events(this);
    }

    /** Closes the push stream and stops probing (log-out, window closed). */
    public void stop() {
        stopped = true;
        if (stream != null) {
            stream.close();
        }
    }

    /**
     * A refusal seen by any screen: presence codes change the standing, 401 ends the session.
     * Returns true when it was one of those (the caller then need not show it itself).
     */
    public boolean applyRefusal(Exception e) {
        if (!(e instanceof ApiException ae)) {
            return false;
        }
        if (ae.isUnauthorized()) {
            expired.set(true);
            banner.set("Your session has ended; please log in again.");
            return true;
        }
        if (!ae.isPresence()) {
            return false;
        }
        switch (ae.code()) {
            case ApiException.FACE_CHECK_DUE -> {
                if (standing.get() == Standing.ACTIVE) {
                    standing.set(Standing.FACE_CHECK_DUE);
                    banner.set("Face check now: please look at the camera.");
                }
            }
            case ApiException.PRESENCE_PAUSED -> {
                standing.set(Standing.PAUSED);
                banner.set("Your marking is paused until a face check passes.");
            }
            default -> {
                standing.set(Standing.SUSPENDED);
                banner.set("Your marking is suspended; a chief examiner will contact you.");
            }
        }
        return true;
    }

    public MarkerApi api() {
        return api;
    }

    public Session session() {
        return session;
    }

    public BackgroundExecutor background() {
        return bg;
    }

    public UploadQueue uploads() {
        return uploads;
    }

    /** Called by the API after each request: did the server answer at all? (any thread) */
    public void reachable(boolean ok) {
        bg.onUi(() -> setOnline(ok));
    }

    private void setOnline(boolean ok) {
        boolean was = online.get();
        online.set(ok);
        if (ok && !was) {
            uploads.retryNow();
        } else if (!ok) {
            probe();
        }
    }

    /** While the server is unreachable, asks its health endpoint every few seconds. */
    private void probe() {
        if (probing || stopped) {
            return;
        }
        probing = true;
        bg.later(probeEvery, () -> bg.run(() -> {
            api.ping();
            return Boolean.TRUE;
        }, ok -> {
            probing = false;
            setOnline(true);
        }, e -> {
            probing = false;
            if (!online.get()) {
                probe();
            }
        }));
    }

    @Override
    public void onConnection(boolean connected) {
        bg.onUi(() -> {
            streamOpen.set(connected);
            setOnline(connected);
        });
    }

    @Override
    public void onEvent(ServerEvent e) {
        bg.onUi(() -> handle(e));
    }

    /** Applies one pushed message (on the UI thread). */
    public void handle(ServerEvent e) {
        switch (e.type()) {
            case "face-check" -> {
                // A pushed check names its challenge; without a check id the client starts one itself.
                dueCheck.set(e.text("checkId") == null ? null : HttpMarkerApi.faceChallengeOf(e.data()));
                standing.set(Standing.FACE_CHECK_DUE);
                banner.set("Face check now: please look at the camera.");
            }
            case "paused" -> {
                standing.set(Standing.PAUSED);
                banner.set("Your marking is paused" + reason(e) + "; a face check is needed to continue.");
            }
            case "suspended" -> {
                String task = e.text("taskId");
                if (task == null) { // presence: the marker as a whole
                    standing.set(Standing.SUSPENDED);
                    banner.set("Your marking is suspended" + reason(e) + ".");
                } else { // the marking engine: one task
                    banner.set(e.text("message") != null ? e.text("message") + " (" + task + ")"
                            : "You are suspended from " + task + "; a chief examiner will contact you.");
                    taskSuspendedListeners.forEach(l -> l.accept(task));
                }
            }
            case "reinstated" -> {
                String task = e.text("taskId");
                if (task == null) {
                    // The push says a chief examiner acted; the server's status says what holds now
                    // (it may still want a face check first), so the client does not assume it.
                    banner.set("You are reinstated; checking with the server...");
                    checkPresence(() -> banner.set(standing.get() == Standing.ACTIVE ? "You are reinstated: marking can continue."
                            : standing.get() == Standing.SUSPENDED ? "The server still has your marking suspended."
                            : "You are reinstated; a face check comes first."));
                } else {
                    banner.set("You may mark " + task + " again" + note(e) + ".");
                }
            }
            case "calibration-approved" -> banner.set("A chief examiner approved your calibration for " + e.text("taskId") + note(e)
                    + ": you may mark it.");
            case "criteria-updated" -> {
                String task = e.text("taskId");
                String version = e.text("criteriaVersion") != null ? e.text("criteriaVersion") : e.text("version");
                banner.set("The criteria for " + (task == null ? "a task" : task) + " were updated"
                        + (version == null ? "" : " to version " + version) + ".");
                criteriaListeners.forEach(l -> l.accept(task));
                if ("true".equals(e.text("requiresRecalibration"))) {
                    banner.set(banner.get() + " Recalibration is required before marking it again.");
                    recalibrationListeners.forEach(l -> l.accept(task));
                }
            }
            case "recalibration-required" -> {
                String task = e.text("taskId");
                banner.set("Recalibration is required for " + (task == null ? "a task" : task) + " before marking it again" + note(e) + ".");
                recalibrationListeners.forEach(l -> l.accept(task));
            }
            case "warning" -> banner.set(e.text("message") == null ? "A warning from the server." : e.text("message"));
            default -> {
                // unknown messages are ignored, so the server may add new ones
            }
        }
    }

    private static String note(ServerEvent e) {
        String n = e.text("note");
        return n == null || n.isBlank() ? "" : " (" + n + ")";
    }

    private static String reason(ServerEvent e) {
        String r = e.text("reason");
        return r == null || r.isBlank() ? "" : ": " + r;
    }

    /**
     * Asks the server for the marker's presence and takes its answer as the standing (at log-in,
     * after a reinstatement, on Retry); {@code known} runs once it is known. A server without
     * face checks (404) enforces presence itself, so the marker is active until it refuses. If
     * the face service cannot answer (503 face-checks-unavailable, no connection), the reason is
     * in {@link #presenceProblemProperty()} and nothing is assumed: call this again to retry.
     */
    public void checkPresence(Runnable known) {
        bg.run(api::faceStatus, s -> {
            presenceProblem.set("");
            applyFaceStatus(s);
            known.run();
        }, e -> {
            if (applyRefusal(e)) {
                presenceProblem.set("");
                known.run();
                return;
            }
            if (e instanceof ApiException ae && ae.status() == 404) {
                presenceProblem.set("");
                standing.set(Standing.ACTIVE);
                known.run();
                return;
            }
            presenceProblem.set((e instanceof ApiException ? "The face check service is not available: " + e.getMessage()
                    : "The server could not be reached to check your face check status.")
                    + " No work is given until a face check can run; try again shortly.");
        });
    }

    private void applyFaceStatus(FaceStatus s) {
        switch (s.state()) {
            case "CHECK_DUE", "PAUSED" -> {
                s.pendingCheck().ifPresent(dueCheck::set);
                standing.set("PAUSED".equals(s.state()) ? Standing.PAUSED : Standing.FACE_CHECK_DUE);
            }
            case "SUSPENDED" -> standing.set(Standing.SUSPENDED);
            default -> standing.set(Standing.ACTIVE);
        }
    }

    /** Why the marker's presence could not be checked (the face service is down), or empty. */
    public StringProperty presenceProblemProperty() {
        return presenceProblem;
    }

    /** The face check passed: back to marking. */
    public void faceCheckPassed() {
        dueCheck.set(null);
        if (standing.get() != Standing.SUSPENDED) {
            standing.set(Standing.ACTIVE);
        }
        banner.set("");
        uploads.retryNow();
    }

    /** The session ended (401): the app goes back to the log-in screen. */
    public BooleanProperty expiredProperty() {
        return expired;
    }

    public void onCriteriaUpdated(Consumer<String> listener) {
        criteriaListeners.add(listener);
    }

    /** Told of a task the marker was suspended from (the marking engine's seed policy or a chief examiner). */
    public void onTaskSuspended(Consumer<String> listener) {
        taskSuspendedListeners.add(listener);
    }

    public void onRecalibrationRequired(Consumer<String> listener) {
        recalibrationListeners.add(listener);
    }

    public ObjectProperty<Standing> standingProperty() {
        return standing;
    }

    public BooleanProperty onlineProperty() {
        return online;
    }

    public BooleanProperty streamOpenProperty() {
        return streamOpen;
    }

    public StringProperty bannerProperty() {
        return banner;
    }

    public ObjectProperty<FaceChallenge> dueCheckProperty() {
        return dueCheck;
    }

    /** The marker's id as shown in the watermark: user name and the start of the account id. */
    public String markerId() {
        String id = session.userId();
        return session.username() + (id == null || id.isBlank() ? "" : " #" + id.substring(0, Math.min(8, id.length())));
    }
}

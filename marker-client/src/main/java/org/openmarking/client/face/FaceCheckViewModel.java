package org.openmarking.client.face;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.FaceChallenge;
import org.openmarking.client.api.Wire.FaceResult;
import org.openmarking.client.background.BackgroundExecutor;

/**
 * The face check: the server's challenge in plain words, a burst of frames from the camera
 * ({@code frames} of them, {@code intervalMs} apart) sent to the server, and its verdict.
 * Frames stay in memory; the last one is shown as a preview.
 */
public final class FaceCheckViewModel {
    /** Where the check stands. */
    public enum Phase { STARTING, READY, FILMING, CHECKING, PASSED, FAILED }

    private final MarkerApi api;
    private final BackgroundExecutor bg;
    private final Supplier<CameraSource> camera;
    private final Sleeper sleeper;
    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(Phase.STARTING);
    private final StringProperty instruction = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty retryAllowed = new SimpleBooleanProperty(true);
    private final ObjectProperty<byte[]> preview = new SimpleObjectProperty<>();
    private FaceChallenge challenge;
    private Runnable onPassed = () -> { };

    /** Waits between frames; tests pass a no-op. */
    public interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    public FaceCheckViewModel(MarkerApi api, BackgroundExecutor bg, Supplier<CameraSource> camera, Sleeper sleeper) {
        this.api = api;
        this.bg = bg;
        this.camera = camera;
        this.sleeper = sleeper;
    }

    public void onPassed(Runnable action) {
        this.onPassed = action;
    }

    /** Takes the check the server pushed, or starts one when {@code pushed} is null. */
    public void begin(FaceChallenge pushed) {
        phase.set(Phase.STARTING);
        status.set("Preparing the face check...");
        if (pushed != null) {
            ready(pushed);
            return;
        }
        bg.run(api::startFaceCheck, this::ready, e -> {
            if (e instanceof ApiException ae && ApiException.NO_CHECK_DUE.equals(ae.code())) {
                // The server has no check due (one passed in another session, or it was settled):
                // a Retry could never succeed, so the check is over.
                passed("No face check is due now.");
                return;
            }
            fail("Could not start the face check: " + e.getMessage(), true);
        });
    }

    private void ready(FaceChallenge c) {
        challenge = c;
        instruction.set(c.instruction());
        status.set("Press Start (or Enter) when you are ready; filming takes about "
                + Math.max(1, Math.round(c.frames() * c.intervalMs() / 1000.0)) + " second(s).");
        phase.set(Phase.READY);
    }

    /** Films the burst and sends it. */
    public void film() {
        if (phase.get() != Phase.READY || challenge == null) {
            return;
        }
        FaceChallenge c = challenge;
        phase.set(Phase.FILMING);
        status.set("Filming: " + c.instruction().toLowerCase(java.util.Locale.ROOT) + "...");
        bg.run(() -> {
            List<byte[]> frames = new ArrayList<>();
            CameraSource cam = camera.get();
            cam.beginBurst(c);
            for (int i = 0; i < c.frames(); i++) {
                byte[] f = cam.grab();
                frames.add(f);
                bg.onUi(() -> preview.set(f));
                if (i + 1 < c.frames()) {
                    sleeper.sleep(c.intervalMs());
                }
            }
            bg.onUi(() -> {
                phase.set(Phase.CHECKING);
                status.set("Checking...");
            });
            return api.sendBurst(c.checkId(), frames);
        }, this::verdict, e -> fail("The face check could not be completed: " + e.getMessage(), true));
    }

    private void verdict(FaceResult r) {
        if (r.passed()) {
            passed("Face check passed. Thank you.");
        } else {
            fail("The face check did not pass" + (r.reason().isBlank() ? "" : ": " + r.reason()) + ".", r.retryAllowed());
        }
    }

    private void passed(String message) {
        phase.set(Phase.PASSED);
        status.set(message);
        preview.set(null);
        onPassed.run();
    }

    private void fail(String message, boolean canRetry) {
        phase.set(Phase.FAILED);
        status.set(message + (canRetry ? " Press Retry to try again." : " Please contact your chief examiner."));
        retryAllowed.set(canRetry);
    }

    /** After a failure: a new check. */
    public void retry() {
        if (phase.get() == Phase.FAILED && retryAllowed.get()) {
            begin(null);
        }
    }

    public ObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    public StringProperty instructionProperty() {
        return instruction;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty retryAllowedProperty() {
        return retryAllowed;
    }

    /** The last frame filmed (JPEG bytes in memory), for the preview. */
    public ObjectProperty<byte[]> previewProperty() {
        return preview;
    }
}

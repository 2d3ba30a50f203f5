package org.openmarking.client.marking;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.image.WritableImage;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.Allocation;
import org.openmarking.client.api.Wire.CriteriaInForce;
import org.openmarking.client.api.Wire.Escalation;
import org.openmarking.client.api.Wire.EscalationReason;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.client.background.BackgroundExecutor;
import org.openmarking.client.session.SessionViewModel;
import org.openmarking.client.session.SessionViewModel.Standing;
import org.openmarking.domain.Mark;

/**
 * Marking one task (or taking its calibration set): the answer on screen with its lease, the
 * next answer fetched in the background so the marker never waits, the criteria in force,
 * the five marks with an optional confirm step, escalation, pause, and the lease clock that
 * withdraws an answer whose time ran out.
 *
 * <p>An answer's image is held as bytes in memory only, from the server to the screen; it is
 * dropped (and its bytes zeroed) when the answer leaves the screen. Marks go to the session's
 * {@link UploadQueue} with an id chosen here, so a mark made while offline is sent when the
 * connection returns and a resubmission is recognised by the server.
 */
public final class MarkingViewModel {
    /** Live marking or the task's calibration set. */
    public enum Mode { LIVE, CALIBRATION }

    /** An answer on (or ready for) the screen: its lease and its image, decoded in the background, in memory only. */
    public record Answer(Allocation allocation, WritableImage image) {
        boolean expiredAt(Instant now) {
            return !now.isBefore(allocation.leaseExpiresAt());
        }

        /** Overwrites the image's pixels, so the answer does not linger in the heap longer than needed. */
        void wipe() {
            AnswerDecoding.wipe(image);
        }
    }

    /** The five marks in key order: key 1 gives 0, ..., key 5 gives 1. */
    public static final Mark[] MARKS = Mark.values();

    private static final String CRITERIA_OUTDATED = "criteria-outdated";
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration NOTHING_WAITING_RETRY = Duration.ofSeconds(15);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final SessionViewModel session;
    private final MarkerApi api;
    private final BackgroundExecutor bg;
    private final Clock clock;
    private final TaskInfo task;
    private final Mode mode;
    private final ObjectProperty<CriteriaInForce> criteria = new SimpleObjectProperty<>();
    private final ObjectProperty<Answer> current = new SimpleObjectProperty<>();
    private final ObjectProperty<Mark> pendingMark = new SimpleObjectProperty<>();
    private final BooleanProperty confirmMarks = new SimpleBooleanProperty(true);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final BooleanProperty nextReady = new SimpleBooleanProperty(false);
    private final IntegerProperty markedThisSession = new SimpleIntegerProperty();
    private final IntegerProperty escalatedThisSession = new SimpleIntegerProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty leaseText = new SimpleStringProperty("");
    private final StringProperty watermark = new SimpleStringProperty("");
    private final BooleanProperty calibrationDone = new SimpleBooleanProperty(false);
    private Answer prefetched;
    /** The lease of each mark given here and not yet answered (no image), to put the answer back if refused as outdated. */
    private final java.util.Map<UUID, Allocation> givenUnder = new java.util.HashMap<>();
    private String notice = ""; // says why the last answer left the screen, shown with the next one
    private boolean fetching;
    private boolean prefetching;
    private boolean nothingWaiting;
    private boolean retryScheduled;
    private boolean closed;
    private boolean finishing;
    /** Calibration: the last mark's answer says whether the set is complete, so the next item waits for it. */
    private boolean awaitingReceipt;

    public MarkingViewModel(SessionViewModel session, TaskInfo task, Mode mode, Clock clock) {
        this.session = session;
        this.api = session.api();
        this.bg = session.background();
        this.clock = clock;
        this.task = task;
        this.mode = mode;
        session.standingProperty().addListener((o, was, now) -> standingChanged(now));
        session.uploads().onSent(onSent);
        session.uploads().onRefused(onRefused);
        session.onlineProperty().addListener((o, was, now) -> {
            if (now && !closed) {
                fill();
            }
        });
        session.onCriteriaUpdated(t -> {
            if (!closed && (t == null || t.equals(task.taskId()))) {
                loadCriteria();
            }
        });
        session.onTaskSuspended(t -> {
            if (!closed && t.equals(task.taskId())) {
                close();
                status.set("You are suspended from this task; its answers are withdrawn. A chief examiner will contact you.");
            }
        });
        session.onRecalibrationRequired(t -> {
            if (!closed && mode == Mode.LIVE && (t == null || t.equals(task.taskId()))) {
                withdrawAll("Recalibration is required before you mark this task again.");
                close();
            }
        });
    }

    /** Calibration: the answer to a mark says whether the set is complete; otherwise the next item comes. */
    private final java.util.function.BiConsumer<UploadQueue.Upload, org.openmarking.client.api.Wire.MarkReceipt> onSent =
            this::uploadSent;
    private final java.util.function.BiConsumer<UploadQueue.Upload, ApiException> onRefused = this::uploadRefused;

    private void uploadSent(UploadQueue.Upload upload, org.openmarking.client.api.Wire.MarkReceipt receipt) {
        givenUnder.remove(upload.id());
        if (closed || mode != Mode.CALIBRATION || !(upload instanceof UploadQueue.MarkUpload m)
                || !m.mark().taskId().equals(task.taskId())) {
            return;
        }
        awaitingReceipt = false;
        if (receipt.calibrationComplete()) {
            finishCalibration(); // the server says the set is complete
        } else {
            fill();
        }
    }

    private void uploadRefused(UploadQueue.Upload upload, ApiException e) {
        Allocation given = givenUnder.remove(upload.id());
        if (closed) {
            return;
        }
        if (CRITERIA_OUTDATED.equals(e.code()) && upload instanceof UploadQueue.MarkUpload m && m.mark().taskId().equals(task.taskId())) {
            // Newer criteria came into force before the mark arrived, so it was not counted: show them, and
            // put the answer back (its lease still runs) for the marker to mark again under them.
            notice = "The criteria changed to a newer version before your mark reached the server, so it was not counted. "
                    + "Read the criteria and mark this answer again.";
            status.set(notice);
            loadCriteria();
            if (mode == Mode.LIVE && given != null) {
                markAgain(given);
            }
        }
        if (mode == Mode.CALIBRATION) {
            awaitingReceipt = false;
            fill(); // the server serves the refused item again, as it serves calibration items until marked
        }
    }

    /** Fetches a refused answer's image again (the lease is still this marker's) and puts the answer back in front. */
    private void markAgain(Allocation a) {
        if (!clock.instant().isBefore(a.leaseExpiresAt())) {
            return; // its lease ran out meanwhile: it goes back to the pool on the server
        }
        bg.run(() -> download(a), again -> {
            if (!mayFetch() || again.expiredAt(clock.instant())) {
                again.wipe();
                return;
            }
            Answer onScreen = current.get();
            if (onScreen != null) { // the refused answer goes first; the one on screen waits behind it
                if (prefetched != null) {
                    prefetched.wipe(); // its lease runs out on the server and it goes back to the pool
                }
                prefetched = onScreen;
                nextReady.set(true);
                current.set(null);
            }
            show(again);
        }, e -> {
            if (!session.applyRefusal(e)) {
                status.set("Could not show the answer again: " + e.getMessage());
            }
        });
    }

    /** Loads the criteria and the first answer, and starts the lease clock. */
    public void open() {
        loadCriteria();
        fill();
        tick();
    }

    /** Leaves the task: answers leave the screen; their leases run out on the server. */
    public void close() {
        closed = true;
        session.uploads().removeListener(onSent);
        session.uploads().removeListener(onRefused);
        withdrawAll(null);
    }

    private void loadCriteria() {
        bg.run(() -> api.criteria(task.taskId()), criteria::set, e -> {
            if (!session.applyRefusal(e)) {
                status.set("Could not load the criteria: " + e.getMessage());
            }
        });
    }

    // ---- answers -------------------------------------------------------------------------

    private boolean mayFetch() {
        return !closed && !awaitingReceipt && session.standingProperty().get() == Standing.ACTIVE && !calibrationDone.get();
    }

    /** Puts an answer on screen (the prefetched one if still leased) and keeps one ready behind it. */
    private void fill() {
        if (!mayFetch()) {
            return;
        }
        Instant now = clock.instant();
        if (prefetched != null && prefetched.expiredAt(now)) {
            prefetched.wipe();
            prefetched = null;
        }
        if (current.get() == null && prefetched != null) {
            show(prefetched);
            prefetched = null;
            nextReady.set(false);
        }
        if (current.get() == null) {
            if (!fetching) {
                fetching = true;
                fetch(false, answer -> {
                    fetching = false;
                    if (answer.isPresent() && current.get() == null && mayFetch()) {
                        show(answer.get());
                    } else {
                        answer.ifPresent(this::park);
                    }
                    fill();
                }, () -> fetching = false);
            }
            return;
        }
        // Calibration items are served in order until marked, so asking ahead would return the one on screen.
        if (mode == Mode.LIVE && prefetched == null && !prefetching && !nothingWaiting) {
            prefetching = true;
            fetch(true, answer -> {
                prefetching = false;
                answer.ifPresent(this::park);
                if (current.get() == null) {
                    fill();
                }
            }, () -> prefetching = false);
        }
    }

    /** Keeps an answer fetched in the background ready behind the current one. */
    private void park(Answer a) {
        if (prefetched == null && mayFetch()) {
            prefetched = a;
            nextReady.set(true);
        } else {
            a.wipe();
        }
    }

    private void show(Answer a) {
        current.set(a);
        pendingMark.set(null);
        status.set(!notice.isEmpty() ? notice : mode == Mode.CALIBRATION ? "Calibration answer: mark it as you would a live answer." : "");
        notice = "";
        CriteriaInForce c = criteria.get();
        if (c != null && a.allocation().criteriaVersion() > c.version()) {
            loadCriteria(); // the answer was allocated under newer criteria than those on screen
        }
        updateClock();
    }

    /** Fetches and decodes an answer's image; background work, so the FX thread only shows the result. */
    private Answer download(Allocation a) throws IOException {
        return new Answer(a, AnswerDecoding.decode(api.image(a.responseId())));
    }

    /** Asks for the next answer and its image; an empty result means none is waiting now. */
    private void fetch(boolean ahead, java.util.function.Consumer<Optional<Answer>> done, Runnable failed) {
        bg.run(() -> {
            Optional<Allocation> a = api.next(task.taskId());
            if (a.isEmpty()) {
                return Optional.<Answer>empty();
            }
            return Optional.of(download(a.get()));
        }, answer -> {
            if (closed) {
                answer.ifPresent(Answer::wipe);
                failed.run();
                return;
            }
            if (answer.isEmpty()) {
                nothingWaiting = true;
                failed.run();
                nothingWaiting();
                return;
            }
            nothingWaiting = false;
            Answer got = answer.get();
            Answer onScreen = current.get();
            if (onScreen != null && onScreen.allocation().responseId().equals(got.allocation().responseId())) {
                got.wipe(); // the same answer again (its lease renewed): nothing new to show
                failed.run();
                return;
            }
            if (mode == Mode.CALIBRATION && !got.allocation().isCalibration()) {
                got.wipe(); // a live answer: the calibration set is over and passed; its lease runs out unused
                failed.run();
                finishCalibration();
                return;
            }
            done.accept(answer);
        }, e -> {
            failed.run();
            fetchFailed(e, ahead);
        });
    }

    private void nothingWaiting() {
        if (current.get() != null || prefetched != null) {
            return;
        }
        if (mode == Mode.CALIBRATION) {
            finishCalibration();
            return;
        }
        status.set("No answers are waiting for you on this task just now; checking again shortly.");
        retryLater(NOTHING_WAITING_RETRY);
    }

    private void retryLater(Duration after) {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        bg.later(after, () -> {
            retryScheduled = false;
            nothingWaiting = false;
            fill();
        });
    }

    private void fetchFailed(Exception e, boolean ahead) {
        if (session.applyRefusal(e)) {
            return; // the standing changed; fill() runs again when marking may continue
        }
        if (e instanceof ApiException ae && ahead && current.get() != null && ae.status() == 409) {
            return; // no answer ahead for now (e.g. the lease limit); the next one is fetched when needed
        }
        if (e instanceof ApiException ae && "calibration-held".equals(ae.code())) {
            if (mode == Mode.CALIBRATION) {
                finishCalibration(); // two sets not passed: the feedback says so; a chief examiner decides
            } else {
                status.set("Your calibration is waiting for a chief examiner's decision: " + ae.getMessage());
            }
            return;
        }
        if (e instanceof ApiException ae && ae.status() == 409) {
            status.set(ae.getMessage()); // e.g. no criteria published yet, suspended from this task
            retryLater(NOTHING_WAITING_RETRY);
            return;
        }
        if (e instanceof ApiException ae) {
            status.set("The server refused the next answer: " + ae.getMessage());
            retryLater(NOTHING_WAITING_RETRY);
        } else if (e instanceof IOException) {
            status.set("Waiting for the connection to fetch the next answer...");
            // the session reports the connection's return, which calls fill()
        } else {
            status.set("Could not show the next answer: " + e.getMessage());
        }
    }

    /** The calibration set is done once the server has nothing more and has every mark. */
    private void finishCalibration() {
        if (calibrationDone.get() || finishing) {
            return;
        }
        finishing = true;
        withdrawAll(null);
        if (session.uploads().pendingCountProperty().get() == 0) {
            calibrationDone.set(true);
            status.set("Calibration set complete.");
            return;
        }
        status.set("Calibration set complete; sending your last marks...");
        session.uploads().pendingCountProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Number> o, Number was, Number now) {
                if (now.intValue() == 0) {
                    o.removeListener(this);
                    calibrationDone.set(true);
                    status.set("Calibration set complete.");
                }
            }
        });
    }

    // ---- marking -------------------------------------------------------------------------

    /** The marker chose a mark (button or key): asks for confirmation first when that is switched on. */
    public void choose(Mark mark) {
        Answer a = current.get();
        if (a == null || paused.get()) {
            return;
        }
        if (confirmMarks.get() && pendingMark.get() != mark) {
            pendingMark.set(mark);
            status.set("Give " + mark + "? Press Enter (or the same key again) to confirm, Esc to change.");
            return;
        }
        give(a, mark);
    }

    /** Confirms the mark waiting for confirmation. */
    public void confirm() {
        Answer a = current.get();
        Mark m = pendingMark.get();
        if (a != null && m != null && !paused.get()) {
            give(a, m);
        }
    }

    /** Drops the mark waiting for confirmation. */
    public void cancelPending() {
        if (pendingMark.get() != null) {
            pendingMark.set(null);
            status.set("");
        }
    }

    private void give(Answer a, Mark mark) {
        CriteriaInForce c = criteria.get();
        if (c == null) {
            status.set("The criteria are not shown yet; mark once they are.");
            return;
        }
        // Exactly the version on screen, never the allocation's: the server's criteria-outdated check must
        // see a mark made under old criteria, so the marker reads the new ones and marks again.
        MarkSubmission m = new MarkSubmission(UUID.randomUUID(), a.allocation().responseId(), task.taskId(), mark, c.version(),
                clock.instant());
        givenUnder.put(m.id(), a.allocation());
        if (mode == Mode.LIVE) {
            markedThisSession.set(markedThisSession.get() + 1);
        } else {
            awaitingReceipt = true;
        }
        leave(a, "");
        session.uploads().add(new UploadQueue.MarkUpload(m)); // may answer at once (and, in calibration, fetch the next item)
        fill();
    }

    /** Sends the answer on screen to a senior examiner instead of marking it. */
    public void escalate(EscalationReason reason, String note) {
        Answer a = current.get();
        if (a == null || reason == null) {
            return;
        }
        Escalation e = new Escalation(UUID.randomUUID(), a.allocation().responseId(), task.taskId(), reason,
                note == null ? "" : note.strip());
        escalatedThisSession.set(escalatedThisSession.get() + 1);
        leave(a, "Escalated (" + reason.label().toLowerCase(java.util.Locale.ROOT) + ").");
        session.uploads().add(new UploadQueue.EscalationUpload(e));
        fill();
    }

    /** Takes a marked or escalated answer off the screen and out of memory. */
    private void leave(Answer done, String message) {
        current.set(null);
        done.wipe();
        pendingMark.set(null);
        notice = message;
        status.set(message);
    }

    /** The marker's own pause: the answer is hidden (its lease keeps running). */
    public void togglePause() {
        paused.set(!paused.get());
        pendingMark.set(null);
        status.set(paused.get() ? "Paused. The answer is hidden; press P or Resume to continue." : "");
        if (!paused.get()) {
            tick();
        }
    }

    // ---- leases, standing ----------------------------------------------------------------

    /** Once a second: the lease countdown, the watermark's time, and withdrawal of expired answers. */
    private void tick() {
        if (closed) {
            return;
        }
        updateClock();
        bg.later(TICK, this::tick);
    }

    /** Checks the leases now (the tick calls it; tests call it after moving the clock). */
    public void updateClock() {
        Instant now = clock.instant();
        watermark.set(session.markerId() + "  " + CLOCK.format(now.atZone(ZoneId.systemDefault())));
        Answer a = current.get();
        if (prefetched != null && prefetched.expiredAt(now)) {
            prefetched.wipe();
            prefetched = null;
            nextReady.set(false);
        }
        if (a == null) {
            leaseText.set("");
            return;
        }
        if (a.expiredAt(now)) {
            current.set(null);
            a.wipe();
            pendingMark.set(null);
            leaseText.set("");
            notice = "Time for the last answer ran out, so it was withdrawn; it goes back to be marked later.";
            status.set(notice);
            fill();
            return;
        }
        long s = Duration.between(now, a.allocation().leaseExpiresAt()).toSeconds();
        leaseText.set(String.format("%d:%02d left for this answer", s / 60, s % 60));
    }

    private void standingChanged(Standing now) {
        if (now == Standing.ACTIVE) {
            status.set("");
            fill();
        } else {
            withdrawAll(switch (now) {
                case FACE_CHECK_DUE -> "A face check is due; marking continues after it.";
                case PAUSED -> "Marking is paused; answers are withdrawn from the screen.";
                case SUSPENDED -> "Your marking is suspended; answers are withdrawn from the screen.";
                case ACTIVE -> "";
            });
        }
    }

    /** Takes every answer off the screen and out of memory. */
    private void withdrawAll(String message) {
        Answer a = current.get();
        current.set(null);
        if (a != null) {
            a.wipe();
        }
        if (prefetched != null) {
            prefetched.wipe();
            prefetched = null;
        }
        nextReady.set(false);
        pendingMark.set(null);
        leaseText.set("");
        if (message != null) {
            status.set(message);
        }
    }

    // ---- properties ----------------------------------------------------------------------

    public TaskInfo task() {
        return task;
    }

    public Mode mode() {
        return mode;
    }

    public SessionViewModel session() {
        return session;
    }

    public ReadOnlyObjectProperty<CriteriaInForce> criteriaProperty() {
        return criteria;
    }

    public ReadOnlyObjectProperty<Answer> currentProperty() {
        return current;
    }

    public ReadOnlyObjectProperty<Mark> pendingMarkProperty() {
        return pendingMark;
    }

    public BooleanProperty confirmMarksProperty() {
        return confirmMarks;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    /** True while the next answer is already fetched and waiting. */
    public BooleanProperty nextReadyProperty() {
        return nextReady;
    }

    public IntegerProperty markedThisSessionProperty() {
        return markedThisSession;
    }

    public IntegerProperty escalatedThisSessionProperty() {
        return escalatedThisSession;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty leaseTextProperty() {
        return leaseText;
    }

    /** The watermark over the answer: the marker's id and the current time. */
    public StringProperty watermarkProperty() {
        return watermark;
    }

    /** Calibration mode: the set is complete and every mark reached the server. */
    public BooleanProperty calibrationDoneProperty() {
        return calibrationDone;
    }
}

package org.openmarking.client.marking;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.Escalation;
import org.openmarking.client.api.Wire.MarkReceipt;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.background.BackgroundExecutor;

/**
 * Marks and escalations on their way to the server, kept in memory (never on disk) until the
 * server has them, and sent one at a time in the order given, like Plom's upload queue.
 *
 * <p>A network failure keeps the item and retries after a growing pause (by default 1 s to 15 s), or at
 * once when {@link #retryNow()} is called (the connection came back). Each item carries the id
 * chosen when the marker gave the mark, and the server treats a repeated id as the same mark,
 * so an upload that reached the server but whose answer was lost is safe to send again. A
 * refusal that retrying cannot fix (a 4xx other than 401, 409, 429) drops the item and says why.
 */
public final class UploadQueue {
    private static final Logger LOG = Logger.getLogger(UploadQueue.class.getName());

    /** One thing to upload: a mark or an escalation, with its client-chosen id. */
    public sealed interface Upload permits MarkUpload, EscalationUpload {
        UUID id();

        /** Sends it; a mark returns the server's receipt, an escalation {@link MarkReceipt#LIVE}. */
        MarkReceipt send(MarkerApi api) throws IOException;
    }

    /** A mark to upload. */
    public record MarkUpload(MarkSubmission mark) implements Upload {
        @Override
        public UUID id() {
            return mark.id();
        }

        @Override
        public MarkReceipt send(MarkerApi api) throws IOException {
            return api.submit(mark);
        }
    }

    /** An escalation to upload. */
    public record EscalationUpload(Escalation escalation) implements Upload {
        @Override
        public UUID id() {
            return escalation.id();
        }

        @Override
        public MarkReceipt send(MarkerApi api) throws IOException {
            api.escalate(escalation);
            return MarkReceipt.LIVE;
        }
    }

    private final MarkerApi api;
    private final BackgroundExecutor bg;
    private final Deque<Upload> pending = new ArrayDeque<>();
    private final List<Upload> rejected = new ArrayList<>();
    private final IntegerProperty pendingCount = new SimpleIntegerProperty();
    private final IntegerProperty sentCount = new SimpleIntegerProperty();
    private final StringProperty problem = new SimpleStringProperty("");
    private final long firstPauseMs;
    private final long maxPauseMs;
    private java.util.function.Consumer<ApiException> presenceListener = e -> { };
    private final List<java.util.function.BiConsumer<Upload, ApiException>> refusalListeners = new ArrayList<>();
    private final List<java.util.function.BiConsumer<Upload, MarkReceipt>> sentListeners = new ArrayList<>();
    private boolean sending;
    private boolean retryScheduled;
    private long retryGeneration;
    private long pauseMs;

    public UploadQueue(MarkerApi api, BackgroundExecutor bg) {
        this(api, bg, Duration.ofSeconds(1), Duration.ofSeconds(15));
    }

    /** With the first and the longest pause between retries. */
    public UploadQueue(MarkerApi api, BackgroundExecutor bg, Duration firstPause, Duration maxPause) {
        this.api = api;
        this.bg = bg;
        this.firstPauseMs = firstPause.toMillis();
        this.maxPauseMs = maxPause.toMillis();
        this.pauseMs = firstPauseMs;
    }

    /** Told (on the UI thread) of each upload the server accepted, with its receipt. */
    public void onSent(java.util.function.BiConsumer<Upload, MarkReceipt> listener) {
        sentListeners.add(listener);
    }

    /** Stops telling a listener given to {@link #onSent} or {@link #onRefused} (a closed screen). */
    public void removeListener(Object listener) {
        sentListeners.remove(listener);
        refusalListeners.remove(listener);
    }

    /**
     * Takes every unsent upload out of this queue (the session ended with marks unsent), so a
     * new session of the same marker can send them, with their ids.
     */
    public List<Upload> drain() {
        List<Upload> out = List.copyOf(pending);
        pending.clear();
        pendingCount.set(0);
        retryGeneration++;
        retryScheduled = false;
        return out;
    }

    /** Told when the server refuses an upload for good (the lease ran out, the criteria changed, ...). */
    public void onRefused(java.util.function.BiConsumer<Upload, ApiException> listener) {
        refusalListeners.add(listener);
    }

    /** Told when the server refuses an upload because of presence (face check due, paused, suspended) or an ended session (401). */
    public void onPresenceRefusal(java.util.function.Consumer<ApiException> listener) {
        this.presenceListener = listener;
    }

    /** Queues an upload and starts sending if idle. Call on the UI thread. */
    public void add(Upload upload) {
        pending.addLast(upload);
        pendingCount.set(pending.size());
        if (!retryScheduled) {
            flush(); // while a retry waits, a new mark waits with it rather than cutting the pause short
        }
    }

    /** Sends now rather than after the pause (the connection is back). */
    public void retryNow() {
        pauseMs = firstPauseMs;
        retryScheduled = false;
        retryGeneration++; // the retry scheduled before is void
        flush();
    }

    /** Items not yet confirmed by the server, oldest first. */
    public List<Upload> pending() {
        return List.copyOf(pending);
    }

    /** Items the server refused for good. */
    public List<Upload> rejected() {
        return List.copyOf(rejected);
    }

    public ReadOnlyIntegerProperty pendingCountProperty() {
        return pendingCount;
    }

    public ReadOnlyIntegerProperty sentCountProperty() {
        return sentCount;
    }

    /** The last problem in words ("3 marks waiting for the connection"), or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    private void flush() {
        if (sending || pending.isEmpty()) {
            return;
        }
        sending = true;
        Upload head = pending.peekFirst();
        bg.run(() -> head.send(api), receipt -> sent(head, receipt), e -> failed(head, e));
    }

    private void sent(Upload u, MarkReceipt receipt) {
        pending.remove(u);
        sending = false;
        pauseMs = firstPauseMs;
        sentCount.set(sentCount.get() + 1);
        pendingCount.set(pending.size());
        problem.set("");
        List.copyOf(sentListeners).forEach(l -> l.accept(u, receipt));
        flush();
    }

    private void failed(Upload u, Exception e) {
        sending = false;
        if (e instanceof ApiException ae && ae.isPermanent()) {
            pending.remove(u);
            rejected.add(u);
            pendingCount.set(pending.size());
            problem.set("The server refused an upload: " + ae.getMessage());
            List.copyOf(refusalListeners).forEach(l -> l.accept(u, ae));
            LOG.log(Level.WARNING, "upload {0} refused: {1}", new Object[] {u.id(), ae.status()});
            flush();
            return;
        }
        if (e instanceof ApiException ae && (ae.isPresence() || ae.isUnauthorized())) {
            presenceListener.accept(ae); // the session's standing changes: face check, pause, suspension, log-in again
        }
        problem.set(pending.size() + (pending.size() == 1 ? " mark waits" : " marks wait") + " for the server: "
                + (e instanceof ApiException ae ? ae.getMessage() : "no connection") + "; retrying");
        LOG.log(Level.INFO, "upload {0} will be retried: {1}", new Object[] {u.id(), e.getClass().getSimpleName()});
        if (!retryScheduled) {
            retryScheduled = true;
            long pause = pauseMs;
            pauseMs = Math.min(maxPauseMs, pauseMs * 2);
            long generation = retryGeneration;
            bg.later(Duration.ofMillis(pause), () -> {
                if (generation == retryGeneration) { // else retryNow() has already taken over
                    retryScheduled = false;
                    flush();
                }
            });
        }
    }
}

package org.openmarking.client.background;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs slow work (network calls, prefetch, image decoding, uploads) off the UI thread and
 * hands only the result back to it. Like JabRef's {@code BackgroundTask}, it is a small
 * interface rather than {@code javafx.concurrent.Task}, so view models are tested with a
 * same-thread implementation and no toolkit.
 */
public interface BackgroundExecutor {
    /**
     * Runs {@code work} in the background, then {@code onSuccess} or {@code onFailure} on the
     * UI thread.
     */
    <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Exception> onFailure);

    /** Runs {@code action} on the UI thread (soon, or now if already there). */
    void onUi(Runnable action);

    /** Runs {@code action} on the UI thread after a delay (retries, lease ticks). */
    void later(Duration delay, Runnable action);
}

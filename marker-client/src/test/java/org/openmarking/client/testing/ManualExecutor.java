package org.openmarking.client.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.openmarking.client.background.BackgroundExecutor;

/**
 * Runs background work at once on the calling thread and delayed actions when the test moves
 * the clock past them, so view models are tested step by step without a toolkit or sleeps.
 */
public final class ManualExecutor implements BackgroundExecutor {
    private record Delayed(Instant due, long seq, Runnable action) {
    }

    private final MutableClock clock;
    private final List<Delayed> delayed = new ArrayList<>();
    private final List<Object> results = new ArrayList<>();
    private long seq;

    public ManualExecutor(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Exception> onFailure) {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            onFailure.accept(e);
            return;
        }
        results.add(result);
        onSuccess.accept(result);
    }

    /** What each piece of background work returned, in order: what was handed to the UI thread. */
    public List<Object> results() {
        return List.copyOf(results);
    }

    @Override
    public void onUi(Runnable action) {
        action.run();
    }

    @Override
    public void later(Duration delay, Runnable action) {
        delayed.add(new Delayed(clock.instant().plus(delay), seq++, action));
    }

    /** Moves the clock forward, running each delayed action when its time comes. */
    public void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        while (true) {
            Delayed next = delayed.stream().filter(x -> !x.due().isAfter(target))
                    .min(Comparator.comparing(Delayed::due).thenComparing(Delayed::seq)).orElse(null);
            if (next == null) {
                break;
            }
            delayed.remove(next);
            if (next.due().isAfter(clock.instant())) {
                clock.set(next.due());
            }
            next.action().run();
        }
        clock.set(target);
    }
}

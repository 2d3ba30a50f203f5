package org.openmarking.server.marking;

import java.util.ArrayList;
import java.util.List;

/**
 * Notifications to send once a transaction has committed (pushes, the presence feature's
 * "seed missed"): a push announcing a suspension that then rolled back would be a lie.
 */
public final class Outbox {
    private final List<Runnable> actions = new ArrayList<>();

    public synchronized void add(Runnable action) {
        actions.add(action);
    }

    /** Runs every action once; call it after the commit succeeded. */
    public void flush() {
        List<Runnable> copy;
        synchronized (this) {
            copy = new ArrayList<>(actions);
            actions.clear();
        }
        copy.forEach(Runnable::run);
    }
}

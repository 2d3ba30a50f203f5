package org.openmarking.client.app;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.value.ObservableIntegerValue;

/**
 * Closing the window: marks not yet sent live only in memory and would be lost, so with any
 * unsent the marker is asked first (keep trying, or quit and lose them). If they reach the
 * server while the question is open, the window closes as asked, since nothing is lost now.
 */
public final class CloseRequest {
    private final ObservableIntegerValue unsent;
    private final Runnable quit;
    private final IntegerProperty asking = new SimpleIntegerProperty();

    /** {@code unsent}: marks and escalations not yet sent; {@code quit} closes the window. */
    public CloseRequest(ObservableIntegerValue unsent, Runnable quit) {
        this.unsent = unsent;
        this.quit = quit;
        unsent.addListener((o, was, now) -> {
            if (asking.get() > 0) {
                if (now.intValue() == 0) {
                    asking.set(0);
                    quit.run();
                } else {
                    asking.set(now.intValue());
                }
            }
        });
    }

    /** The window's close button: true if it may close now, false if the question is shown instead. */
    public boolean request() {
        int n = unsent.get();
        asking.set(n);
        return n == 0;
    }

    /** Keeps the window open; the uploads go on retrying. */
    public void keepTrying() {
        asking.set(0);
    }

    /** Closes the window and loses the unsent marks. */
    public void quitAnyway() {
        asking.set(0);
        quit.run();
    }

    /** While the question is shown: how many marks would be lost; 0 otherwise. */
    public ReadOnlyIntegerProperty askingProperty() {
        return asking;
    }
}

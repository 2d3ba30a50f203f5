package org.openmarking.client.marking;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import org.openmarking.client.connect.Settings;

/**
 * Whether a mark needs the confirm step, for every task of a run: the marker's remembered
 * choice ({@link Settings#CONFIRM_MARKS}, on by default), or off for this run when started
 * with {@code --no-confirm}. The marking view's toggle changes it and is remembered; the
 * command-line switch alone is not, so the next run without it asks the marker's choice again.
 */
public final class ConfirmChoice {
    private final BooleanProperty confirm = new SimpleBooleanProperty();

    public ConfirmChoice(Settings settings, boolean noConfirmThisRun) {
        confirm.set(!noConfirmThisRun && settings.get(Settings.CONFIRM_MARKS).map(Boolean::parseBoolean).orElse(true));
        confirm.addListener((o, was, now) -> settings.put(Settings.CONFIRM_MARKS, Boolean.toString(now)));
    }

    /** Bound to each marking screen's confirm toggle. */
    public BooleanProperty property() {
        return confirm;
    }
}

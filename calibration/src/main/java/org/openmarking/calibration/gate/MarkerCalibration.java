package org.openmarking.calibration.gate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.openmarking.calibration.AttemptResult;

/**
 * One marker's calibration standing on one task: the current {@link GateState} and the full,
 * immutable history that led to it. {@link CalibrationGate} makes the transitions; this value
 * only records them, so the server can store and reload it as it is.
 *
 * @param markerId the marker
 * @param taskId   the task calibrated
 * @param state    the current state; always the state the last event led to
 * @param history  every event, oldest first
 */
public record MarkerCalibration(String markerId, String taskId, GateState state, List<GateEvent> history) {
    public MarkerCalibration {
        Objects.requireNonNull(markerId, "markerId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        history = List.copyOf(history);
        GateState expected = history.isEmpty() ? GateState.NOT_STARTED : history.get(history.size() - 1).after();
        if (state != expected) {
            throw new IllegalArgumentException("state " + state + " does not follow from the history, which ends in " + expected);
        }
    }

    /** A marker who has never calibrated on the task. */
    public static MarkerCalibration notStarted(String markerId, String taskId) {
        return new MarkerCalibration(markerId, taskId, GateState.NOT_STARTED, List.of());
    }

    public boolean mayLiveMark() {
        return state.mayLiveMark();
    }

    /** Every attempt, oldest first, across all rounds. */
    public List<AttemptResult> attempts() {
        List<AttemptResult> out = new ArrayList<>();
        for (GateEvent e : history) {
            if (e instanceof GateEvent.Attempted a) {
                out.add(a.result());
            }
        }
        return List.copyOf(out);
    }

    /** Ids of the sets attempted since the current round began, in order. */
    public Set<String> setsTriedThisRound() {
        Set<String> out = new LinkedHashSet<>();
        for (GateEvent e : history) {
            if (e.startsNewRound()) {
                out.clear();
            } else if (e instanceof GateEvent.Attempted a) {
                out.add(a.result().setId());
            }
        }
        return Set.copyOf(out);
    }

    MarkerCalibration with(GateEvent event) {
        List<GateEvent> h = new ArrayList<>(history);
        h.add(event);
        return new MarkerCalibration(markerId, taskId, event.after(), h);
    }
}

package org.openmarking.calibration.gate;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.openmarking.calibration.AttemptResult;
import org.openmarking.calibration.CalibrationRule;
import org.openmarking.calibration.CalibrationSet;
import org.openmarking.domain.Mark;

/**
 * The calibration gate of one task: the rules by which a marker earns, loses and regains the right
 * to live-mark the task (the transitions are drawn on {@link GateState}).
 *
 * <p>Stateless apart from its configuration: every method takes a {@link MarkerCalibration} and
 * returns a new one, so the server decides where standings are stored and how they are locked.
 * Events are stamped with the injected clock so tests move time instead of sleeping.
 */
public final class CalibrationGate {
    private final String taskId;
    private final CalibrationRule rule;
    private final List<CalibrationSet> sets;
    private final Clock clock;

    /**
     * @param rule  the pass rule of the task
     * @param sets  the task's calibration sets; at least two, because a marker who fails once must
     *              get a different set; all of one task, distinct ids and ordinals, each fitting the rule
     * @param clock the time source for the history
     */
    public CalibrationGate(CalibrationRule rule, List<CalibrationSet> sets, Clock clock) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sets = sets.stream().sorted(Comparator.comparingInt(CalibrationSet::ordinal)).toList();
        if (this.sets.size() < 2) {
            throw new IllegalArgumentException("a task needs at least two calibration sets, so a failed marker can get a different one");
        }
        this.taskId = this.sets.get(0).taskId();
        Map<String, CalibrationSet> byId = new HashMap<>();
        Map<Integer, CalibrationSet> byOrdinal = new HashMap<>();
        for (CalibrationSet s : this.sets) {
            rule.check(s);
            if (!s.taskId().equals(taskId)) {
                throw new IllegalArgumentException("set " + s.id() + " is for task " + s.taskId() + ", not " + taskId);
            }
            if (byId.put(s.id(), s) != null) {
                throw new IllegalArgumentException("set id " + s.id() + " appears twice");
            }
            if (byOrdinal.put(s.ordinal(), s) != null) {
                throw new IllegalArgumentException("two sets have ordinal " + s.ordinal());
            }
        }
    }

    /** A marker who has not calibrated on this task yet. */
    public MarkerCalibration start(String markerId) {
        return MarkerCalibration.notStarted(markerId, taskId);
    }

    /**
     * The set the marker must attempt next, or empty when none is due (passed, approved or held)
     * or every set has been tried in this round.
     *
     * <p>Sets never tried by the marker come first, lowest ordinal first; after a fresh round has
     * used them up, the set tried longest ago comes back. A set already tried in the current round
     * is never offered again, so a marker who failed never meets the same answers twice in a row.
     */
    public Optional<CalibrationSet> nextSet(MarkerCalibration marker) {
        ownTask(marker);
        if (!marker.state().awaitsAttempt()) {
            return Optional.empty();
        }
        Set<String> thisRound = marker.setsTriedThisRound();
        Map<String, Integer> lastTried = new HashMap<>();
        List<AttemptResult> attempts = marker.attempts();
        for (int i = 0; i < attempts.size(); i++) {
            lastTried.put(attempts.get(i).setId(), i);
        }
        return sets.stream()
                .filter(s -> !thisRound.contains(s.id()))
                .min(Comparator.<CalibrationSet>comparingInt(s -> lastTried.getOrDefault(s.id(), -1))
                        .thenComparingInt(CalibrationSet::ordinal));
    }

    /**
     * Records an attempt and moves the marker on: a pass leads to PASSED, a first failure to
     * FAILED_ONCE, a second to HELD.
     *
     * @param setId the set attempted; one the marker has not tried in this round
     * @param marks the marker's mark for every response of the set
     * @throws IllegalStateException    when the marker is not due to attempt a set, or has tried this one already
     * @throws IllegalArgumentException when the set is unknown or the marks do not match it
     */
    public MarkerCalibration submit(MarkerCalibration marker, String setId, Map<String, Mark> marks) {
        ownTask(marker);
        if (!marker.state().awaitsAttempt()) {
            throw new IllegalStateException("marker " + marker.markerId() + " is " + marker.state() + " and has no attempt due");
        }
        CalibrationSet set = sets.stream().filter(s -> s.id().equals(setId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no set " + setId + " for task " + taskId));
        if (marker.setsTriedThisRound().contains(setId)) {
            throw new IllegalStateException("marker " + marker.markerId() + " has already tried set " + setId + " in this round");
        }
        AttemptResult result = rule.evaluate(set, marks);
        GateState after;
        if (result.passed()) {
            after = GateState.PASSED;
        } else {
            after = marker.state() == GateState.NOT_STARTED ? GateState.FAILED_ONCE : GateState.HELD;
        }
        return marker.with(new GateEvent.Attempted(clock.instant(), after, result));
    }

    /** A chief examiner releases a held marker to live marking. */
    public MarkerCalibration approve(MarkerCalibration marker, String chiefExaminerId, String note) {
        ownTask(marker);
        if (marker.state() != GateState.HELD) {
            throw new IllegalStateException("only a held marker can be approved; " + marker.markerId() + " is " + marker.state());
        }
        return marker.with(new GateEvent.ChiefDecision(clock.instant(), GateState.APPROVED, chiefExaminerId, note));
    }

    /**
     * A chief examiner sends a held, passed or approved marker back to calibration: a fresh round
     * starts, and {@link #nextSet} offers sets the marker has not seen before it reuses any.
     */
    public MarkerCalibration sendBack(MarkerCalibration marker, String chiefExaminerId, String note) {
        ownTask(marker);
        if (marker.state().awaitsAttempt()) {
            throw new IllegalStateException("marker " + marker.markerId() + " is " + marker.state() + " and already in calibration");
        }
        return marker.with(new GateEvent.ChiefDecision(clock.instant(), GateState.NOT_STARTED, chiefExaminerId, note));
    }

    /**
     * Applies a new version of the task's criteria. When it requires recalibration every marker's
     * qualification lapses and a fresh round starts; otherwise nothing changes.
     */
    public MarkerCalibration criteriaRevised(MarkerCalibration marker, String criteriaVersion, boolean requiresRecalibration) {
        ownTask(marker);
        if (!requiresRecalibration) {
            return marker;
        }
        return marker.with(new GateEvent.CriteriaRevised(clock.instant(), GateState.NOT_STARTED, criteriaVersion));
    }

    private void ownTask(MarkerCalibration marker) {
        if (!marker.taskId().equals(taskId)) {
            throw new IllegalArgumentException("marker standing is for task " + marker.taskId() + ", this gate is for " + taskId);
        }
    }
}

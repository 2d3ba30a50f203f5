package org.openmarking.calibration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openmarking.domain.Mark;

/**
 * A calibration rule for one task: how many items of a set a marker must mark exactly as the
 * definitive mark, and how far any one mark may stray.
 *
 * <p>The board's usual rule is {@link #standard()}: sets of 10, at least 8 exact and none further
 * than one scale step away. Both conditions are needed: 8 exact with a 0 given for a full answer
 * shows a misreading of the criteria that the count alone would hide.
 *
 * @param itemsPerSet    how many items each set of the task must hold
 * @param minExact       at least this many items must equal the definitive mark
 * @param maxStepsOff    no item may be further than this many scale steps away (0 to 4)
 */
public record CalibrationRule(int itemsPerSet, int minExact, int maxStepsOff) {
    public CalibrationRule {
        if (itemsPerSet < 1) {
            throw new IllegalArgumentException("items per set must be at least 1, not " + itemsPerSet);
        }
        if (minExact < 0 || minExact > itemsPerSet) {
            throw new IllegalArgumentException("minimum exact " + minExact + " is not between 0 and " + itemsPerSet);
        }
        if (maxStepsOff < 0 || maxStepsOff >= Mark.SCALE_SIZE) {
            throw new IllegalArgumentException("maximum steps off " + maxStepsOff + " is not between 0 and " + (Mark.SCALE_SIZE - 1));
        }
    }

    public static CalibrationRule of(int itemsPerSet, int minExact, int maxStepsOff) {
        return new CalibrationRule(itemsPerSet, minExact, maxStepsOff);
    }

    /** At least 8 of 10 exactly right and none further than one scale step away. */
    public static CalibrationRule standard() {
        return new CalibrationRule(10, 8, 1);
    }

    /**
     * Checks that a set fits this rule; the gate calls it for every set it is given so a badly
     * prepared set is refused before any marker sees it.
     */
    public void check(CalibrationSet set) {
        if (set.size() != itemsPerSet) {
            throw new IllegalArgumentException("set " + set.id() + " holds " + set.size() + " items; the rule needs " + itemsPerSet);
        }
    }

    /**
     * Evaluates a marker's attempt at a set.
     *
     * @param set   the set attempted; it must fit this rule
     * @param marks the marker's mark for every response of the set, and no other
     * @throws IllegalArgumentException when a mark is missing or belongs to no item, so an
     *                                  incomplete attempt can never pass by accident
     */
    public AttemptResult evaluate(CalibrationSet set, Map<String, Mark> marks) {
        check(set);
        Objects.requireNonNull(marks, "marks");
        Set<String> unknown = new HashSet<>(marks.keySet());
        List<ItemFeedback> feedback = new ArrayList<>(set.size());
        int exact = 0;
        int maxOff = 0;
        for (CalibrationItem item : set.items()) {
            Mark given = marks.get(item.responseId());
            if (given == null) {
                throw new IllegalArgumentException("no mark for response " + item.responseId() + " of set " + set.id());
            }
            unknown.remove(item.responseId());
            ItemFeedback f = new ItemFeedback(item.responseId(), given, item.definitive(), item.rationale());
            feedback.add(f);
            exact += f.exact() ? 1 : 0;
            maxOff = Math.max(maxOff, f.stepsOff());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("marks for responses not in set " + set.id() + ": " + unknown);
        }
        boolean passed = exact >= minExact && maxOff <= maxStepsOff;
        return new AttemptResult(set.id(), passed, exact, maxOff, feedback);
    }
}

package org.openmarking.calibration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openmarking.domain.Mark;

/** Builders of calibration sets and attempts from the board's written marks, for tests. */
public final class CalibrationFixtures {
    /** Definitive marks of the ten-item sets used in tests, in item order. */
    public static final String DEFINITIVE = "0 1/3 1/2 2/3 1 1 2/3 1/2 1/3 0";

    private CalibrationFixtures() {
    }

    /** A set of task T1 whose items r1..rN hold the given definitive marks (space separated). */
    public static CalibrationSet set(String id, int ordinal, String definitive) {
        List<CalibrationItem> items = new ArrayList<>();
        String[] marks = definitive.split(" ");
        for (int i = 0; i < marks.length; i++) {
            items.add(CalibrationItem.of(id + "-r" + (i + 1), Mark.parse(marks[i]), "criterion " + (i + 1)));
        }
        return CalibrationSet.of(id, "T1", ordinal, items);
    }

    /** A marker's marks for the items of {@code set} in order, space separated. */
    public static Map<String, Mark> marks(CalibrationSet set, String given) {
        Map<String, Mark> m = new HashMap<>();
        String[] parts = given.strip().split(" ");
        for (int i = 0; i < parts.length; i++) {
            m.put(set.id() + "-r" + (i + 1), Mark.parse(parts[i]));
        }
        return m;
    }
}

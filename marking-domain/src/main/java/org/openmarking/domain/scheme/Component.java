package org.openmarking.domain.scheme;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openmarking.domain.Fraction;

/**
 * A part of a subject scored by one formula, such as stage I of the 2016 9th-grade exam.
 *
 * <p>Most subjects have a single component. Item numbers are unique within the subject.
 */
public record Component(String id, List<Item> items, Formula formula) {
    public Component {
        Objects.requireNonNull(formula, "formula");
        if (id == null || id.isBlank()) {
            throw new SchemeException("id", "a component needs an id");
        }
        if (items == null || items.isEmpty()) {
            throw new SchemeException("items", "a component needs at least one item");
        }
        items = List.copyOf(items);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!seen.add(items.get(i).number())) {
                throw new SchemeException("items[" + i + "]", "item " + items.get(i).number() + " appears twice");
            }
        }
    }

    /** How many items of each type the component has. */
    public Map<ItemType, Integer> counts() {
        Map<ItemType, Integer> c = new EnumMap<>(ItemType.class);
        for (ItemType t : ItemType.values()) {
            c.put(t, 0);
        }
        items.forEach(i -> c.merge(i.type(), 1, Integer::sum));
        return c;
    }

    /** The score when every item is fully correct. */
    public Fraction maxScore() {
        Map<ItemType, Fraction> points = new EnumMap<>(ItemType.class);
        counts().forEach((t, n) -> points.put(t, Fraction.of(n)));
        return formula.apply(points);
    }
}

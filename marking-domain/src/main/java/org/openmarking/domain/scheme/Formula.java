package org.openmarking.domain.scheme;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.openmarking.domain.Fraction;

/**
 * A component's score formula: {@code coefficient x (sum over types of weight x points)}.
 *
 * <p>Every formula in domain.md has this shape, for example mathematics'
 * {@code 25/8 x (2 n_written + n_coded + n_closed)}; a type with no weight counts 1.
 */
public record Formula(Fraction coefficient, Map<ItemType, Fraction> weights) {
    public Formula {
        Objects.requireNonNull(coefficient, "coefficient");
        if (coefficient.signum() <= 0) {
            throw new SchemeException("coefficient", "must be positive, got " + coefficient);
        }
        EnumMap<ItemType, Fraction> w = new EnumMap<>(ItemType.class);
        for (ItemType t : ItemType.values()) {
            Fraction v = weights == null ? null : weights.get(t);
            if (v != null && v.signum() < 0) {
                throw new SchemeException("weights." + t.name().toLowerCase(), "must not be negative (wrong answers never subtract), got " + v);
            }
            w.put(t, v == null ? Fraction.ONE : v);
        }
        weights = Map.copyOf(w);
    }

    public Fraction weight(ItemType type) {
        return weights.get(type);
    }

    /** The score for these raw points per type, exact. */
    public Fraction apply(Map<ItemType, Fraction> points) {
        Fraction sum = Fraction.ZERO;
        for (Map.Entry<ItemType, Fraction> e : points.entrySet()) {
            sum = sum.add(weight(e.getKey()).multiply(e.getValue()));
        }
        return coefficient.multiply(sum);
    }
}

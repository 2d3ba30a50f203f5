package org.openmarking.domain.scheme;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.openmarking.domain.Fraction;

/**
 * A subject of an exam (or a separately graded part, such as the optional essay).
 *
 * @param maxScore the declared maximum; checked against the formulas so a mistyped
 *     coefficient is caught when the scheme loads, not when results are published
 * @param separateGrade true when the score is reported on its own and not added to the total
 * @param gradeBands optional grades read from the raw points (count of correct answers)
 */
public record Subject(String id, String name, List<Component> components, Fraction maxScore,
                      boolean separateGrade, List<GradeBand> gradeBands) {
    public Subject {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new SchemeException("id", "subject ids are lower-case words with dashes, got '" + id + "'");
        }
        name = name == null || name.isBlank() ? id : name;
        if (components == null || components.isEmpty()) {
            throw new SchemeException("components", "a subject needs items");
        }
        components = List.copyOf(components);
        gradeBands = gradeBands == null ? List.of() : List.copyOf(gradeBands);
        Set<Integer> numbers = new HashSet<>();
        Set<String> componentIds = new HashSet<>();
        for (int c = 0; c < components.size(); c++) {
            if (!componentIds.add(components.get(c).id())) {
                throw new SchemeException("components[" + c + "].id", "component '" + components.get(c).id() + "' appears twice");
            }
            List<Item> items = components.get(c).items();
            for (int i = 0; i < items.size(); i++) {
                if (!numbers.add(items.get(i).number())) {
                    throw new SchemeException("components[" + c + "].items[" + i + "]",
                            "item " + items.get(i).number() + " is already in another component");
                }
            }
        }
        Fraction computed = Fraction.ZERO;
        for (Component c : components) {
            computed = computed.add(c.maxScore());
        }
        Objects.requireNonNull(maxScore, "maxScore");
        if (!computed.equals(maxScore)) {
            throw new SchemeException("maxScore", "declared " + maxScore + " but all items correct give " + computed
                    + " (check the coefficients and weights)");
        }
        int rawMax = components.stream().mapToInt(c -> c.items().size()).sum();
        int expectFrom = 0;
        for (int b = 0; b < gradeBands.size(); b++) {
            GradeBand band = gradeBands.get(b);
            if (band.from() != expectFrom) {
                throw new SchemeException("gradeBands[" + b + "]", "starts at " + band.from() + " but must start at " + expectFrom
                        + " (bands must cover 0.." + rawMax + " without gaps or overlaps)");
            }
            expectFrom = band.to() + 1;
        }
        if (!gradeBands.isEmpty() && expectFrom != rawMax + 1) {
            throw new SchemeException("gradeBands", "end at " + (expectFrom - 1) + " but the subject has " + rawMax + " items");
        }
    }

    /** Every item of the subject in printed order. */
    public List<Item> items() {
        List<Item> all = new ArrayList<>();
        components.forEach(c -> all.addAll(c.items()));
        all.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return all;
    }

    public Optional<Item> item(int number) {
        return items().stream().filter(i -> i.number() == number).findFirst();
    }

    /** The grade for these raw points, if the subject has grade bands. */
    public Optional<Integer> grade(Fraction rawPoints) {
        BigDecimal raw = new BigDecimal(rawPoints.numerator()).divide(new BigDecimal(rawPoints.denominator()), 6, java.math.RoundingMode.DOWN);
        for (GradeBand band : gradeBands) {
            // raw points may be fractional (written marks); a band covers [from, to + 1)
            if (raw.compareTo(BigDecimal.valueOf(band.from())) >= 0 && raw.compareTo(BigDecimal.valueOf(band.to() + 1L)) < 0) {
                return Optional.of(band.grade());
            }
        }
        return Optional.empty();
    }
}

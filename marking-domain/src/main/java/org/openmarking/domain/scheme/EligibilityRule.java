package org.openmarking.domain.scheme;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * A rule that makes a candidate eligible for something, such as choosing a specialty.
 *
 * <p>domain.md: total >= 50 with native language >= 10 and mathematics >= 10; specialties
 * needing special abilities: total >= 40 and a pass in the ability exam.
 *
 * @param minSubject minimum published score per subject id
 * @param requiresAbilityExam true when the candidate must also have passed an ability exam
 */
public record EligibilityRule(String id, String description, BigDecimal minTotal,
                              Map<String, BigDecimal> minSubject, boolean requiresAbilityExam) {
    public EligibilityRule {
        if (id == null || id.isBlank()) {
            throw new SchemeException("id", "an eligibility rule needs an id");
        }
        Objects.requireNonNull(minTotal, "minTotal");
        description = description == null ? id : description;
        minSubject = minSubject == null ? Map.of() : Map.copyOf(minSubject);
    }

    public boolean isMetBy(BigDecimal total, Map<String, BigDecimal> subjectScores, boolean passedAbilityExam) {
        if (total.compareTo(minTotal) < 0 || (requiresAbilityExam && !passedAbilityExam)) {
            return false;
        }
        for (Map.Entry<String, BigDecimal> min : minSubject.entrySet()) {
            BigDecimal got = subjectScores.get(min.getKey());
            if (got == null || got.compareTo(min.getValue()) < 0) {
                return false;
            }
        }
        return true;
    }
}

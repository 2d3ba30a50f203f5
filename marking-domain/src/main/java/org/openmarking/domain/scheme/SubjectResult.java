package org.openmarking.domain.scheme;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.openmarking.domain.Fraction;

/**
 * A candidate's score on one subject: the exact value, the published (rounded) value,
 * the raw points per item type, and the grade where the scheme reads one.
 */
public record SubjectResult(String subjectId, Map<ItemType, Fraction> rawPoints, Fraction exact,
                            BigDecimal published, boolean separateGrade, Optional<Integer> grade) {
    public SubjectResult {
        rawPoints = Map.copyOf(rawPoints);
    }
}

package org.openmarking.domain.scheme;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A candidate's result on a whole exam: subject results, the total of the published
 * subject scores, pass/fail where the scheme has a pass mark, and eligibility per rule.
 */
public record ExamResult(String schemeId, List<SubjectResult> subjects, BigDecimal total,
                         Optional<Boolean> passed, Map<String, Boolean> eligibility) {
    public ExamResult {
        subjects = List.copyOf(subjects);
        eligibility = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(eligibility));
    }

    public SubjectResult subject(String id) {
        return subjects.stream().filter(s -> s.subjectId().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no subject '" + id + "' in this result"));
    }
}

package org.openmarking.domain.scheme;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

/**
 * An exam scheme: subjects with their items and formulas, rounding, pass mark, eligibility
 * rules and tie-breaking (domain.md §4). Schemes change every year, so they are
 * configuration files loaded at start; this type checks them and computes scores.
 *
 * <p>Scores are exact rationals until the very end, where each subject is rounded once
 * (half up to 0.1 for the board) and the total is the sum of the rounded subject scores.
 *
 * @param declaredTotalMax the maximum total the file declares; checked against the subjects
 * @param passMark when present, a candidate passes with a total at least this
 * @param passValidYears how long a pass is valid (state-language exam: two years), 0 if n/a
 * @param tieBreak keys after the total, in order: {@code certificateMean} or {@code subject:<id>}
 */
public record ExamScheme(String id, String name, Rounding rounding, List<Subject> subjects,
                         BigDecimal declaredTotalMax, Optional<BigDecimal> passMark, int passValidYears,
                         List<EligibilityRule> eligibility, List<String> tieBreak) {

    public static final String CERTIFICATE_MEAN = "certificateMean";

    public ExamScheme {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new SchemeException("id", "scheme ids are lower-case words with dashes, got '" + id + "'");
        }
        name = name == null || name.isBlank() ? id : name;
        Objects.requireNonNull(rounding, "rounding");
        if (subjects == null || subjects.isEmpty()) {
            throw new SchemeException("subjects", "a scheme needs at least one subject");
        }
        subjects = List.copyOf(subjects);
        passMark = passMark == null ? Optional.empty() : passMark;
        eligibility = eligibility == null ? List.of() : List.copyOf(eligibility);
        tieBreak = tieBreak == null ? List.of() : List.copyOf(tieBreak);
        if (passValidYears < 0) {
            throw new SchemeException("passValidYears", "must not be negative");
        }
        Set<String> ids = new HashSet<>();
        BigDecimal max = BigDecimal.ZERO;
        for (int s = 0; s < subjects.size(); s++) {
            Subject subject = subjects.get(s);
            if (!ids.add(subject.id())) {
                throw new SchemeException("subjects[" + s + "].id", "subject '" + subject.id() + "' appears twice");
            }
            if (!subject.separateGrade()) {
                max = max.add(rounding.apply(subject.maxScore()));
            }
        }
        Objects.requireNonNull(declaredTotalMax, "declaredTotalMax");
        if (max.compareTo(declaredTotalMax) != 0) {
            throw new SchemeException("totalMax", "declared " + declaredTotalMax.toPlainString() + " but the subjects add up to "
                    + max.toPlainString());
        }
        for (int e = 0; e < eligibility.size(); e++) {
            for (String subjectId : eligibility.get(e).minSubject().keySet()) {
                if (!ids.contains(subjectId)) {
                    throw new SchemeException("eligibility[" + e + "].minSubject." + subjectId, "no such subject in this scheme");
                }
            }
        }
        for (int t = 0; t < tieBreak.size(); t++) {
            String key = tieBreak.get(t);
            boolean ok = key.equals(CERTIFICATE_MEAN) || (key.startsWith("subject:") && ids.contains(key.substring(8)));
            if (!ok) {
                throw new SchemeException("tieBreak[" + t + "]", "'" + key + "' is neither " + CERTIFICATE_MEAN
                        + " nor subject:<id of a subject in this scheme>");
            }
        }
    }

    public Subject subject(String subjectId) {
        return subjects.stream().filter(s -> s.id().equals(subjectId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("scheme '" + id + "' has no subject '" + subjectId + "'"));
    }

    /**
     * Scores one subject.
     *
     * @throws IllegalArgumentException when a written item has no mark, or an item number is
     *     unknown or of the wrong type: a score is never published from incomplete marks
     */
    public SubjectResult score(String subjectId, SubjectSheet sheet) {
        Subject subject = subject(subjectId);
        for (Integer n : sheet.correct()) {
            ItemType t = subject.item(n).map(Item::type)
                    .orElseThrow(() -> new IllegalArgumentException(subjectId + ": no item " + n));
            if (t.isMarkedByPeople()) {
                throw new IllegalArgumentException(subjectId + ": item " + n + " is written; give it a mark, not 'correct'");
            }
        }
        for (Integer n : sheet.written().keySet()) {
            ItemType t = subject.item(n).map(Item::type)
                    .orElseThrow(() -> new IllegalArgumentException(subjectId + ": no item " + n));
            if (!t.isMarkedByPeople()) {
                throw new IllegalArgumentException(subjectId + ": item " + n + " is " + t.name().toLowerCase() + ", not written");
            }
        }
        Fraction exact = Fraction.ZERO;
        Map<ItemType, Fraction> rawTotal = zeroPoints();
        for (Component component : subject.components()) {
            Map<ItemType, Fraction> points = zeroPoints();
            for (Item item : component.items()) {
                Fraction p;
                if (item.type().isMarkedByPeople()) {
                    Mark m = sheet.written().get(item.number());
                    if (m == null) {
                        throw new IllegalArgumentException(subjectId + ": written item " + item.number() + " has no final mark yet");
                    }
                    p = m.value();
                } else {
                    p = sheet.correct().contains(item.number()) ? Fraction.ONE : Fraction.ZERO;
                }
                points.merge(item.type(), p, Fraction::add);
                rawTotal.merge(item.type(), p, Fraction::add);
            }
            exact = exact.add(component.formula().apply(points));
        }
        Fraction raw = rawTotal.values().stream().reduce(Fraction.ZERO, Fraction::add);
        return new SubjectResult(subjectId, rawTotal, exact, rounding.apply(exact), subject.separateGrade(), subject.grade(raw));
    }

    /**
     * Scores a whole exam. Subjects missing from {@code sheets} are not scored (a candidate of
     * a third-language school sits two subjects); the total adds the published subject scores.
     */
    public ExamResult score(Map<String, SubjectSheet> sheets, boolean passedAbilityExam) {
        List<SubjectResult> results = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(rounding.decimals());
        Map<String, BigDecimal> published = new LinkedHashMap<>();
        for (Subject subject : subjects) {
            SubjectSheet sheet = sheets.get(subject.id());
            if (sheet == null) {
                continue;
            }
            SubjectResult r = score(subject.id(), sheet);
            results.add(r);
            published.put(subject.id(), r.published());
            if (!subject.separateGrade()) {
                total = total.add(r.published());
            }
        }
        for (String key : sheets.keySet()) {
            subject(key); // an unknown subject is an error, not silently ignored
        }
        Map<String, Boolean> eligible = new LinkedHashMap<>();
        for (EligibilityRule rule : eligibility) {
            eligible.put(rule.id(), rule.isMetBy(total, published, passedAbilityExam));
        }
        final BigDecimal t = total;
        return new ExamResult(id, results, total, passMark.map(p -> t.compareTo(p) >= 0), eligible);
    }

    /**
     * Orders candidates best first: by total, then by the scheme's tie-break keys. Two
     * candidates still equal compare as 0, and the board admits them all.
     */
    public Comparator<RankedCandidate> ranking() {
        Comparator<RankedCandidate> c = Comparator.comparing(r -> r.result().total());
        for (String key : tieBreak) {
            if (key.equals(CERTIFICATE_MEAN)) {
                c = c.thenComparing(RankedCandidate::certificateMean, Comparator.nullsFirst(Comparator.naturalOrder()));
            } else {
                String subjectId = key.substring(8);
                c = c.thenComparing(r -> subjectScore(r.result(), subjectId), Comparator.nullsFirst(Comparator.naturalOrder()));
            }
        }
        return c.reversed();
    }

    private static BigDecimal subjectScore(ExamResult result, String subjectId) {
        return result.subjects().stream().filter(s -> s.subjectId().equals(subjectId)).map(SubjectResult::published)
                .findFirst().orElse(null);
    }

    private static Map<ItemType, Fraction> zeroPoints() {
        Map<ItemType, Fraction> m = new EnumMap<>(ItemType.class);
        for (ItemType t : ItemType.values()) {
            m.put(t, Fraction.ZERO);
        }
        return m;
    }

    /** A candidate to rank: their result and the mean of their school-leaving certificate grades. */
    public record RankedCandidate(String reference, ExamResult result, BigDecimal certificateMean) {
    }
}

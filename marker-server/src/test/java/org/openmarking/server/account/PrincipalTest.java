package org.openmarking.server.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Scope rules every route's authorisation rests on: task ids are {@code exam.subject.item}. */
class PrincipalTest {
    private static Principal of(Principal.Grant... grants) {
        return new Principal(UUID.randomUUID(), "u", "U", Set.of(grants));
    }

    private static Principal.Grant grant(Role role, String scope) {
        return new Principal.Grant(role, scope);
    }

    @Test
    void aScopeCoversItselfAndWhatLiesInsideItOnly() {
        Principal subjectChief = of(grant(Role.CHIEF_EXAMINER, "demo26.math"));
        assertTrue(subjectChief.has(Role.CHIEF_EXAMINER, "demo26.math"));
        assertTrue(subjectChief.has(Role.CHIEF_EXAMINER, "demo26.math.3"));
        assertFalse(subjectChief.has(Role.CHIEF_EXAMINER, "demo26"), "a subject's chief is not the exam's");
        assertFalse(subjectChief.has(Role.CHIEF_EXAMINER, "demo26.mathematics.1"), "a longer name is not inside");
        assertFalse(subjectChief.has(Role.CHIEF_EXAMINER, "demo26.english.1"));
        assertFalse(subjectChief.has(Role.MARKER, "demo26.math.3"), "a role is not another role");
        assertTrue(of(grant(Role.MARKER, "*")).has(Role.MARKER, "any.exam.1"));
    }

    @Test
    void withinAnExamMeansTheExamOrAnythingInsideIt() {
        Principal subjectChief = of(grant(Role.CHIEF_EXAMINER, "demo26.math"));
        assertTrue(subjectChief.hasWithin(Role.CHIEF_EXAMINER, "demo26"));
        assertFalse(subjectChief.hasWithin(Role.CHIEF_EXAMINER, "demo2"), "demo2 is another exam, not a prefix of demo26's scopes");
        assertFalse(subjectChief.hasWithin(Role.CHIEF_EXAMINER, "demo26.english"));
    }

    @Test
    void anExamIsOverseenByAdminsAndItsChiefExaminersOnly() {
        assertTrue(of(grant(Role.ADMIN, "*")).overseesExam("demo26"));
        assertTrue(of(grant(Role.CHIEF_EXAMINER, "demo26")).overseesExam("demo26"));
        assertTrue(of(grant(Role.CHIEF_EXAMINER, "demo26.math")).overseesExam("demo26"));
        assertFalse(of(grant(Role.CHIEF_EXAMINER, "demo27")).overseesExam("demo26"));
        assertFalse(of(grant(Role.CHIEF_EXAMINER, "demo26")).overseesExam("demo2"));
        assertFalse(of(grant(Role.MARKER, "demo26")).overseesExam("demo26"), "a marker sees no dashboard");
        assertFalse(of(grant(Role.APPEAL_EXPERT, "demo26")).overseesExam("demo26"));
    }
}

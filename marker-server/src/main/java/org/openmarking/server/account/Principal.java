package org.openmarking.server.account;

import java.util.Set;
import java.util.UUID;

/**
 * The authenticated user behind a request, with the roles and scopes they hold.
 *
 * @param grants role grants; scope {@code *} means every subject and task
 */
public record Principal(UUID userId, String username, String displayName, Set<Grant> grants) {
    public Principal {
        grants = Set.copyOf(grants);
    }

    /** One role in one scope. */
    public record Grant(Role role, String scope) {
    }

    public boolean has(Role role) {
        return grants.stream().anyMatch(g -> g.role() == role);
    }

    /**
     * True when the user holds {@code role} for {@code scope}: a grant for {@code *}, for the
     * scope itself, or for an enclosing one: a task id {@code exam.subject.item} lies within
     * the subject scope {@code exam.subject} and the exam scope {@code exam}.
     */
    public boolean has(Role role, String scope) {
        return grants.stream().anyMatch(g -> g.role() == role
                && (g.scope().equals("*") || g.scope().equals(scope) || scope.startsWith(g.scope() + ".")));
    }

    /**
     * True when the user holds {@code role} for {@code scope} or for a scope inside it: a chief
     * examiner of {@code exam.mathematics} takes part in exam {@code exam}, though only in its
     * mathematics tasks.
     */
    public boolean hasWithin(Role role, String scope) {
        return has(role, scope) || grants.stream().anyMatch(g -> g.role() == role && g.scope().startsWith(scope + "."));
    }

    /**
     * True for an admin and for a chief examiner of the exam or of anything inside it: who may
     * watch an exam's dashboards (its live stream, its presence totals). What each of them then
     * sees is narrowed to the tasks their scope covers.
     */
    public boolean overseesExam(String exam) {
        return has(Role.ADMIN) || hasWithin(Role.CHIEF_EXAMINER, exam);
    }
}

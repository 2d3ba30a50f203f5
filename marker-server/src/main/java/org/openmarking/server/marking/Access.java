package org.openmarking.server.marking;

import org.openmarking.server.account.Principal;
import org.openmarking.server.account.Role;
import org.openmarking.server.http.ApiException;

/** Role-and-scope checks shared by the marking engine's routes. */
public final class Access {
    private Access() {
    }

    /** The board's administrator, or a chief examiner whose scope covers the task. */
    public static boolean isStaff(Principal p, String taskId) {
        return p.has(Role.ADMIN) || p.has(Role.CHIEF_EXAMINER, taskId);
    }

    /** Refuses with 403 anyone but an administrator or a chief examiner in scope. */
    public static void requireStaff(Principal p, String taskId) {
        if (!isStaff(p, taskId)) {
            throw ApiException.forbidden("task " + taskId + " is outside your scope");
        }
    }

    /** Refuses with 403 anyone but a chief examiner in scope (adjudication is theirs alone). */
    public static void requireChief(Principal p, String taskId) {
        if (!p.has(Role.CHIEF_EXAMINER, taskId)) {
            throw ApiException.forbidden("only a chief examiner of " + taskId + " may do this");
        }
    }
}

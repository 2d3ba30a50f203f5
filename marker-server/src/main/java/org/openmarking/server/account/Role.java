package org.openmarking.server.account;

/**
 * What a user may do. A chief examiner's role carries a scope (a subject or task id, or
 * {@code *}), and they act only within it.
 */
public enum Role {
    ADMIN("admin"),
    CHIEF_EXAMINER("chief_examiner"),
    MARKER("marker"),
    APPEAL_EXPERT("appeal_expert");

    private final String dbName;

    Role(String dbName) {
        this.dbName = dbName;
    }

    /** The name stored in the database and used in the API. */
    public String dbName() {
        return dbName;
    }

    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.dbName.equalsIgnoreCase(name) || r.name().equalsIgnoreCase(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a role; roles are admin, chief_examiner, marker, appeal_expert");
    }
}

package org.openmarking.domain.scheme;

/**
 * An exam scheme that cannot be used, with the field at fault.
 *
 * <p>The field is a path such as {@code subjects[1].components[0].formula.coefficient}, so
 * the board can fix the configuration file without reading code.
 */
public final class SchemeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public SchemeException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    /** The same problem, with its field placed under a parent path. */
    public SchemeException under(String parent) {
        return new SchemeException(parent + (field.isEmpty() || field.startsWith("[") ? "" : ".") + field, reason);
    }
}

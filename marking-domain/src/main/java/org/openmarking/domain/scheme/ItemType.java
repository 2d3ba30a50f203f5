package org.openmarking.domain.scheme;

/**
 * How an exam item is answered and scored (domain.md §1, §4).
 *
 * <p>Closed (multiple-choice) and coded open answers are read by optical mark reading and
 * earn 0 or 1 point; written open answers are marked by people on the five-value scale.
 */
public enum ItemType {
    CLOSED,
    CODED,
    WRITTEN;

    /** True for the items people mark online; only these become marking tasks. */
    public boolean isMarkedByPeople() {
        return this == WRITTEN;
    }

    /** Parses "closed", "coded" or "written" (case-insensitive). */
    public static ItemType parse(String text) {
        for (ItemType t : values()) {
            if (t.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an item type; use closed, coded or written");
    }
}

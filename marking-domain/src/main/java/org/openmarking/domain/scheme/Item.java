package org.openmarking.domain.scheme;

import java.util.Objects;

/**
 * One numbered item (question) of a subject's paper.
 *
 * @param number the item number printed on the paper, which appeals cite; from 1
 * @param type how it is answered and scored
 * @param section an optional label such as "listening text", for people reading results
 */
public record Item(int number, ItemType type, String section) {
    public Item {
        Objects.requireNonNull(type, "type");
        if (number < 1) {
            throw new SchemeException("number", "item numbers start at 1, got " + number);
        }
        section = section == null ? "" : section;
    }
}

package org.openmarking.server.ingest;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a page's QR code says: exam, booklet and page number, as
 * {@code OM1|<examId>|<bookletId>|<page>}.
 */
public record PageCode(String examId, String bookletId, int page) {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
    private static final String PREFIX = "OM1";

    public PageCode {
        if (!TOKEN.matcher(examId).matches() || !TOKEN.matcher(bookletId).matches() || page < 1 || page > 999) {
            throw new IllegalArgumentException("bad page code: " + examId + "/" + bookletId + "/" + page);
        }
    }

    /** The text printed in the QR code. */
    public String text() {
        return PREFIX + "|" + examId + "|" + bookletId + "|" + page;
    }

    /** Parses QR text; empty if it is not one of ours. */
    public static Optional<PageCode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] f = text.strip().split("\\|", -1);
        if (f.length != 4 || !f[0].equals(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PageCode(f[1], f[2], Integer.parseInt(f[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

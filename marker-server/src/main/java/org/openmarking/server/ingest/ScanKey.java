package org.openmarking.server.ingest;

/**
 * One page of one exact scan file: the file's SHA-256 (hex) and the page's index in
 * it (from 0). The same bytes always give the same key, which is what makes
 * re-ingesting a file a no-op.
 */
public record ScanKey(String fileSha256, int pageIndex) {
    public ScanKey {
        if (!fileSha256.matches("[0-9a-f]{64}") || pageIndex < 0) {
            throw new IllegalArgumentException("bad scan key " + fileSha256 + "#" + pageIndex);
        }
    }

    @Override
    public String toString() {
        return fileSha256 + "#" + pageIndex;
    }
}

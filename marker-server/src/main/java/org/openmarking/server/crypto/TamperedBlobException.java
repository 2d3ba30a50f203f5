package org.openmarking.server.crypto;

/**
 * A blob whose authentication failed: its ciphertext, header, wrapped key or
 * associated data (the blob id) is not what was sealed.
 *
 * <p>The server must audit this and refuse to serve the blob; it never means
 * "try another key".
 */
public final class TamperedBlobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String blobId;

    public TamperedBlobException(String blobId, String message, Throwable cause) {
        super("blob " + blobId + ": " + message, cause);
        this.blobId = blobId;
    }

    public String blobId() {
        return blobId;
    }
}

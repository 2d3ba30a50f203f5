package org.openmarking.server.crypto;

/**
 * A blob wrapped by a key-encryption key this node's {@link KeyRing} does not hold:
 * a deployment problem (keystore not rolled out), not tampering.
 */
public final class UnknownKeyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public UnknownKeyException(String blobId, String keyId) {
        super("blob " + blobId + " needs key " + keyId + ", which the keystore does not hold");
    }
}

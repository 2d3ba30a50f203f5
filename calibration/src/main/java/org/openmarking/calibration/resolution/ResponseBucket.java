package org.openmarking.calibration.resolution;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A response's bucket: a number 0..99 fixed by its id, which decides whether a singly marked
 * response is also second-marked.
 *
 * <p>SHA-256 rather than {@link String#hashCode()}: ids such as "R-000123" differ in few
 * characters, and String's hash maps them to neighbouring numbers, so a run of consecutive ids
 * would be selected or skipped together. SHA-256 spreads them evenly, is the same on every JVM and
 * node, and needs nothing beyond the JDK.
 */
final class ResponseBucket {
    static final int BUCKETS = 100;

    private ResponseBucket() {
    }

    /** The first 8 bytes of SHA-256(UTF-8 id), unsigned, modulo 100. */
    static int of(String responseId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(responseId.getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, Long.BYTES).getLong(), BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}

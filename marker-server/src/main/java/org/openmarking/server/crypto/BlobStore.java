package org.openmarking.server.crypto;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable byte blobs by id, readable by every node (shared storage). Blobs are
 * written once; a second {@link #putIfAbsent} of the same id leaves the first.
 * A store keeps what it is given: callers hand it sealed bytes
 * ({@link EncryptedBlobStore}). The one way a blob leaves is {@link #erase}: personal data
 * whose purpose has ended (a deleted face enrolment's templates), under an id never used again.
 */
public interface BlobStore {
    /** Blob ids: lower-case letters, digits and '-', 1 to 100 characters. */
    Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    /** Stores the blob atomically unless one with this id exists; true if written. */
    boolean putIfAbsent(String id, byte[] bytes) throws IOException;

    /** The blob, or empty if none has this id. */
    Optional<byte[]> get(String id) throws IOException;

    boolean exists(String id) throws IOException;

    /**
     * Removes blob {@code id} for good, durably; true if it was there. Only for personal data
     * whose purpose has ended: everything else is kept for the exam's record.
     */
    boolean erase(String id) throws IOException;

    /**
     * The first {@code n} bytes of a blob (its header) and its full size, or empty if none has
     * this id. Stores override this to avoid reading the whole blob.
     */
    default Optional<Head> head(String id, int n) throws IOException {
        return get(id).map(b -> new Head(java.util.Arrays.copyOf(b, Math.min(n, b.length)), b.length));
    }

    /** The start of a blob and its size in bytes. */
    record Head(byte[] bytes, long size) {
    }

    static String checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad blob id: " + id);
        }
        return id;
    }
}

package org.openmarking.server.crypto;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable byte blobs by id, readable by every node (shared storage). Blobs are
 * written once; a second {@link #putIfAbsent} of the same id leaves the first.
 * A store keeps what it is given: callers hand it sealed bytes
 * ({@link EncryptedBlobStore}).
 */
public interface BlobStore {
    /** Blob ids: lower-case letters, digits and '-', 1 to 100 characters. */
    Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    /** Stores the blob atomically unless one with this id exists; true if written. */
    boolean putIfAbsent(String id, byte[] bytes) throws IOException;

    /** The blob, or empty if none has this id. */
    Optional<byte[]> get(String id) throws IOException;

    boolean exists(String id) throws IOException;

    static String checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad blob id: " + id);
        }
        return id;
    }
}

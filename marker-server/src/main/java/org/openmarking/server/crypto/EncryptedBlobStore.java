package org.openmarking.server.crypto;

import java.io.IOException;
import java.util.Optional;

/**
 * Plaintext in, sealed blobs at rest: an {@link EnvelopeCipher} over a
 * {@link BlobStore}. The blob id is the associated data, so a blob copied to
 * another id is refused.
 */
public final class EncryptedBlobStore {
    private final EnvelopeCipher cipher;
    private final BlobStore store;

    public EncryptedBlobStore(EnvelopeCipher cipher, BlobStore store) {
        this.cipher = cipher;
        this.store = store;
    }

    /** Seals and stores; false (and nothing written) if the id is already taken. */
    public boolean putIfAbsent(String id, byte[] plaintext) throws IOException {
        BlobStore.checkId(id);
        if (store.exists(id)) {
            return false;
        }
        return store.putIfAbsent(id, cipher.seal(id, plaintext));
    }

    /**
     * Seals and stores like {@link #putIfAbsent}, returning the id of the key-encryption key
     * that wrapped the blob's data key (for the {@code blobs} table), or empty (and nothing
     * written) if the id is already taken.
     */
    public Optional<String> put(String id, byte[] plaintext) throws IOException {
        BlobStore.checkId(id);
        if (store.exists(id)) {
            return Optional.empty();
        }
        byte[] sealed = cipher.seal(id, plaintext);
        return store.putIfAbsent(id, sealed) ? Optional.of(EnvelopeCipher.keyIdOf(sealed)) : Optional.empty();
    }

    /**
     * Reads and opens blob {@code id}.
     *
     * @throws TamperedBlobException if the stored bytes fail authentication
     */
    public Optional<byte[]> get(String id) throws IOException {
        Optional<byte[]> sealed = store.get(id);
        return sealed.isEmpty() ? Optional.empty() : Optional.of(cipher.open(id, sealed.get()));
    }

    public boolean exists(String id) throws IOException {
        return store.exists(id);
    }

    /**
     * Removes a blob's file for good (see {@link BlobStore#erase}). Copies made elsewhere
     * (backups, snapshots) hold its wrapped data key and stay readable with the keystore.
     */
    public boolean erase(String id) throws IOException {
        return store.erase(BlobStore.checkId(id));
    }

    /**
     * The key-encryption key named in a stored blob's header and its stored size, read without
     * opening it (for the blob registry); empty if there is no such blob.
     */
    public Optional<Stat> stat(String id) throws IOException {
        Optional<BlobStore.Head> head = store.head(id, 64);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(EnvelopeCipher.keyIdOf(head.get().bytes()), head.get().size()));
        } catch (RuntimeException e) {
            throw new TamperedBlobException(id, "malformed header", e);
        }
    }

    /** A stored blob's key id and size in bytes (sealed). */
    public record Stat(String keyId, long sizeBytes) {
    }
}

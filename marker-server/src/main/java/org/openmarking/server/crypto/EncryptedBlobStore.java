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
}

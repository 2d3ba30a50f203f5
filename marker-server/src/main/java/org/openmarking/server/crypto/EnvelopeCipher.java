package org.openmarking.server.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.NativeServices;
import org.bouncycastle.crypto.Wrapper;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Envelope encryption of blobs: a fresh random 256-bit data key per blob,
 * AES-256-GCM over the content, the data key wrapped (AES key wrap, RFC 3394) by
 * the current key-encryption key of a {@link KeyRing}.
 *
 * <p>Blob format, version 1 (all lengths one unsigned byte):
 * <pre>
 *   "OMB1" magic (4) | version = 1 (1)
 *   | key id length (1) | key id, ASCII
 *   | wrapped key length (1) | wrapped data key (40)
 *   | nonce length (1) | GCM nonce (12)
 *   | ciphertext | GCM tag (16)
 * </pre>
 * The associated data is the whole header followed by the blob id in UTF-8, so a
 * blob moved to another id, or with any header byte changed, fails to open with
 * {@link TamperedBlobException}. Thread-safe.
 *
 * <p>The engines come from {@code AESEngine.newInstance()} and {@code GCMBlockCipher.newInstance()}
 * so that BouncyCastle's LTS provider can hand out its native AES-GCM (AVX/VAES, about 20x its
 * pure-Java engine, which was a quarter of the CPU of ingesting a page); where the CPU or platform
 * has no native variant the same calls return the Java engines. Both write the same standard
 * AES-GCM, so blobs open whichever engine sealed them ({@link #implementation()} says which runs).
 */
public final class EnvelopeCipher {
    static final byte[] MAGIC = {'O', 'M', 'B', '1'};
    static final int VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing keys;
    private final SecureRandom random;

    public EnvelopeCipher(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    /** Encrypts {@code plaintext} as blob {@code blobId} under the current KEK. */
    public byte[] seal(String blobId, byte[] plaintext) {
        String keyId = keys.currentId();
        byte[] dataKey = new byte[32];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(dataKey);
        random.nextBytes(nonce);
        try {
            Wrapper wrap = new RFC3394WrapEngine(AESEngine.newInstance());
            wrap.init(true, new KeyParameter(keys.kek(keyId).orElseThrow()));
            byte[] wrapped = wrap.wrap(dataKey, 0, dataKey.length);
            byte[] header = header(keyId, wrapped, nonce);
            GCMModeCipher gcm = gcm(true, dataKey, nonce, header, blobId);
            byte[] out = Arrays.copyOf(header, header.length + gcm.getOutputSize(plaintext.length));
            int n = gcm.processBytes(plaintext, 0, plaintext.length, out, header.length);
            gcm.doFinal(out, header.length + n);
            return out;
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption failed", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Decrypts blob {@code blobId}.
     *
     * @throws TamperedBlobException if the blob is not a well-formed version-1 blob,
     *     or authentication of the key or content fails
     * @throws UnknownKeyException if the blob names a KEK this ring does not hold
     */
    public byte[] open(String blobId, byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        byte[] dataKey = null;
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new TamperedBlobException(blobId, "not a sealed blob (bad magic)", null);
            }
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw new TamperedBlobException(blobId, "unsupported blob version " + version, null);
            }
            String keyId = new String(field(in), StandardCharsets.US_ASCII);
            byte[] wrapped = field(in);
            byte[] nonce = field(in);
            int headerLength = in.position();
            byte[] kek = keys.kek(keyId).orElseThrow(() -> new UnknownKeyException(blobId, keyId));
            Wrapper unwrap = new RFC3394WrapEngine(AESEngine.newInstance());
            unwrap.init(false, new KeyParameter(kek));
            dataKey = unwrap.unwrap(wrapped, 0, wrapped.length);
            GCMModeCipher gcm = gcm(false, dataKey, nonce, Arrays.copyOf(blob, headerLength), blobId);
            byte[] out = new byte[gcm.getOutputSize(blob.length - headerLength)];
            int n = gcm.processBytes(blob, headerLength, blob.length - headerLength, out, 0);
            n += gcm.doFinal(out, n);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (InvalidCipherTextException e) {
            throw new TamperedBlobException(blobId, "authentication failed", e);
        } catch (RuntimeException e) {
            if (e instanceof TamperedBlobException || e instanceof UnknownKeyException) {
                throw e;
            }
            throw new TamperedBlobException(blobId, "malformed blob", e);
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
    }

    /** Which AES-GCM engine seals and opens blobs in this JVM, e.g. "BouncyCastle native AES-GCM (vaes)". */
    public static String implementation() {
        NativeServices nativeServices = CryptoServicesRegistrar.getNativeServices();
        return CryptoServicesRegistrar.hasEnabledService(NativeServices.AES_GCM)
                ? "BouncyCastle native AES-GCM (" + nativeServices.getVariant() + ")"
                : "BouncyCastle pure-Java AES-GCM (native: " + nativeServices.getStatusMessage() + ")";
    }

    /** The id of the KEK that wrapped this blob's data key, read from its header. */
    public static String keyIdOf(byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob, MAGIC.length + 1, blob.length - MAGIC.length - 1);
        return new String(field(in), StandardCharsets.US_ASCII);
    }

    private static GCMModeCipher gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] header, String blobId) {
        byte[] id = blobId.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(header, header.length + id.length);
        System.arraycopy(id, 0, aad, header.length, id.length);
        return aesGcm(encrypt, key, nonce, aad);
    }

    /**
     * An AES-GCM cipher with a 128-bit tag, initialised: the one place the server makes one, so
     * that blobs and the upload spool alike get BouncyCastle's native engine where there is one
     * (see {@link #implementation()}). {@code aad} may be null.
     */
    public static GCMModeCipher aesGcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        return gcm;
    }

    private static byte[] header(String keyId, byte[] wrapped, byte[] nonce) {
        ByteArrayOutputStream h = new ByteArrayOutputStream(64);
        h.writeBytes(MAGIC);
        h.write(VERSION);
        for (byte[] f : new byte[][] {keyId.getBytes(StandardCharsets.US_ASCII), wrapped, nonce}) {
            h.write(f.length);
            h.writeBytes(f);
        }
        return h.toByteArray();
    }

    private static byte[] field(ByteBuffer in) {
        byte[] f = new byte[in.get() & 0xff];
        in.get(f);
        return f;
    }
}

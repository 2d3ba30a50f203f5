package org.openmarking.server.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The key-encryption keys (KEKs) of a node: AES-256 keys held in a BCFKS keystore
 * file protected by a passphrase.
 *
 * <p>Key ids are {@code k0001}, {@code k0002}, ...; the highest id is the current
 * key used to wrap new data keys, older ones stay to unwrap old blobs (rotation).
 * The passphrase comes from {@link KeystorePassphrase}, never from config or logs.
 */
public final class KeyRing {
    private static final Pattern KEY_ID = Pattern.compile("k\\d{4}");
    private static final String TYPE = "BCFKS";

    private final Map<String, byte[]> keks;
    private final String currentId;

    private KeyRing(Map<String, byte[]> keks) {
        if (keks.isEmpty()) {
            throw new IllegalArgumentException("key ring holds no key-encryption key");
        }
        this.keks = Collections.unmodifiableMap(new TreeMap<>(keks));
        this.currentId = ((TreeMap<String, byte[]>) new TreeMap<>(keks)).lastKey();
    }

    /** A key ring held only in memory (tests, benchmarks). */
    public static KeyRing inMemory(Map<String, byte[]> keks) {
        keks.keySet().forEach(KeyRing::checkId);
        keks.values().forEach(k -> {
            if (k.length != 32) {
                throw new IllegalArgumentException("a KEK must be 256 bits");
            }
        });
        return new KeyRing(keks);
    }

    /** A fresh in-memory ring with one random key {@code k0001}. */
    public static KeyRing random(SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return inMemory(Map.of("k0001", k));
    }

    /** Loads every KEK of a keystore file. */
    public static KeyRing load(Path keystore, char[] passphrase) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance(TYPE, new BouncyCastleProvider());
            ks.load(in, passphrase);
            Map<String, byte[]> keys = new TreeMap<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (!KEY_ID.matcher(alias).matches()) {
                    continue;
                }
                Key key = ks.getKey(alias, passphrase);
                keys.put(alias, key.getEncoded());
            }
            return new KeyRing(keys);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open keystore " + keystore + " (wrong passphrase or damaged file)", e);
        }
    }

    /**
     * Adds a new random KEK to the keystore file (creating the file if absent) and
     * makes it current; returns its id. The file is replaced atomically.
     */
    public static String addKey(Path keystore, char[] passphrase, SecureRandom random) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(TYPE, new BouncyCastleProvider());
            if (Files.exists(keystore)) {
                try (InputStream in = Files.newInputStream(keystore)) {
                    ks.load(in, passphrase);
                }
            } else {
                ks.load(null, passphrase);
            }
            int next = 1;
            for (String alias : Collections.list(ks.aliases())) {
                if (KEY_ID.matcher(alias).matches()) {
                    next = Math.max(next, Integer.parseInt(alias.substring(1)) + 1);
                }
            }
            String id = String.format("k%04d", next);
            byte[] k = new byte[32];
            random.nextBytes(k);
            ks.setEntry(id, new KeyStore.SecretKeyEntry(new SecretKeySpec(k, "AES")),
                    new KeyStore.PasswordProtection(passphrase));
            Arrays.fill(k, (byte) 0);
            Path dir = keystore.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".keystore", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, passphrase);
            }
            Files.move(tmp, keystore, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot update keystore " + keystore, e);
        }
    }

    /** The id of the key that wraps new data keys. */
    public String currentId() {
        return currentId;
    }

    /** The raw KEK with this id, if the ring holds it. */
    Optional<byte[]> kek(String id) {
        return Optional.ofNullable(keks.get(id));
    }

    private static void checkId(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id must look like k0001: " + id);
        }
    }
}

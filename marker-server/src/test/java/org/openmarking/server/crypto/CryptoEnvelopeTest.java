package org.openmarking.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoEnvelopeTest {
    private final SecureRandom random = new SecureRandom();
    private final EnvelopeCipher cipher = new EnvelopeCipher(KeyRing.random(random), random);
    private final byte[] content = "answer image bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTrip() {
        byte[] blob = cipher.seal("r1", content);
        assertArrayEquals(content, cipher.open("r1", blob));
        assertEquals("k0001", EnvelopeCipher.keyIdOf(blob));
    }

    /**
     * Blobs are standard AES-256-GCM whichever BouncyCastle engine runs: one sealed by the native
     * engine opens with the pure-Java one and the other way round, and the JDK's own AES key unwrap
     * and AES/GCM open it too (so the format never depends on the engine or even the library).
     */
    @Test
    void blobsAreStandardAesGcmWhicheverEngineSealsThem() throws Exception {
        byte[] image = new byte[300_000];
        random.nextBytes(image);
        boolean nativeWas = org.bouncycastle.crypto.CryptoServicesRegistrar.isNativeEnabled();
        byte[] sealedByDefault = cipher.seal("r-engine", image);
        byte[] sealedByJava;
        try {
            org.bouncycastle.crypto.CryptoServicesRegistrar.setNativeEnabled(false);
            assertTrue(EnvelopeCipher.implementation().contains("pure-Java"), EnvelopeCipher.implementation());
            sealedByJava = cipher.seal("r-engine", image);
            assertArrayEquals(image, cipher.open("r-engine", sealedByDefault));
        } finally {
            org.bouncycastle.crypto.CryptoServicesRegistrar.setNativeEnabled(nativeWas);
        }
        assertArrayEquals(image, cipher.open("r-engine", sealedByJava));

        KeyRing ring = KeyRing.inMemory(Map.of("k0001", new byte[32]));
        EnvelopeCipher zeroKek = new EnvelopeCipher(ring, random);
        byte[] blob = zeroKek.seal("r-jdk", image);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(blob, 5, blob.length - 5);
        byte[][] fields = new byte[3][];
        for (int i = 0; i < 3; i++) {
            fields[i] = new byte[in.get() & 0xff];
            in.get(fields[i]);
        }
        int header = in.position();
        javax.crypto.Cipher unwrap = javax.crypto.Cipher.getInstance("AESWrap");
        unwrap.init(javax.crypto.Cipher.UNWRAP_MODE, new javax.crypto.spec.SecretKeySpec(new byte[32], "AES"));
        java.security.Key dataKey = unwrap.unwrap(fields[1], "AES", javax.crypto.Cipher.SECRET_KEY);
        javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(javax.crypto.Cipher.DECRYPT_MODE, dataKey, new javax.crypto.spec.GCMParameterSpec(128, fields[2]));
        gcm.updateAAD(java.util.Arrays.copyOf(blob, header));
        gcm.updateAAD("r-jdk".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(image, gcm.doFinal(blob, header, blob.length - header));
    }

    @Test
    void eachBlobHasItsOwnKeyAndNonce() {
        assertNotEquals(new String(cipher.seal("r1", content), StandardCharsets.ISO_8859_1),
                new String(cipher.seal("r1", content), StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyFlippedByteIsRefused() {
        byte[] blob = cipher.seal("r1", content);
        for (int i = 0; i < blob.length; i++) {
            byte[] bad = blob.clone();
            bad[i] ^= 0x01;
            assertThrows(RuntimeException.class, () -> cipher.open("r1", bad), "byte " + i);
        }
        byte[] bad = blob.clone();
        bad[bad.length - 20] ^= (byte) 0x80;
        assertThrows(TamperedBlobException.class, () -> cipher.open("r1", bad));
    }

    @Test
    void wrongAssociatedDataIsRefused() {
        byte[] blob = cipher.seal("r1", content);
        TamperedBlobException e = assertThrows(TamperedBlobException.class, () -> cipher.open("r2", blob));
        assertEquals("r2", e.blobId());
    }

    @Test
    void truncatedBlobIsRefused() {
        byte[] blob = cipher.seal("r1", content);
        assertThrows(TamperedBlobException.class, () -> cipher.open("r1", java.util.Arrays.copyOf(blob, 30)));
        assertThrows(TamperedBlobException.class, () -> cipher.open("r1", new byte[0]));
    }

    @Test
    void rotationKeepsOldBlobsReadable(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("keys.bcfks");
        char[] pass = "correct horse".toCharArray();
        assertEquals("k0001", KeyRing.addKey(ks, pass, random));
        KeyRing first = KeyRing.load(ks, pass);
        byte[] old = new EnvelopeCipher(first, random).seal("r1", content);

        assertEquals("k0002", KeyRing.addKey(ks, pass, random));
        KeyRing second = KeyRing.load(ks, pass);
        assertEquals("k0002", second.currentId());
        EnvelopeCipher now = new EnvelopeCipher(second, random);
        assertArrayEquals(content, now.open("r1", old));
        assertEquals("k0002", EnvelopeCipher.keyIdOf(now.seal("r2", content)));
        assertThrows(UnknownKeyException.class, () -> new EnvelopeCipher(first, random).open("r2", now.seal("r2", content)));
        assertThrows(java.io.IOException.class, () -> KeyRing.load(ks, "wrong".toCharArray()));
    }

    @Test
    void passphraseFromSecretFileWins(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("pass"), "from-file\n");
        assertArrayEquals("from-file".toCharArray(), KeystorePassphrase.fromEnvironment(
                Map.of(KeystorePassphrase.FILE_VARIABLE, secret.toString(), KeystorePassphrase.VARIABLE, "env")));
        assertArrayEquals("env".toCharArray(),
                KeystorePassphrase.fromEnvironment(Map.of(KeystorePassphrase.VARIABLE, "env")));
        assertThrows(java.io.IOException.class, () -> KeystorePassphrase.fromEnvironment(Map.of()));
    }

    @Test
    void directoryStoreIsShardedWriteOnceAndDetectsTampering(@TempDir Path dir) throws Exception {
        DirectoryBlobStore raw = new DirectoryBlobStore(dir);
        EncryptedBlobStore store = new EncryptedBlobStore(cipher, raw);
        assertTrue(store.putIfAbsent("abc123", content));
        assertFalse(store.putIfAbsent("abc123", "other".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(content, store.get("abc123").orElseThrow());
        assertTrue(store.get("missing").isEmpty());

        Path p = raw.pathOf("abc123");
        assertEquals(dir, p.getParent().getParent().getParent());
        byte[] onDisk = Files.readAllBytes(p);
        assertFalse(new String(onDisk, StandardCharsets.ISO_8859_1).contains("answer"));
        onDisk[onDisk.length - 1] ^= 1;
        Files.write(p, onDisk);
        assertThrows(TamperedBlobException.class, () -> store.get("abc123"));

        Path crashed = raw.pathOf("abc123").resolveSibling(".tmp-crashed");
        Files.copy(raw.pathOf("abc123"), crashed);
        assertEquals(0, raw.sweepTemporaries(DirectoryBlobStore.TEMPORARY_AGE), "a fresh temporary may be a write in flight");
        Files.setLastModifiedTime(crashed, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        assertEquals(1, raw.sweepTemporaries(DirectoryBlobStore.TEMPORARY_AGE));
        assertTrue(Files.notExists(crashed));
        assertTrue(raw.exists("abc123"), "the blob itself stays");
        assertThrows(IllegalArgumentException.class, () -> store.putIfAbsent("../etc", content));
    }
}

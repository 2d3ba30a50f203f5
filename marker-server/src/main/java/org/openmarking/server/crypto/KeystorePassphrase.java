package org.openmarking.server.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the keystore passphrase comes from: a secret file named by
 * {@code OPENMARKING_KEYSTORE_PASSPHRASE_FILE} (preferred, e.g. a mounted secret)
 * or the variable {@code OPENMARKING_KEYSTORE_PASSPHRASE}. Never config, never logs.
 */
public final class KeystorePassphrase {
    public static final String FILE_VARIABLE = "OPENMARKING_KEYSTORE_PASSPHRASE_FILE";
    public static final String VARIABLE = "OPENMARKING_KEYSTORE_PASSPHRASE";

    private KeystorePassphrase() {
    }

    /** Reads the passphrase from the given environment (pass {@code System.getenv()}). */
    public static char[] fromEnvironment(Map<String, String> env) throws IOException {
        String file = env.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new IOException("the passphrase file named by " + FILE_VARIABLE + " is empty");
            }
            return s.toCharArray();
        }
        String value = env.get(VARIABLE);
        if (value != null && !value.isEmpty()) {
            return value.toCharArray();
        }
        throw new IOException("no keystore passphrase: set " + FILE_VARIABLE + " or " + VARIABLE);
    }
}

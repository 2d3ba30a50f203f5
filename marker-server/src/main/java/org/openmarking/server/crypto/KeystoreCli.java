package org.openmarking.server.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Manages the key-encryption keystore: {@code add FILE} creates the file or adds a
 * new current KEK (rotation); {@code current FILE} prints the current key id. The
 * passphrase comes from the environment ({@link KeystorePassphrase}).
 */
public final class KeystoreCli {
    private KeystoreCli() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("add") || args[0].equals("current"))) {
            System.err.println("usage: keystore add|current FILE");
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        char[] pass = KeystorePassphrase.fromEnvironment(System.getenv());
        if (args[0].equals("add")) {
            System.out.println("added key " + KeyRing.addKey(file, pass, new SecureRandom()) + " (now current)");
        } else {
            System.out.println(KeyRing.load(file, pass).currentId());
        }
    }
}

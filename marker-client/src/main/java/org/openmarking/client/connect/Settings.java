package org.openmarking.client.connect;

import java.util.Optional;
import java.util.prefs.Preferences;

/**
 * What the client remembers between runs: the server address and how to trust it (a CA file
 * or a pinned fingerprint), and whether marks need a confirm step. Never a password, token
 * or image. Backed by {@link Preferences} in the application; tests use {@link #inMemory()}.
 */
public interface Settings {
    Optional<String> get(String key);

    void put(String key, String value);

    String SERVER_URL = "serverUrl";
    String CA_FILE = "caFile";
    String CA_PIN = "caPin";
    String CONFIRM_MARKS = "confirmMarks";

    /** The user's preferences node for this client. */
    static Settings preferences() {
        Preferences p = Preferences.userRoot().node("org/openmarking/client");
        return new Settings() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(p.get(key, null));
            }

            @Override
            public void put(String key, String value) {
                p.put(key, value);
            }
        };
    }

    /** Settings kept only for this run (tests, screenshots). */
    static Settings inMemory() {
        java.util.Map<String, String> m = new java.util.concurrent.ConcurrentHashMap<>();
        return new Settings() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(m.get(key));
            }

            @Override
            public void put(String key, String value) {
                m.put(key, value);
            }
        };
    }
}

package org.openmarking.client.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openmarking.client.connect.Settings;

/**
 * The client's command line. Everything is optional: the connect screen remembers the server.
 *
 * <pre>
 *   --server URL              server address, e.g. https://localhost:8443
 *   --ca FILE                 PEM file of the CA to trust (the demo's data/demo/tls/ca.pem)
 *   --ca-pin SHA256           or the CA's SHA-256 fingerprint, as the server prints it
 *   --user NAME               user name to fill in
 *   --camera DIR|VIDEO        frames from a folder of photos or a video file instead of the webcam
 *   --no-confirm              no confirm step this run (the marking screen's toggle is remembered)
 *   --simulate-failures RATE  fail this share (0..1) of uploads, to watch the retries
 *   --fallback-server URL     the server to offer when none is given or remembered (scripts/client.sh: the demo)
 *   --fallback-ca FILE        its CA file
 * </pre>
 */
public record ClientOptions(Optional<String> server, Optional<String> caFile, Optional<String> caPin, Optional<String> user,
        Optional<String> camera, boolean confirmMarks, double simulatedFailureRate, Optional<String> fallbackServer,
        Optional<String> fallbackCa) {

    public static final String USAGE = """
            usage: client.sh [--server URL] [--ca FILE | --ca-pin SHA256] [--user NAME] [--camera DIR|VIDEO]
                             [--no-confirm] [--simulate-failures RATE]""";

    public static ClientOptions parse(List<String> args) {
        Optional<String> server = Optional.empty();
        Optional<String> ca = Optional.empty();
        Optional<String> pin = Optional.empty();
        Optional<String> user = Optional.empty();
        Optional<String> camera = Optional.empty();
        Optional<String> fallbackServer = Optional.empty();
        Optional<String> fallbackCa = Optional.empty();
        boolean confirm = true;
        double failures = 0;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            switch (a) {
                case "--server" -> server = Optional.of(value(a, rest));
                case "--ca" -> ca = Optional.of(value(a, rest));
                case "--ca-pin" -> pin = Optional.of(value(a, rest));
                case "--user" -> user = Optional.of(value(a, rest));
                case "--camera" -> camera = Optional.of(value(a, rest));
                case "--no-confirm" -> confirm = false;
                case "--fallback-server" -> fallbackServer = Optional.of(value(a, rest));
                case "--fallback-ca" -> fallbackCa = Optional.of(value(a, rest));
                case "--simulate-failures" -> {
                    String v = value(a, rest);
                    try {
                        failures = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--simulate-failures takes a share between 0 and 1, not " + v);
                    }
                    if (failures < 0 || failures > 1) {
                        throw new IllegalArgumentException("--simulate-failures takes a share between 0 and 1, not " + v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        return new ClientOptions(server, ca, pin, user, camera, confirm, failures, fallbackServer, fallbackCa);
    }

    /**
     * Puts the server and trust given on the command line into the settings the connect screen
     * starts from; they win over the remembered ones. With no server given, the remembered one
     * stays; only when none is remembered is the fallback (the demo's) offered.
     */
    public void applyTo(Settings settings) {
        server.ifPresent(v -> settings.put(Settings.SERVER_URL, v));
        caFile.ifPresent(v -> trustCaFile(settings, v));
        caPin.ifPresent(v -> {
            settings.put(Settings.CA_PIN, v);
            settings.put(Settings.CA_FILE, "");
        });
        boolean remembered = settings.get(Settings.SERVER_URL).filter(v -> !v.isBlank()).isPresent();
        if (!remembered && fallbackServer.isPresent()) {
            settings.put(Settings.SERVER_URL, fallbackServer.get());
            // A CA or pin given on the command line stays: the fallback's CA only fills a gap.
            if (caFile.isEmpty() && caPin.isEmpty()) {
                fallbackCa.ifPresent(v -> trustCaFile(settings, v));
            }
        }
    }

    private static void trustCaFile(Settings settings, String file) {
        settings.put(Settings.CA_FILE, Path.of(file).toAbsolutePath().toString());
        settings.put(Settings.CA_PIN, "");
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return rest.remove(0);
    }
}

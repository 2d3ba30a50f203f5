package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openmarking.client.connect.Settings;

/** The client's command line, as scripts/client.sh passes it. */
class ClientOptionsTest {
    @Test
    void theDemoLineAndEveryOptionAreRead() {
        ClientOptions o = ClientOptions.parse(List.of("--server", "https://localhost:8443", "--ca", "data/demo/tls/ca.pem", "--user", "marker1",
                "--camera", "../shared/data/faces/train/obama", "--no-confirm", "--simulate-failures", "0.25"));
        assertEquals(Optional.of("https://localhost:8443"), o.server());
        assertEquals(Optional.of("data/demo/tls/ca.pem"), o.caFile());
        assertEquals(Optional.empty(), o.caPin());
        assertEquals(Optional.of("marker1"), o.user());
        assertEquals(Optional.of("../shared/data/faces/train/obama"), o.camera());
        assertFalse(o.confirmMarks());
        assertEquals(0.25, o.simulatedFailureRate());
        assertTrue(ClientOptions.parse(List.of()).confirmMarks(), "the confirm step is on unless switched off");
    }

    @Test
    void mistakesAreRefusedWithTheReason() {
        assertEquals("unknown option --sever\n" + ClientOptions.USAGE,
                assertThrows(IllegalArgumentException.class, () -> ClientOptions.parse(List.of("--sever", "x"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientOptions.parse(List.of("--ca"))).getMessage()
                .startsWith("--ca needs a value"));
        assertEquals("--simulate-failures takes a share between 0 and 1, not 2",
                assertThrows(IllegalArgumentException.class, () -> ClientOptions.parse(List.of("--simulate-failures", "2"))).getMessage());
    }

    @Test
    void theRememberedServerIsUsedWhenNoneIsGivenAndTheDemoOnlyWhenNoneIsRemembered() {
        List<String> demo = List.of("--fallback-server", "https://localhost:8443", "--fallback-ca", "data/demo/tls/ca.pem");
        Settings fresh = Settings.inMemory();
        ClientOptions.parse(demo).applyTo(fresh);
        assertEquals(Optional.of("https://localhost:8443"), fresh.get(Settings.SERVER_URL));
        assertEquals(Optional.of(Path.of("data/demo/tls/ca.pem").toAbsolutePath().toString()),
                fresh.get(Settings.CA_FILE));

        Settings remembered = Settings.inMemory();
        remembered.put(Settings.SERVER_URL, "https://marking.example.org");
        remembered.put(Settings.CA_PIN, "AB:CD");
        ClientOptions.parse(demo).applyTo(remembered);
        assertEquals(Optional.of("https://marking.example.org"), remembered.get(Settings.SERVER_URL));
        assertEquals(Optional.of("AB:CD"), remembered.get(Settings.CA_PIN));
        assertTrue(remembered.get(Settings.CA_FILE).isEmpty(), "the demo's CA is not forced on it");

        ClientOptions.parse(List.of("--server", "https://other.example.org", "--ca-pin", "EF:01")).applyTo(remembered);
        assertEquals(Optional.of("https://other.example.org"), remembered.get(Settings.SERVER_URL),
                "a server given wins");
        assertEquals(Optional.of("EF:01"), remembered.get(Settings.CA_PIN));
    }

    /** scripts/client.sh adds the demo as a fallback to any call without --server; a CA given with it stays. */
    @Test
    void aCaGivenOnTheCommandLineIsNotReplacedByTheFallbacks() {
        Settings fresh = Settings.inMemory();
        ClientOptions.parse(List.of("--ca", "mine.pem", "--fallback-server", "https://localhost:8443",
                "--fallback-ca", "data/demo/tls/ca.pem")).applyTo(fresh);
        assertEquals(Optional.of("https://localhost:8443"), fresh.get(Settings.SERVER_URL));
        assertEquals(Optional.of(Path.of("mine.pem").toAbsolutePath().toString()), fresh.get(Settings.CA_FILE));
    }
}

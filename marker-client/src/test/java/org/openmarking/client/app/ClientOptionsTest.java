package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}

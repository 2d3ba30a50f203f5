package org.openmarking.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-sent event framing of the server's PushRoutes: event and data lines, blank-line ends, comment keep-alives. */
class EventStreamTest {
    @Test
    void eventsAreParsedAsTheServerFramesThem() throws Exception {
        List<String> seen = new ArrayList<>();
        List<Boolean> states = new ArrayList<>();
        EventStream s = new EventStream(() -> null, new EventStream.Listener() {
            @Override
            public void onEvent(EventStream.ServerEvent event) {
                seen.add(event.type() + " " + event.data());
            }

            @Override
            public void onConnection(boolean connected) {
                states.add(connected);
            }
        });
        String wire = "event: connected\ndata: {}\n\n"
                + ": keep-alive\n\n"
                + "event: face-check\ndata: {\"challenge\":\"TURN_LEFT\"}\n\n"
                + "event: warning\ndata: {\"message\":\"two\n\n"; // broken JSON: kept as text
        s.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(true), states);
        assertEquals(List.of("face-check {\"challenge\":\"TURN_LEFT\"}", "warning {\"text\":\"{\\\"message\\\":\\\"two\"}"), seen);
    }
}

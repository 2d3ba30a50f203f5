package org.openmarking.client.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.ManualExecutor;
import org.openmarking.client.testing.MutableClock;

/** Log-in: the server and its trust are remembered, the password and token never; errors in words a marker can act on. */
class ConnectViewModelTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-22T08:00:00Z"));
    private final ManualExecutor bg = new ManualExecutor(clock);

    /** Settings that record every write, to show what would reach the preferences store. */
    private static final class Recording implements Settings {
        final Settings inner = Settings.inMemory();
        final List<String> written = new ArrayList<>();

        @Override
        public java.util.Optional<String> get(String key) {
            return inner.get(key);
        }

        @Override
        public void put(String key, String value) {
            written.add(key + "=" + value);
            inner.put(key, value);
        }
    }

    @Test
    void aSuccessfulLogInRemembersTheServerAndCaButNeverThePasswordOrToken() {
        FakeMarkerApi api = new FakeMarkerApi(clock);
        Recording settings = new Recording();
        List<URI> asked = new ArrayList<>();
        ConnectViewModel vm = new ConnectViewModel(settings, (server, ca, pin) -> {
            asked.add(server);
            return api;
        }, bg);
        vm.serverUrlProperty().set(" https://marking.example.org:8443 ");
        vm.caFileProperty().set("/etc/openmarking/ca.pem");
        vm.usernameProperty().set("marker1");
        vm.passwordProperty().set(FakeMarkerApi.PASSWORD);
        AtomicReference<Session> session = new AtomicReference<>();
        vm.login((a, s) -> session.set(s));
        assertNotNull(session.get());
        assertEquals(List.of(URI.create("https://marking.example.org:8443")), asked);
        assertEquals("", vm.passwordProperty().get(), "the password leaves memory once used");
        assertEquals(List.of("serverUrl=https://marking.example.org:8443", "caFile=/etc/openmarking/ca.pem", "caPin="), settings.written);
        assertTrue(settings.written.stream().noneMatch(w -> w.contains(FakeMarkerApi.PASSWORD) || w.contains(api.token())));
        assertEquals("https://marking.example.org:8443",
                new ConnectViewModel(settings, (s, c, p) -> api, bg).serverUrlProperty().get(), "remembered for the next run");
    }

    @Test
    void refusalsAndMistakesAreExplained() {
        FakeMarkerApi api = new FakeMarkerApi(clock);
        ConnectViewModel vm = new ConnectViewModel(Settings.inMemory(), (server, ca, pin) -> api, bg);
        AtomicReference<Session> session = new AtomicReference<>();
        vm.serverUrlProperty().set("http://marking.example.org");
        vm.usernameProperty().set("marker1");
        vm.passwordProperty().set("wrong");
        vm.login((a, s) -> session.set(s));
        assertEquals("The server address must start with https://", vm.errorProperty().get());
        vm.serverUrlProperty().set("https://marking.example.org");
        vm.login((a, s) -> session.set(s));
        assertEquals("Wrong user name or password.", vm.errorProperty().get());
        api.setOffline(true);
        vm.passwordProperty().set(FakeMarkerApi.PASSWORD);
        vm.login((a, s) -> session.set(s));
        assertEquals("The server could not be reached. Check the address and your connection.", vm.errorProperty().get());
        assertNull(session.get());
    }
}

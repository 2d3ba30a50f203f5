package org.openmarking.client.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javax.net.ssl.SSLException;
import org.openmarking.client.api.ApiException;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.background.BackgroundExecutor;

/**
 * The connect-and-log-in screen's state: server address and trust (remembered), user name and
 * password (never remembered), a busy flag and the last error in plain words.
 */
public final class ConnectViewModel {
    /** Builds the API for a server address and trust setting (a CA file path or a pinned fingerprint). */
    public interface ApiFactory {
        MarkerApi create(URI server, String caFile, String caPin) throws Exception;
    }

    private final Settings settings;
    private final ApiFactory factory;
    private final BackgroundExecutor bg;
    private final StringProperty serverUrl = new SimpleStringProperty();
    private final StringProperty caFile = new SimpleStringProperty();
    private final StringProperty caPin = new SimpleStringProperty();
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");

    public ConnectViewModel(Settings settings, ApiFactory factory, BackgroundExecutor bg) {
        this.settings = settings;
        this.factory = factory;
        this.bg = bg;
        serverUrl.set(settings.get(Settings.SERVER_URL).orElse("https://localhost:8443"));
        caFile.set(settings.get(Settings.CA_FILE).orElse(""));
        caPin.set(settings.get(Settings.CA_PIN).orElse(""));
    }

    /** Logs in; on success remembers the server and calls {@code onLoggedIn} on the UI thread. */
    public void login(BiConsumer<MarkerApi, Session> onLoggedIn) {
        if (busy.get()) {
            return;
        }
        error.set("");
        String url = serverUrl.get() == null ? "" : serverUrl.get().trim();
        if (!url.startsWith("https://")) {
            error.set("The server address must start with https://");
            return;
        }
        if (username.get().isBlank() || password.get().isEmpty()) {
            error.set("Enter your user name and password.");
            return;
        }
        busy.set(true);
        String user = username.get().trim();
        String pass = password.get();
        String ca = caFile.get() == null ? "" : caFile.get().trim();
        String pin = caPin.get() == null ? "" : caPin.get().trim();
        bg.run(() -> {
            MarkerApi api = factory.create(URI.create(url), ca, pin);
            return new Object[] {api, api.login(user, pass)};
        }, r -> {
            busy.set(false);
            password.set("");
            settings.put(Settings.SERVER_URL, url);
            settings.put(Settings.CA_FILE, ca);
            settings.put(Settings.CA_PIN, pin);
            onLoggedIn.accept((MarkerApi) r[0], (Session) r[1]);
        }, e -> {
            busy.set(false);
            error.set(describe(e));
        });
    }

    /** An error in words a marker can act on. */
    static String describe(Exception e) {
        if (e instanceof ApiException ae) {
            return switch (ae.status()) {
                case 401 -> "Wrong user name or password.";
                case 429 -> "Too many attempts; wait a few minutes. (" + ae.getMessage() + ")";
                default -> "The server refused: " + ae.getMessage();
            };
        }
        if (e instanceof SSLException) {
            return "The server's certificate could not be verified against the configured CA. Check the CA file or fingerprint.";
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof java.net.ConnectException) {
            return "The server could not be reached. Check the address and your connection.";
        }
        if (e instanceof IOException) {
            return "Connection problem: " + e.getClass().getSimpleName();
        }
        return "Could not connect: " + e.getMessage();
    }

    public StringProperty serverUrlProperty() {
        return serverUrl;
    }

    public StringProperty caFileProperty() {
        return caFile;
    }

    public StringProperty caPinProperty() {
        return caPin;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty errorProperty() {
        return error;
    }
}

package org.openmarking.client.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javax.net.ssl.SSLContext;
import org.openmarking.client.api.FlakyMarkerApi;
import org.openmarking.client.api.HttpMarkerApi;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.TlsTrust;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.ConnectViewModel;
import org.openmarking.client.connect.Settings;

/** The JavaFX application: one window holding the {@link ClientShell}. */
public final class ClientApp extends Application {
    private static ClientOptions options = ClientOptions.parse(java.util.List.of());
    private FxBackgroundExecutor background;
    private Cameras cameras;
    private ClientShell shell;

    public static void launchWith(ClientOptions o) {
        options = o;
        Application.launch(ClientApp.class);
    }

    @Override
    public void start(Stage stage) {
        background = new FxBackgroundExecutor();
        cameras = new Cameras(options.camera().orElse(null));
        Settings settings = Settings.preferences();
        options.applyTo(settings);
        shell = new ClientShell(new ClientShell.Environment(settings, apiFactory(options.simulatedFailureRate()), background,
                Clock.systemUTC(), cameras, Thread::sleep, options.confirmMarks(), options.user().orElse(null), Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(15)));
        stage.setTitle("Open Marking");
        stage.setScene(new Scene(shell.root(), 1280, 840));
        // Unsent marks live only in memory: the shell asks before they are lost (stage.close() does not ask again).
        stage.setOnCloseRequest(e -> {
            if (!shell.requestClose(stage::close)) {
                e.consume();
            }
        });
        stage.show();
    }

    /** HTTPS with certificate verification: the configured CA file, a pinned CA, or the system's trust store. */
    static ConnectViewModel.ApiFactory apiFactory(double failureRate) {
        return (server, caFile, caPin) -> {
            SSLContext tls = !caFile.isBlank() ? TlsTrust.fromCaFile(Path.of(caFile))
                    : !caPin.isBlank() ? TlsTrust.pinned(caPin) : TlsTrust.system();
            MarkerApi api = new HttpMarkerApi(server, tls);
            return failureRate > 0 ? new FlakyMarkerApi(api, failureRate, System.nanoTime()) : api;
        };
    }

    @Override
    public void stop() {
        if (shell != null) {
            shell.shutdown();
        }
        if (cameras != null) {
            cameras.close();
        }
        if (background != null) {
            background.close();
        }
    }
}

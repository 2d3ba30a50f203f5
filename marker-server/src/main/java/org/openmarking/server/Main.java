package org.openmarking.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.openmarking.server.config.ConfigLoader;
import org.openmarking.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code marker-server} command: starts a node and runs until SIGTERM or Ctrl-C, then
 * shuts down cleanly (the embedded database is stopped, not killed).
 */
@Command(name = "marker-server", mixinStandardHelpOptions = true, version = "Open Marking server " + "0.1.0",
        description = "Runs one node of the Open Marking server. Settings come from --config and OPENMARKING_* variables (see README).")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    @Option(names = "--config", description = "JSON settings file (optional); environment variables override it")
    Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg = ConfigLoader.load(Optional.ofNullable(config)
                .or(() -> Optional.ofNullable(System.getenv("OPENMARKING_CONFIG")).map(Path::of)), System.getenv());
        ServerApp app;
        try {
            app = ServerApp.start(cfg, System.getenv(), Clock.systemUTC(), r -> { });
        } catch (Exception e) {
            System.err.println("marker-server: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                LOG.warning("unclean stop: " + e);
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        System.out.println("Open Marking server " + ServerApp.VERSION + " listening on https://" + cfg.host() + ":" + app.port());
        System.out.println("  database: " + app.context().database().description());
        System.out.println("  CA certificate: " + app.tls().caCert().toAbsolutePath() + " (SHA-256 " + app.tls().caFingerprint() + ")");
        if (cfg.faceChecksOff()) {
            System.out.println("  WARNING: FACE CHECKS ARE SWITCHED OFF BY CONFIGURATION (faceChecks=off)");
        }
        stopped.await();
        return 0;
    }
}

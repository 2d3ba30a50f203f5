package org.openmarking.server.face.presence;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;
import org.openmarking.server.config.ServerConfig;
import org.openmarking.server.face.FaceCheckConfig;
import org.openmarking.server.face.FaceChecks;
import org.openmarking.server.face.FaceModelsUnavailableException;

/**
 * Whether this node can run face checks, decided once at start: REQUIRED with a working engine,
 * UNAVAILABLE (required, but the models are missing or refused: the node starts, and marking
 * that needs checks is refused with the reason), or OFF (switched off by an explicit setting,
 * logged loudly and shown by {@code GET /api/v1/face/service}).
 */
public final class FaceService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FaceService.class.getName());

    /** What the node does about face checks. */
    public enum Mode { REQUIRED, UNAVAILABLE, OFF }

    private final Mode mode;
    private final FaceChecks checks;
    private final String reason;
    private final Path modelsDir;

    private FaceService(Mode mode, FaceChecks checks, String reason, Path modelsDir) {
        this.mode = mode;
        this.checks = checks;
        this.reason = reason;
        this.modelsDir = modelsDir;
    }

    /**
     * Opens the configured model directory (blocking: hashes every model file and loads the
     * networks; call it while the node starts, off the event loop).
     */
    public static FaceService open(ServerConfig config, Clock clock) {
        if (config.faceChecksOff()) {
            LOG.warning("FACE CHECKS ARE SWITCHED OFF (faceChecks=off): markers are not verified at login or while marking");
            return new FaceService(Mode.OFF, null, "switched off by the setting faceChecks=off", config.faceModelsDir());
        }
        int engines = Math.max(1, Math.min(config.workerPoolSize(), Runtime.getRuntime().availableProcessors()));
        try {
            FaceChecks checks = FaceChecks.open(config.faceModelsDir(),
                    FaceCheckConfig.defaults().withEnrolMinPhotos(config.faceEnrolMinPhotos()), clock, engines);
            LOG.info("face checks ready: recognizer " + checks.recognizerId() + ", threshold "
                    + String.format("%.3f", checks.threshold()) + ", " + engines + " engines");
            return new FaceService(Mode.REQUIRED, checks, null, config.faceModelsDir());
        } catch (FaceModelsUnavailableException | java.io.IOException | RuntimeException e) {
            String why = "face checks are required but cannot run on this node: " + e.getMessage();
            LOG.severe(why + " -- marking that needs face checks is refused until the models are fixed"
                    + " (scripts/fetch-face-models.sh, docs/face.md)");
            return new FaceService(Mode.UNAVAILABLE, null, why, config.faceModelsDir());
        }
    }

    /** A service running the given engine (tests and tools). */
    public static FaceService running(FaceChecks checks, Path modelsDir) {
        return new FaceService(Mode.REQUIRED, checks, null, modelsDir);
    }

    public Mode mode() {
        return mode;
    }

    /** The engine, present only in REQUIRED mode. */
    public Optional<FaceChecks> checks() {
        return Optional.ofNullable(checks);
    }

    /** Why checks do not run (UNAVAILABLE, OFF), or empty. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** What the dashboard shows: the mode, the reason, the recognizer and its operating point. */
    public JsonObject describe() {
        JsonObject o = new JsonObject().put("faceChecks", mode.name().toLowerCase(java.util.Locale.ROOT))
                .put("modelsDir", modelsDir.toString());
        if (reason != null) {
            o.put("reason", reason);
        }
        if (checks != null) {
            o.put("recognizer", checks.recognizerId()).put("threshold", checks.threshold())
                    .put("operatingFmr", FaceCheckConfig.defaults().operatingFmr());
        }
        return o;
    }

    @Override
    public void close() {
        if (checks != null) {
            checks.close();
        }
    }
}

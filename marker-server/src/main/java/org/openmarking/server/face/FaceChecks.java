package org.openmarking.server.face;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The face engine as the server calls it: enrolment and presence checks on a pool of engines.
 *
 * <p><b>Thread-safe.</b> Each call borrows one {@link FaceEngine} for its duration; calls beyond
 * the pool size wait. Every call is CPU-bound and blocking (tens of milliseconds per frame): run
 * it on a worker pool ({@code executeBlocking} on a named pool of {@code workers} threads), never
 * on the event loop. Nothing here logs or keeps image data.
 */
public final class FaceChecks implements AutoCloseable {
    private final FaceModels models;
    private final FaceEnginePool pool;
    private final FaceCheckConfig config;
    private final Clock clock;

    /** Runs on already verified models with {@code workers} engines. */
    public FaceChecks(FaceModels models, FaceCheckConfig config, Clock clock, int workers) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.models = Objects.requireNonNull(models, "models");
        this.pool = new FaceEnginePool(models, config, workers);
        // Fail at startup, not at the first check, if the recognizer has no threshold at these rates.
        models.recognizer().card().threshold(config.operatingFmr());
        models.recognizer().card().threshold(config.consistencyFmr());
    }

    /** How many accepted photos an enrolment needs. */
    public int enrolMinPhotos() {
        return config.enrolMinPhotos();
    }

    /**
     * Opens the model directory, verifies every file against its card and starts the engines.
     *
     * @throws FaceModelsUnavailableException if a file was refused or no detector and recognizer
     *     are usable: the server must then refuse face-checked sessions, showing the message
     */
    public static FaceChecks open(Path modelDirectory, FaceCheckConfig config, Clock clock, int workers)
            throws IOException, FaceModelsUnavailableException {
        return new FaceChecks(ModelRegistry.open(modelDirectory).faceCheckModels(null), config, clock, workers);
    }

    /** Enrols a marker from encoded reference photos; templates are in the result when enough photos passed. */
    public Enrollment enroll(List<byte[]> photos) {
        return pool.withEngine(engine -> Enrollment.enroll(engine, config, photos));
    }

    /** Decides one presence check. */
    public CheckResult verify(CheckRequest request) {
        return pool.withEngine(engine -> FaceVerifier.verify(engine, config, clock, request));
    }

    /** The cosine threshold checks use (the recognizer card's value at the configured FMR). */
    public double threshold() {
        return models.recognizer().card().threshold(config.operatingFmr());
    }

    /** The recognizer's id that templates must carry. */
    public String recognizerId() {
        return models.recognizer().id();
    }

    @Override
    public void close() {
        pool.close();
    }
}

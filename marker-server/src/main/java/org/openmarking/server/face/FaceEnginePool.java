package org.openmarking.server.face;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * A fixed set of {@link FaceEngine}s lent to one thread at a time; thread-safe.
 *
 * <p>Size it like the worker pool that runs face work (on a 2-core node: 2). A caller that finds
 * every engine busy waits. A pool rather than a {@code ThreadLocal}: worker threads come and go,
 * and each engine holds native networks that must be freed deterministically on {@link #close()}.
 */
public final class FaceEnginePool implements AutoCloseable {
    private final BlockingQueue<FaceEngine> idle;
    private final List<FaceEngine> all;

    /** Creates {@code size} engines on the same verified models. */
    public FaceEnginePool(FaceModels models, FaceCheckConfig config, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1");
        }
        idle = new ArrayBlockingQueue<>(size);
        List<FaceEngine> engines = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            FaceEngine engine = new FaceEngine(models, config);
            engines.add(engine);
            idle.add(engine);
        }
        all = List.copyOf(engines);
    }

    /** Number of engines. */
    public int size() {
        return all.size();
    }

    /** Runs {@code work} with an engine of its own, waiting for one if all are busy. */
    public <T> T withEngine(Function<FaceEngine, T> work) {
        FaceEngine engine;
        try {
            engine = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a face engine", e);
        }
        try {
            return work.apply(engine);
        } finally {
            idle.add(engine);
        }
    }

    /** Frees every engine; call once no work is running. */
    @Override
    public void close() {
        all.forEach(FaceEngine::close);
    }
}

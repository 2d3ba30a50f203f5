package org.openmarking.client.testing;

import java.nio.file.Path;
import java.util.List;
import org.openmarking.server.face.Challenge;
import org.openmarking.server.face.sim.SimulatedCamera;

/**
 * marker-server's {@link SimulatedCamera}: a burst of a still photo's head turning as
 * challenged, as the server's own simulated markers film it, for the client's face tests.
 */
public final class SimulatedFaces implements AutoCloseable {
    private final SimulatedCamera camera;

    private SimulatedFaces(SimulatedCamera camera) {
        this.camera = camera;
    }

    public static SimulatedFaces open(Path modelsDir, long seed) throws Exception {
        return new SimulatedFaces(SimulatedCamera.open(modelsDir, seed));
    }

    /** {@code frames} JPEG frames of the person in {@code photo} turning as {@code challenge} asks. */
    public List<byte[]> burst(byte[] photo, String challenge, int frames) throws Exception {
        return camera.burst(photo, Challenge.Direction.valueOf(challenge), frames);
    }

    @Override
    public void close() {
        camera.close();
    }
}

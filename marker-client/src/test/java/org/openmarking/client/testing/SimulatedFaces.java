package org.openmarking.client.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.openmarking.server.face.Challenge;

/**
 * marker-server's {@code face.sim.SimulatedCamera} (a burst of a still photo's head turning as
 * challenged, as the server's own simulated markers film it), reached by name: it arrives on
 * main with the face presence feature, and until then the face tests that need it are skipped.
 * Once it is on main this can call it directly.
 */
public final class SimulatedFaces implements AutoCloseable {
    private static final String CAMERA = "org.openmarking.server.face.sim.SimulatedCamera";
    private final Object camera;
    private final Method burst;

    private SimulatedFaces(Object camera) throws ReflectiveOperationException {
        this.camera = camera;
        this.burst = camera.getClass().getMethod("burst", byte[].class, Challenge.Direction.class, int.class);
    }

    /** Whether marker-server on the classpath has the face presence feature (routes and simulated camera). */
    public static boolean available() {
        try {
            Class.forName(CAMERA);
            Class.forName("org.openmarking.server.face.presence.FaceRoutes");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static SimulatedFaces open(Path modelsDir, long seed) throws Exception {
        return new SimulatedFaces(Class.forName(CAMERA).getMethod("open", Path.class, long.class).invoke(null, modelsDir, seed));
    }

    /** {@code frames} JPEG frames of the person in {@code photo} turning as {@code challenge} asks. */
    @SuppressWarnings("unchecked")
    public List<byte[]> burst(byte[] photo, String challenge, int frames) throws Exception {
        return (List<byte[]>) burst.invoke(camera, photo, Challenge.Direction.valueOf(challenge), frames);
    }

    @Override
    public void close() throws Exception {
        ((AutoCloseable) camera).close();
    }
}

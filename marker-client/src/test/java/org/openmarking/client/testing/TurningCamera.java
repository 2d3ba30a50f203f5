package org.openmarking.client.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openmarking.client.api.Wire.FaceChallenge;
import org.openmarking.client.face.CameraSource;

/**
 * A camera that films a head turning the way the server asked, from still photos (through the
 * server's simulated camera): one photo per burst in the order given, the last one from then on.
 */
public final class TurningCamera implements CameraSource {
    private final SimulatedFaces simulated;
    private final List<byte[]> faces;
    private final List<byte[]> burst = new ArrayList<>();

    public TurningCamera(SimulatedFaces simulated, List<byte[]> faces) {
        this.simulated = simulated;
        this.faces = new ArrayList<>(faces);
    }

    @Override
    public synchronized void beginBurst(FaceChallenge c) throws IOException {
        burst.clear();
        byte[] face = faces.size() > 1 ? faces.remove(0) : faces.get(0);
        try {
            burst.addAll(simulated.burst(face, c.challenge(), c.frames()));
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized byte[] grab() {
        return burst.remove(0);
    }

    @Override
    public String describe() {
        return "simulated camera";
    }

    @Override
    public void close() {
    }
}

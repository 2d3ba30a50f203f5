package org.openmarking.client.api;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.openmarking.client.api.Wire.Allocation;
import org.openmarking.client.api.Wire.CalibrationFeedback;
import org.openmarking.client.api.Wire.CriteriaInForce;
import org.openmarking.client.api.Wire.Escalation;
import org.openmarking.client.api.Wire.FaceChallenge;
import org.openmarking.client.api.Wire.FaceResult;
import org.openmarking.client.api.Wire.FaceStatus;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.api.Wire.TaskInfo;

/**
 * The failure-simulation switch, like Plom's uploader: wraps a real {@link MarkerApi} and
 * fails a share of mark submissions (or every call while "offline") as a lost connection
 * would, so the upload queue's retries can be watched in the demo ({@code --simulate-failures 0.3}).
 */
public final class FlakyMarkerApi implements MarkerApi {
    private final MarkerApi real;
    private final double failureRate;
    private final Random random;
    private volatile boolean offline;
    private volatile java.util.function.Consumer<Boolean> reachable = ok -> { };

    public FlakyMarkerApi(MarkerApi real, double failureRate, long seed) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate must be within 0..1: " + failureRate);
        }
        this.real = real;
        this.failureRate = failureRate;
        this.random = new Random(seed);
    }

    /** While offline, every call fails as if the network were gone. */
    public void setOffline(boolean offline) {
        this.offline = offline;
    }

    private void gate() throws IOException {
        if (offline) {
            reachable.accept(false);
            throw new ConnectException("simulated: offline");
        }
    }

    @Override
    public void onReachability(java.util.function.Consumer<Boolean> listener) {
        reachable = listener;
        real.onReachability(listener);
    }

    @Override
    public void ping() throws IOException {
        gate();
        real.ping();
    }

    private void maybeFail() throws IOException {
        gate();
        boolean fail;
        synchronized (random) {
            fail = random.nextDouble() < failureRate;
        }
        if (fail) {
            reachable.accept(false);
            throw new ConnectException("simulated: connection lost");
        }
    }

    @Override
    public Session login(String username, String password) throws IOException {
        gate();
        return real.login(username, password);
    }

    @Override
    public void logout() throws IOException {
        gate();
        real.logout();
    }

    @Override
    public List<TaskInfo> tasks() throws IOException {
        gate();
        return real.tasks();
    }

    @Override
    public CriteriaInForce criteria(String taskId) throws IOException {
        gate();
        return real.criteria(taskId);
    }

    @Override
    public Optional<Allocation> next(String taskId) throws IOException {
        gate();
        return real.next(taskId);
    }

    @Override
    public byte[] image(String responseId) throws IOException {
        gate();
        return real.image(responseId);
    }

    @Override
    public Wire.MarkReceipt submit(MarkSubmission mark) throws IOException {
        maybeFail();
        return real.submit(mark);
    }

    @Override
    public void escalate(Escalation escalation) throws IOException {
        maybeFail();
        real.escalate(escalation);
    }

    @Override
    public Optional<CalibrationFeedback> calibrationFeedback(String taskId) throws IOException {
        gate();
        return real.calibrationFeedback(taskId);
    }

    @Override
    public FaceChallenge startFaceCheck() throws IOException {
        gate();
        return real.startFaceCheck();
    }

    @Override
    public FaceResult sendBurst(String checkId, List<byte[]> jpegFrames) throws IOException {
        gate();
        return real.sendBurst(checkId, jpegFrames);
    }

    @Override
    public FaceStatus faceStatus() throws IOException {
        gate();
        return real.faceStatus();
    }

    @Override
    public EventStream events(EventStream.Listener listener) {
        return real.events(listener);
    }
}

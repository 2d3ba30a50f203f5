package org.openmarking.client.api;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
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
 * The marker client's view of the server: every call the screens make, blocking, to be run
 * through a {@link org.openmarking.client.background.BackgroundExecutor} and never on the FX
 * thread. A network failure is an {@link IOException}; a refusal is an {@link ApiException}.
 *
 * <p>{@link HttpMarkerApi} implements it over HTTPS; tests use fakes and
 * {@link FlakyMarkerApi} to simulate a lost connection.
 */
public interface MarkerApi {
    /** Told after every request whether the server answered at all (on the calling thread). */
    void onReachability(java.util.function.Consumer<Boolean> listener);

    /** Asks the server's health endpoint, without a token: is it reachable again? */
    void ping() throws IOException;

    Session login(String username, String password) throws IOException;

    void logout() throws IOException;

    /** The tasks assigned to the logged-in marker, with their progress. */
    List<TaskInfo> tasks() throws IOException;

    CriteriaInForce criteria(String taskId) throws IOException;

    /** The next answer to mark for a task under a lease; empty when there is none for now. */
    Optional<Allocation> next(String taskId) throws IOException;

    /** The answer's image, decrypted by the server for this lease; kept only in memory. */
    byte[] image(String responseId) throws IOException;

    /** Records a mark; idempotent by {@link MarkSubmission#id()}, so resubmitting is safe (and answers the same). */
    org.openmarking.client.api.Wire.MarkReceipt submit(MarkSubmission mark) throws IOException;

    /** Sends an answer to a senior examiner with a reason; idempotent by id. */
    void escalate(Escalation escalation) throws IOException;

    /** The feedback on the marker's last complete calibration set for a task, if any. */
    Optional<CalibrationFeedback> calibrationFeedback(String taskId) throws IOException;

    /** Starts a face check (at log-in, or when the server asked for one). */
    FaceChallenge startFaceCheck() throws IOException;

    /** Sends the burst of frames filmed for a check. */
    FaceResult sendBurst(String checkId, List<byte[]> jpegFrames) throws IOException;

    FaceStatus faceStatus() throws IOException;

    /** Opens the server's push stream; events and the stream's state go to the listener. */
    EventStream events(EventStream.Listener listener);
}

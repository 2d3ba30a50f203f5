package org.openmarking.client.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.openmarking.domain.Mark;

/**
 * The client's view of the server's data: small immutable records, read from the JSON of
 * {@link HttpMarkerApi}. They carry only what the screens show; unknown fields are ignored, so
 * the server can add fields without breaking older clients.
 */
public final class Wire {
    private Wire() {
    }

    /** A logged-in session. The token lives only in memory, never in a file or a log. */
    public record Session(String token, Instant expiresAt, String userId, String username, String displayName) {
        @Override
        public String toString() {
            return "Session[" + username + ", expires " + expiresAt + "]"; // never the token
        }
    }

    /** A marking task assigned to the marker, with progress and whether calibration is due. */
    public record TaskInfo(String taskId, String title, int done, int target, boolean calibrationRequired, boolean calibrated,
            String state) {
        public boolean canMark() {
            return !calibrationRequired || calibrated;
        }

        public double progress() {
            return target <= 0 ? 0 : Math.min(1.0, done / (double) target);
        }
    }

    /** One numbered clause of the criteria in force. */
    public record Clause(int number, String text, String mark) {
    }

    /** The version of a task's criteria in force. */
    public record CriteriaInForce(String taskId, int version, String note, List<Clause> clauses, boolean requiresRecalibration) {
        public CriteriaInForce {
            clauses = List.copyOf(clauses);
        }
    }

    /**
     * An answer allocated to the marker under a lease: an opaque response id (never who wrote
     * it), the task, and when the lease runs out. {@code calibrationItemId} is set when the
     * answer is a calibration item rather than a live answer.
     */
    public record Allocation(String responseId, String taskId, Instant leaseExpiresAt, int criteriaVersion,
            Optional<String> calibrationItemId) {
        public boolean isCalibration() {
            return calibrationItemId.isPresent();
        }
    }

    /** A mark the marker gave, with the id the client chose so that resubmitting is safe. */
    public record MarkSubmission(UUID id, String responseId, String taskId, Mark mark, int criteriaVersion, Instant markedAt) {
    }

    /**
     * The server's answer to a mark. For a calibration item it says whether the marker's set is
     * now complete and, if so, whether it passed ({@code passed} is null otherwise).
     */
    public record MarkReceipt(boolean calibrationComplete, Boolean passed) {
        public static final MarkReceipt LIVE = new MarkReceipt(false, null);
    }

    /** An answer sent to a senior examiner instead of being marked, with one of {@link EscalationReason}. */
    public record Escalation(UUID id, String responseId, String taskId, EscalationReason reason, String note) {
    }

    /** Why an answer is escalated rather than marked; {@link #wire()} is the server's word. */
    public enum EscalationReason {
        ILLEGIBLE("illegible", "Illegible"),
        BLANK("blank", "Blank page"),
        OTHER_QUESTION("other-question", "Answers another question"),
        CONCERNING("concerning", "Concerning content (safeguarding)"),
        MALPRACTICE("malpractice", "Suspected malpractice");

        private final String wire;
        private final String label;

        EscalationReason(String wire, String label) {
            this.wire = wire;
            this.label = label;
        }

        public String wire() {
            return wire;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One calibration item after a set: the marker's mark, the definitive mark and why. */
    public record CalibrationFeedbackItem(String itemId, Mark yourMark, Mark definitiveMark, String rationale) {
        public boolean agrees() {
            return yourMark == definitiveMark;
        }
    }

    /** The result of a calibration set. */
    public record CalibrationFeedback(String taskId, boolean passed, String summary, List<CalibrationFeedbackItem> items) {
        public CalibrationFeedback {
            items = List.copyOf(items);
        }
    }

    /** A face check the server asks for: which way to turn, by when, and how to film it. */
    public record FaceChallenge(String checkId, String challenge, Instant deadline, int frames, int intervalMs) {
        /** The instruction shown to the marker, in plain words. */
        public String instruction() {
            return switch (challenge) {
                case "TURN_LEFT" -> "Look at the camera, then turn your head slowly to the left";
                case "TURN_RIGHT" -> "Look at the camera, then turn your head slowly to the right";
                default -> "Look at the camera and follow the instruction: " + challenge;
            };
        }
    }

    /** The server's verdict on a burst of frames. */
    public record FaceResult(boolean passed, String reason, boolean retryAllowed) {
    }

    /** Whether the marker may mark now, or a face check is due, or they are paused or suspended. */
    public record FaceStatus(String state, Optional<FaceChallenge> pendingCheck) {
    }
}

package org.openmarking.client.api;

import java.io.IOException;

/**
 * A refusal from the server: an HTTP status with the server's {@code {error, status, code}}
 * message. The client switches on {@link #code()}, never on the message.
 * Network failures stay plain {@link IOException}s, so callers can tell "the server said no"
 * (keep the message, don't retry blindly) from "the server could not be reached" (retry).
 */
public final class ApiException extends IOException {
    private static final long serialVersionUID = 1L;
    /** 409 codes of the presence gate (the server's {@code PresenceGate}). */
    public static final String FACE_CHECK_DUE = "face-check-due";
    public static final String PRESENCE_PAUSED = "presence-paused";
    public static final String PRESENCE_SUSPENDED = "presence-suspended";
    /** The face-check service's answer to starting a check when none is due. */
    public static final String NO_CHECK_DUE = "no-check-due";

    private final int status;
    private final String code;

    public ApiException(int status, String message) {
        this(status, null, message);
    }

    public ApiException(int status, String code, String message) {
        super(message == null || message.isBlank() ? "the server answered " + status : message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The server's machine-readable reason ({@code face-check-due}, ...), or null. */
    public String code() {
        return code;
    }

    /** A presence refusal: the marker must pass a face check, is paused or suspended. */
    public boolean isPresence() {
        return status == 409 && (FACE_CHECK_DUE.equals(code) || PRESENCE_PAUSED.equals(code) || PRESENCE_SUSPENDED.equals(code));
    }

    /** 409: the server refuses for now (a face check is due, the marker is paused); retry later. */
    public boolean isConflict() {
        return status == 409;
    }

    /** 401: the session is over; the marker must log in again. */
    public boolean isUnauthorized() {
        return status == 401;
    }

    /**
     * A refusal that will not change by retrying the same request: a 4xx other than 401 (log in
     * again), 429 (slow down) and the presence 409s (pass the face check first). A 409 such as
     * {@code lease-expired} or {@code criteria-outdated} is final for that request.
     */
    public boolean isPermanent() {
        return status >= 400 && status < 500 && status != 429 && status != 401 && !isPresence();
    }
}

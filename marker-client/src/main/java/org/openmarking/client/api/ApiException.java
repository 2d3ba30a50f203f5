package org.openmarking.client.api;

import java.io.IOException;

/**
 * A refusal from the server: an HTTP status with the server's {@code {error, status}} message.
 * Network failures stay plain {@link IOException}s, so callers can tell "the server said no"
 * (keep the message, don't retry blindly) from "the server could not be reached" (retry).
 */
public final class ApiException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
        super(message == null || message.isBlank() ? "the server answered " + status : message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 409: the server refuses for now (a face check is due, the marker is paused); retry later. */
    public boolean isConflict() {
        return status == 409;
    }

    /** 401: the session is over; the marker must log in again. */
    public boolean isUnauthorized() {
        return status == 401;
    }

    /** A refusal that will not change by retrying the same request. */
    public boolean isPermanent() {
        return status >= 400 && status < 500 && status != 409 && status != 429 && status != 401;
    }
}

package org.openmarking.server.http;

/**
 * A request the server refuses, with the HTTP status and a message for the caller.
 *
 * <p>Services fail their futures with this; the one failure handler turns it into a JSON
 * error. Anything else becomes a 500 whose details go to the log, never to the client.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiException(int status, String message) {
        this(status, null, message);
    }

    /**
     * @param code a stable machine-readable reason (e.g. {@code face-check-due}) that clients
     *             switch on, so they never parse the human message; null when the status says enough
     */
    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The machine-readable reason, or null. */
    public String code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}

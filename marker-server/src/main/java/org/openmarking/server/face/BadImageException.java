package org.openmarking.server.face;

/** An encoded photo or frame that cannot be used: too large, or not a decodable image. */
public final class BadImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadImageException(String message) {
        super(message);
    }
}

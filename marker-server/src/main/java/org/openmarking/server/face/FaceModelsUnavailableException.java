package org.openmarking.server.face;

/**
 * Thrown when face checks cannot run: no verified detector and recognizer, or a model file in
 * the directory does not match its card. The server then refuses to start face-checked sessions.
 */
public final class FaceModelsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public FaceModelsUnavailableException(String message) {
        super(message);
    }
}

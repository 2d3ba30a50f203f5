package org.openmarking.server.face;

/** The part a model plays in a face check. */
public enum ModelRole {
    /** Finds faces and their five landmarks in a frame (YuNet). */
    DETECTOR,
    /** Turns an aligned 112x112 face into an embedding compared by cosine similarity. */
    RECOGNIZER,
    /** Optional: finer landmarks for alignment. */
    LANDMARKS
}

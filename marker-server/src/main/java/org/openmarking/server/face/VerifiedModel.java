package org.openmarking.server.face;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file whose bytes matched the sha256 of its card. The engine loads the network from
 * these bytes, not from the path again, so a file swapped after the check is never used.
 */
public record VerifiedModel(ModelCard card, Path path, byte[] bytes) {
    public VerifiedModel {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** Model identity stored with templates: card name and file hash. */
    public String id() {
        return card.name() + "@" + card.sha256();
    }
}

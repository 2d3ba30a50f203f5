package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link IdentitySink} in memory and, given a file, journalled to it as JSON
 * lines; kept apart from the ledger on purpose. The CLI's and tests' sink.
 */
public final class FileIdentitySink implements IdentitySink, AutoCloseable {
    private final Map<String, IdentityLink> links = new LinkedHashMap<>();
    private final Map<String, IdentityImage> images = new LinkedHashMap<>();
    private final JsonLinesJournal journal;

    public FileIdentitySink() throws IOException {
        this(null);
    }

    public FileIdentitySink(Path file) throws IOException {
        journal = new JsonLinesJournal(file, this::replay);
    }

    private void replay(JsonNode n) {
        try {
            if (n.has("link")) {
                IdentityLink l = JsonLinesJournal.JSON.treeToValue(n.get("link"), IdentityLink.class);
                links.put(l.responseId(), l);
            } else if (n.has("image")) {
                IdentityImage i = JsonLinesJournal.JSON.treeToValue(n.get("image"), IdentityImage.class);
                images.put(i.blobId(), i);
            }
        } catch (IOException e) {
            throw new IllegalStateException("damaged identity entry " + n, e);
        }
    }

    @Override
    public synchronized void link(IdentityLink link) {
        if (links.putIfAbsent(link.responseId(), link) == null) {
            journal.append(Map.of("link", link));
        }
    }

    @Override
    public synchronized void identityImage(IdentityImage image) {
        if (images.putIfAbsent(image.blobId(), image) == null) {
            journal.append(Map.of("image", image));
        }
    }

    public synchronized Optional<IdentityLink> linkOf(String responseId) {
        return Optional.ofNullable(links.get(responseId));
    }

    public synchronized List<IdentityLink> links() {
        return List.copyOf(links.values());
    }

    public synchronized List<IdentityImage> images() {
        return List.copyOf(images.values());
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}

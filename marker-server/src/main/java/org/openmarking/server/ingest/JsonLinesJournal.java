package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * An append-only file of JSON lines, each forced to disk before {@link #append}
 * returns. On open, complete lines are replayed; a torn last line (a crash mid-write)
 * is cut off. A null path keeps nothing on disk.
 */
final class JsonLinesJournal implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final FileChannel channel;

    JsonLinesJournal(Path file, Consumer<JsonNode> replay) throws IOException {
        if (file == null) {
            channel = null;
            return;
        }
        long good = 0;
        if (Files.exists(file)) {
            byte[] all = Files.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    JsonNode node;
                    try {
                        node = JSON.readTree(new String(all, start, i - start, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        break;
                    }
                    replay.accept(node);
                    start = i + 1;
                    good = start;
                }
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(good);
        channel.position(good);
    }

    synchronized void append(Object entry) {
        if (channel == null) {
            return;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap((JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}

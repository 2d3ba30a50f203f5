package org.openmarking.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's push stream ({@code GET /api/v1/push/events}, server-sent events), read on a
 * daemon thread of its own and reopened after a loss, with a growing pause (1 s up to 10 s).
 * The listener learns each event and each change of the stream's state; it is called on the
 * stream's thread and must hand over to the FX thread itself.
 */
public final class EventStream implements Closeable {
    /** Receives the stream's events and its state. */
    public interface Listener {
        void onEvent(ServerEvent event);

        /** {@code true} once the server confirmed the stream ({@code connected}), false on loss. */
        void onConnection(boolean connected);
    }

    /** One pushed message: its type ({@code face-check}, {@code paused}, ...) and JSON data. */
    public record ServerEvent(String type, JsonNode data) {
        public String text(String field) {
            JsonNode n = data.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    /** Opens the stream's body; throws when the server can't be reached or refuses. */
    public interface Opener {
        InputStream open() throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Opener opener;
    private final Listener listener;
    private volatile InputStream current;

    EventStream(Opener opener, Listener listener) {
        this.opener = opener;
        this.listener = listener;
    }

    /** Starts reading on a daemon thread named {@code push-stream}. */
    public static EventStream start(Opener opener, Listener listener) {
        EventStream s = new EventStream(opener, listener);
        Thread t = new Thread(s::run, "push-stream");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void run() {
        long pause = 1000;
        while (!closed.get()) {
            try (InputStream in = opener.open()) {
                current = in;
                pause = 1000;
                read(in);
            } catch (ApiException e) {
                if (e.isUnauthorized()) {
                    listener.onConnection(false);
                    return; // the session is over; the app asks for a new log-in
                }
            } catch (IOException | RuntimeException e) {
                // lost: fall through to the pause and reopen
            }
            if (closed.get()) {
                return;
            }
            listener.onConnection(false);
            sleep(pause);
            pause = Math.min(10_000, pause * 2);
        }
    }

    /** Parses server-sent events from the body until it ends. */
    void read(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String type = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null && !closed.get()) {
            if (line.isEmpty()) {
                if (type != null || data.length() > 0) {
                    dispatch(type == null ? "message" : type, data.toString());
                }
                type = null;
                data.setLength(0);
            } else if (line.startsWith(":")) {
                continue; // keep-alive comment
            } else if (line.startsWith("event:")) {
                type = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(5).trim());
            }
        }
    }

    private void dispatch(String type, String data) {
        JsonNode node;
        try {
            node = data.isEmpty() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(data);
        } catch (IOException e) {
            node = JsonNodeFactory.instance.objectNode().put("text", data);
        }
        if ("connected".equals(type)) {
            listener.onConnection(true);
        } else {
            listener.onEvent(new ServerEvent(type, node));
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.set(true);
        }
    }

    @Override
    public void close() {
        closed.set(true);
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing a dead stream
            }
        }
    }
}

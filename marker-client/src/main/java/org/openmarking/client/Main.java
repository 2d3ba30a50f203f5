package org.openmarking.client;

import java.util.List;
import org.openmarking.client.app.ClientOptions;

/** Starts the marker client: {@code scripts/client.sh [--server URL] [--ca FILE] [--camera DIR|VIDEO] ...}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println(ClientOptions.USAGE);
            return;
        }
        ClientOptions options;
        try {
            options = ClientOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        org.openmarking.client.app.ClientApp.launchWith(options);
    }
}

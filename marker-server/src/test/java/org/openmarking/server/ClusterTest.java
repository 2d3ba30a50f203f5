package org.openmarking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.store.Database;

/**
 * Two nodes on loopback behind one database: a session opened on one is honoured by the
 * other (nothing a marker depends on lives in one node's memory), and the event bus, which
 * carries pushes to markers and dashboards, spans both through Hazelcast.
 */
class ClusterTest {

    @Test
    void twoNodesShareSessionsAndTheEventBus(@TempDir Path a, @TempDir Path b) {
        Map<String, String> cluster = Map.of("OPENMARKING_CLUSTER", "true", "OPENMARKING_CLUSTER_PORT", "5811",
                "OPENMARKING_CLUSTER_MEMBERS", "127.0.0.1:5811,127.0.0.1:5812");
        try (TestServer nodeA = TestServer.start(a, cluster)) {
            Database.JdbcTarget db = nodeA.app().context().database().jdbc();
            String url = db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@");
            Map<String, String> second = new java.util.HashMap<>(cluster);
            second.put("DATABASE_URL", url);
            second.put("OPENMARKING_CLUSTER_PORT", "5812");
            try (TestServer nodeB = TestServer.start(b, second)) {
                String token = nodeA.createUser("marker-on-two-nodes", "marker", "*");
                assertEquals("marker-on-two-nodes", nodeB.get("/api/v1/auth/me", token).json().getString("username"));

                nodeB.app().vertx().eventBus().<JsonObject>consumer("test.ping", m -> m.reply(new JsonObject().put("pong", "node B")));
                JsonObject reply = TestServer.await(nodeA.app().vertx().eventBus()
                        .<JsonObject>request("test.ping", new JsonObject())
                        .recover(e -> nodeA.app().vertx().timer(2000)
                                .compose(t -> nodeA.app().vertx().eventBus().<JsonObject>request("test.ping", new JsonObject()))))
                        .body();
                assertEquals("node B", reply.getString("pong"));
            }
        }
    }
}

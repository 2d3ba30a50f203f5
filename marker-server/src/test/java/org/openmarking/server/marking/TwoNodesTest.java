package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture.User;
import org.openmarking.server.store.Database;

/** Two nodes on one database: markers on both never collide, and a node that dies mid-lease loses nothing. */
class TwoNodesTest {

    private static Reply next(TestServer node, User m, String task) {
        return node.post("/api/v1/marking/tasks/" + task + "/next", m.token(), new JsonObject());
    }

    private static Reply mark(TestServer node, User m, JsonObject w, String mark) {
        return node.post("/api/v1/marking/marks", m.token(), new JsonObject().put("id", UUID.randomUUID().toString())
                .put("responseId", w.getString("responseId")).put("mark", mark).put("criteriaVersion", w.getInteger("criteriaVersion")));
    }

    @Test
    void markersOnTwoNodesShareThePoolAndADeadNodesLeaseComesBack(@TempDir Path dir) throws Exception {
        TestServer a = MarkingFixture.server();
        Database.JdbcTarget db = a.app().context().database().jdbc();
        String url = db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@");
        TestServer b = TestServer.start(dir, Map.of("DATABASE_URL", url, "OPENMARKING_FACE_CHECKS", "off"));
        String single;
        try {
            String task = task(plain().put("lease", new JsonObject().put("concurrentLimit", 1)));
            int n = 40;
            responses(task, n);
            List<User> markers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                markers.add(marker(task));
            }
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(markers.size());
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < markers.size(); i++) {
                User m = markers.get(i);
                int k = i;
                done.add(pool.submit(() -> {
                    for (int step = 0; ; step++) {
                        // Each marker alternates nodes, as a client behind a load balancer would.
                        TestServer node = (k + step) % 2 == 0 ? a : b;
                        Reply r = next(node, m, task);
                        if (r.status() == 204) {
                            return;
                        }
                        if (r.status() != 200) {
                            failures.add("next " + r.status() + " " + r.error());
                            return;
                        }
                        Reply s = mark(node == a ? b : a, m, r.json(), "2/3");
                        if (s.status() != 201) {
                            failures.add("mark " + s.status() + " " + s.error());
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertEquals(List.of(), new ArrayList<>(failures));
            for (Row r : sql("select r.status, count(m.id), count(distinct m.marker_id) from responses r left join marks m on m.response_id = r.id "
                    + "where r.task_id = $1 group by r.id", task)) {
                assertEquals("final/2/2", r.getString(0) + "/" + r.getLong(1) + "/" + r.getLong(2));
            }

            single = task(plain().put("lease", new JsonObject().put("seconds", 2)).put("resolution", new JsonObject().put("independentMarks", 1)));
            String only = responses(single, 1).get(0);
            User onB = marker(single);
            JsonObject w = next(b, onB, single).json();
            assertEquals(only, w.getString("responseId"));
        } finally {
            b.close(); // node B dies holding the lease
        }
        User other = marker(single);
        assertEquals(204, MarkingFixture.next(other, single).status(), "still leased to the marker of the dead node");
        Thread.sleep(3500);
        JsonObject w = MarkingFixture.lease(other, single);
        assertEquals(201, MarkingFixture.mark(other, w.getString("responseId"), "1", w.getInteger("criteriaVersion")).status());
        assertEquals("final", MarkingFixture.status(w.getString("responseId")));
    }
}

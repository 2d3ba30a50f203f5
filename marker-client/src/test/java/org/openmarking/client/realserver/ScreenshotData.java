package org.openmarking.client.realserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.openmarking.client.testing.AnswerImages;
import org.openmarking.server.TestServer;
import org.openmarking.server.marking.MarkingFixture;

/**
 * Answers for a real node that look like answers: generated pages of "handwriting", sealed in
 * the node's encrypted blob store as marker-server's {@link MarkingFixture} seals its small PNGs.
 */
public final class ScreenshotData {
    private ScreenshotData() {
    }

    /** Inserts open responses of a task on the marking fixture's node; returns their ids. */
    public static List<String> pages(String task, int n, String label) {
        return pages(MarkingFixture.server(), task, n, label);
    }

    /** Inserts open responses of a task with page images; returns their ids. */
    public static List<String> pages(TestServer s, String task, int n, String label) {
        List<String> ids = new ArrayList<>();
        List<Tuple> blobs = new ArrayList<>();
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            String ref = "resp-" + id.toLowerCase();
            byte[] png = AnswerImages.page(label + " " + (i + 1), id.hashCode());
            try {
                s.app().context().blobs().putIfAbsent(ref, png);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            blobs.add(Tuple.of(ref, png.length));
            rows.add(Tuple.of(id, task, ref));
            ids.add(id);
        }
        var pool = s.app().context().database().pool();
        TestServer.await(pool.preparedQuery("insert into blobs (ref, kind, key_id, size_bytes) values ($1, 'response', 'test', $2)")
                .executeBatch(blobs));
        TestServer.await(pool.preparedQuery("insert into responses (id, task_id, blob_ref, marks_needed) "
                + "select $1, $2, $3, t.marks_required from tasks t where t.id = $2").executeBatch(rows));
        return ids;
    }

    /** Criteria as a chief examiner would write them, published as the next version on the marking fixture's node. */
    public static void criteria(String task) {
        criteria(MarkingFixture.server(), task);
    }

    /** Criteria as a chief examiner would write them, published as the next version. */
    public static void criteria(TestServer s, String task) {
        String[][] clauses = {
            {"Main idea identified and supported with a quotation from the text", "1"},
            {"Main idea identified, support weak or partly off the point", "2/3"},
            {"Main idea identified without support", "1/2"},
            {"A secondary idea identified instead of the main one", "1/3"},
            {"Wrong idea, unrelated text or blank", "0"}};
        JsonArray list = new JsonArray();
        for (int i = 0; i < clauses.length; i++) {
            list.add(new JsonObject().put("number", i + 1).put("text", clauses[i][0]).put("mark", clauses[i][1]));
        }
        var r = s.post("/api/v1/exams/tasks/" + task + "/criteria", s.adminToken(), new JsonObject()
                .put("note", "Clause 2 now also covers a quotation that supports only part of the idea.").put("clauses", list));
        if (r.status() != 201) {
            throw new IllegalStateException("criteria: " + r.status() + " " + r.error());
        }
    }
}

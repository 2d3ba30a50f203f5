package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.openmarking.server.ServerContext;
import org.openmarking.server.TestServer;
import org.openmarking.server.TestServer.Reply;

/**
 * Test fixture for the marking engine: one server (face checks off) shared by the marking tests
 * of a JVM, exams with published criteria, responses with small PNG images in the encrypted blob
 * store, markers (with school and region) and chief examiners, and short calls to the marker and
 * chief examiner APIs.
 */
public final class MarkingFixture {
    private static TestServer server;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private MarkingFixture() {
    }

    public static synchronized TestServer server() {
        if (server == null) {
            try {
                server = TestServer.start(Files.createTempDirectory("openmarking-marking"), Map.of("OPENMARKING_FACE_CHECKS", "off"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return server;
    }

    /** A unique name for this JVM. */
    public static String unique(String prefix) {
        return prefix + COUNTER.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 100000, 36);
    }

    /** An exam under the state-language scheme (three written items) with criteria published; returns its first task id. */
    public static String task(JsonObject settings) {
        TestServer s = server();
        String admin = s.adminToken();
        String exam = unique("mk");
        Reply created = s.post("/api/v1/exams", admin, new JsonObject().put("id", exam).put("scheme", "state-language-2026"));
        assertEquals(201, created.status(), created.error());
        String task = created.json().getJsonArray("tasks").getString(0);
        publishCriteria(task, false);
        if (settings != null) {
            Reply r = s.call(io.vertx.core.http.HttpMethod.PUT, "/api/v1/quality/tasks/" + task + "/settings", admin, settings);
            assertEquals(200, r.status(), r.error());
        }
        return task;
    }

    public static int publishCriteria(String task, boolean recalibrate) {
        Reply r = server().post("/api/v1/exams/tasks/" + task + "/criteria", server().adminToken(), criteria(recalibrate));
        assertEquals(201, r.status(), r.error());
        return r.json().getInteger("version");
    }

    /** The body of a criteria publication: two clauses. */
    public static JsonObject criteria(boolean recalibrate) {
        return new JsonObject().put("note", "n").put("requiresRecalibration", recalibrate)
                .put("clauses", new JsonArray().add(new JsonObject().put("number", 1).put("text", "full answer").put("mark", "1"))
                        .add(new JsonObject().put("number", 2).put("text", "partial").put("mark", "1/2")));
    }

    /** Settings with no calibration, no seeds and the given lease: plain live marking. */
    public static JsonObject plain() {
        return new JsonObject().put("calibration", new JsonObject().put("required", false))
                .put("seeding", new JsonObject().put("meanInterval", 0)).put("exclusions", new JsonArray());
    }

    /** A small distinct PNG. */
    public static byte[] png(int seed) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            img.setRGB(i % 8, i / 8, (seed * 2654435761L + i * 40503) % 0xffffff > 0x7fffff ? 0xffffff : 0x202020);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Inserts {@code n} open responses of a task, each with its image sealed in the blob store. */
    public static List<String> responses(String task, int n, String school, String region) {
        return responses(server().app().context(), task, n, school, region);
    }

    /** The same on any node's database and blob store. */
    public static List<String> responses(ServerContext context, String task, int n, String school, String region) {
        List<String> ids = new ArrayList<>();
        List<Tuple> blobs = new ArrayList<>();
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            String ref = "resp-" + id.toLowerCase();
            byte[] png = png(COUNTER.incrementAndGet());
            try {
                context.blobs().putIfAbsent(ref, png);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            blobs.add(Tuple.of(ref, png.length));
            rows.add(Tuple.of(id, task, ref, school, region));
            ids.add(id);
        }
        TestServer.await(context.database().pool().preparedQuery(
                "insert into blobs (ref, kind, key_id, size_bytes) values ($1, 'response', 'test', $2)").executeBatch(blobs));
        TestServer.await(context.database().pool().preparedQuery(
                "insert into responses (id, task_id, blob_ref, school_code, region_code, marks_needed) "
                        + "select $1, $2, $3, $4, $5, t.marks_required from tasks t where t.id = $2").executeBatch(rows));
        return ids;
    }

    public static List<String> responses(String task, int n) {
        return responses(task, n, null, null);
    }

    /** A user: their id and token. */
    public record User(String id, String name, String token) {
    }

    public static User user(String role, String scope, String school, String region) {
        TestServer s = server();
        String name = unique(role.substring(0, 3));
        JsonObject body = new JsonObject().put("username", name).put("password", "password-of-" + name)
                .put("roles", new JsonArray().add(new JsonObject().put("role", role).put("scope", scope)));
        if (school != null) {
            body.put("schoolCode", school);
        }
        if (region != null) {
            body.put("regionCode", region);
        }
        Reply r = s.post("/api/v1/admin/users", s.adminToken(), body);
        assertEquals(201, r.status(), r.error());
        return new User(r.json().getString("id"), name, s.login(name, "password-of-" + name));
    }

    public static User marker(String scope) {
        return user("marker", scope, null, null);
    }

    public static User chief(String scope) {
        return user("chief_examiner", scope, null, null);
    }

    public static Reply next(User m, String task) {
        return server().post("/api/v1/marking/tasks/" + task + "/next", m.token(), new JsonObject());
    }

    public static Reply mark(User m, String responseId, String mark, int criteriaVersion) {
        return mark(m, UUID.randomUUID().toString(), responseId, mark, criteriaVersion);
    }

    public static Reply mark(User m, String id, String responseId, String mark, int criteriaVersion) {
        return server().post("/api/v1/marking/marks", m.token(), new JsonObject().put("id", id).put("responseId", responseId)
                .put("mark", mark).put("criteriaVersion", criteriaVersion).put("markedAt", java.time.Instant.now().toString()));
    }

    /** Leases the next live piece of work and asserts it was there. */
    public static JsonObject lease(User m, String task) {
        Reply r = next(m, task);
        assertEquals(200, r.status(), r.error());
        return r.json();
    }

    /** Leases and marks one response; returns its id. */
    public static String leaseAndMark(User m, String task, String mark) {
        JsonObject w = lease(m, task);
        Reply r = mark(m, w.getString("responseId"), mark, w.getInteger("criteriaVersion"));
        assertEquals(201, r.status(), r.error());
        return w.getString("responseId");
    }

    public static RowSet<Row> sql(String sql, Object... args) {
        return TestServer.await(server().app().context().database().pool().preparedQuery(sql).execute(Tuple.from(args)));
    }

    public static String status(String responseId) {
        return sql("select status from responses where id = $1", responseId).iterator().next().getString(0);
    }

    public static Integer finalSixths(String responseId) {
        return sql("select final_sixths from responses where id = $1", responseId).iterator().next().getInteger(0);
    }

    public static Reply chiefPost(User chief, String path, JsonObject body) {
        return server().post("/api/v1/quality" + path, chief.token(), body);
    }

    public static Reply chiefGet(User chief, String path) {
        return server().get("/api/v1/quality" + path, chief.token());
    }

    public static long audits(String action, String subject) {
        return sql("select count(*) from audit_log where action = $1 and subject = $2", action, subject).iterator().next().getLong(0);
    }
}

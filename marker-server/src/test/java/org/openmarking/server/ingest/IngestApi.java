package org.openmarking.server.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openmarking.server.TestServer;

/** Ingest's own test helpers on a {@link TestServer}: multipart uploads, SQL peeks, a sample exam. */
final class IngestApi {
    final TestServer server;
    final WebClient client;

    IngestApi(TestServer server) {
        this.server = server;
        this.client = WebClient.create(server.app().vertx(), new WebClientOptions().setSsl(true).setDefaultHost("localhost")
                .setDefaultPort(server.app().port()).setTrustOptions(new PemTrustOptions().addCertPath(server.app().tls().caCert().toString())));
    }

    /** Uploads files as one multipart request; returns status and JSON body. */
    TestServer.Reply upload(String token, List<Path> files, boolean rescan) throws IOException {
        MultipartForm form = MultipartForm.create();
        for (Path f : files) {
            form.binaryFileUpload("scan", f.getFileName().toString(), Buffer.buffer(Files.readAllBytes(f)), "application/octet-stream");
        }
        var req = client.post("/api/v1/ingest/scans" + (rescan ? "?rescan=true" : ""));
        if (token != null) {
            req.bearerTokenAuthentication(token);
        }
        return reply(TestServer.await(req.sendMultipartForm(form)));
    }

    TestServer.Reply uploadRaw(String token, Path file) throws IOException {
        var req = client.post("/api/v1/ingest/scans").addQueryParam("name", file.getFileName().toString()).bearerTokenAuthentication(token);
        return reply(TestServer.await(req.sendBuffer(Buffer.buffer(Files.readAllBytes(file)))));
    }

    TestServer.Reply put(String path, String token, JsonObject body) {
        var req = client.put(path).bearerTokenAuthentication(token);
        return reply(TestServer.await(req.sendJsonObject(body)));
    }

    static TestServer.Reply reply(HttpResponse<Buffer> res) {
        String type = res.getHeader("content-type");
        JsonObject json = type != null && type.startsWith("application/json") && res.body() != null && res.body().length() > 0
                ? res.bodyAsJsonObject() : null;
        return new TestServer.Reply(res.statusCode(), json, res);
    }

    RowSet<Row> sql(String query, Object... args) {
        return TestServer.await(server.app().context().database().pool().preparedQuery(query).execute(Tuple.from(args)));
    }

    long count(String query, Object... args) {
        return sql(query, args).iterator().next().getLong(0);
    }

    /** Creates an exam of the admission scheme with the given subjects through the API. */
    void createExam(String admin, String examId, String... subjects) {
        TestServer.Reply r = server.post("/api/v1/exams", admin, new JsonObject().put("id", examId).put("scheme", "admission-2026")
                .put("subjects", new JsonArray(List.of((Object[]) subjects))));
        if (r.status() != 201) {
            throw new AssertionError("exam: " + r.status() + " " + r.error());
        }
    }

    /** Registration body for sittings of one layout: candidate i gets work number, FIN, school S(i%3), region R(i%2). */
    static JsonObject registration(List<SampleScans.Sitting> sittings, String layoutId) {
        JsonArray list = new JsonArray();
        for (int i = 0; i < sittings.size(); i++) {
            SampleScans.Sitting s = sittings.get(i);
            list.add(new JsonObject().put("workNumber", s.workNumber()).put("fin", "FIN" + s.workNumber()).put("fullName", s.candidateName())
                    .put("schoolCode", "S" + (i % 3)).put("regionCode", "R" + (i % 2))
                    .put("booklets", new JsonArray().add(new JsonObject().put("id", s.bookletId()).put("template", layoutId))));
        }
        return new JsonObject().put("candidates", list);
    }

    static List<SampleScans.Sitting> sittings(String prefix, int n, int firstWork) {
        List<SampleScans.Sitting> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SampleScans.Sitting(String.format("%s-%05d", prefix, i + 1), "Candidate " + (char) ('A' + i) + " Testova",
                    Integer.toString(firstWork + i)));
        }
        return out;
    }
}

package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer;

/** scripts/ingest.sh: uploads over HTTPS with the pinned CA, in batches; exit status says whether anything was quarantined. */
class IngestUploadCliTest {
    @Test
    void uploadsFoldersInBatchesAndExitsOneOnlyWhenSomethingIsQuarantined(@TempDir Path dir) throws Exception {
        TestServer server = TestServer.shared();
        IngestApi api = new IngestApi(server);
        String admin = server.adminToken();
        String exam = "cli" + (System.nanoTime() % 100000);
        api.createExam(admin, exam, "mathematics");
        BookletTemplate layout = BookletLayouts.standard(exam, "Mathematics", IngestServerTest.WRITTEN);
        List<SampleScans.Sitting> sittings = IngestApi.sittings("C" + exam.substring(3), 2, 500100);
        ScanManifest m = SampleScans.generate(layout, sittings, dir.resolve("gen"), new SampleScans.Options(0, 3, false, 0, 200));
        assertEquals(201, api.put("/api/v1/ingest/layouts/" + exam + "-m", admin,
                new JsonObject().put("subject", "mathematics").put("layout", JsonObject.mapFrom(layout))).status());
        assertEquals(200, server.post("/api/v1/ingest/exams/" + exam + "/candidates", admin, IngestApi.registration(sittings, exam + "-m")).status());
        int pages = m.files().stream().mapToInt(f -> f.pages().size()).sum();

        String url = "https://localhost:" + server.app().port();
        String ca = server.app().tls().caCert().toString();
        Map<String, String> env = Map.of("OPENMARKING_INGEST_PASSWORD", TestServer.ADMIN_PASSWORD);
        String[] args = {"--server", url, "--ca", ca, "--user", "admin", "--batch-mb", "1", dir.resolve("gen/scans").toString()};
        Run r = run(args, env);
        assertEquals(0, r.status, r.out + r.err);
        assertTrue(r.out.contains("pages " + pages + ": ingested " + pages + ","), r.out);
        assertEquals(pages, api.count("select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1", exam));

        r = run(args, env);
        assertEquals(0, r.status);
        assertTrue(r.out.contains("duplicates " + pages), r.out);

        Path bad = Files.write(dir.resolve("torn.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3});
        r = run(new String[] {"--server", url, "--ca", ca, "--user", "admin", bad.toString()}, env);
        assertEquals(1, r.status, r.out + r.err);
        assertTrue(r.out.contains("QUARANTINED " + "torn.jpg page 0: UNREADABLE_FILE"), r.out);

        assertEquals(2, run(args, Map.of("OPENMARKING_INGEST_PASSWORD", "wrong")).status, "bad login");
        assertEquals(2, run(args, Map.of()).status, "no password");
        assertEquals(2, run(new String[] {"--server", url, "--ca", dir.resolve("missing.pem").toString(), "--user", "admin", bad.toString()}, env).status);
        // another CA than the server's: the TLS handshake fails, nothing is sent
        String otherCa = org.openmarking.server.tls.TlsMaterial.selfManaged(dir.resolve("other-ca"), List.of("localhost")).caCert().toString();
        r = run(new String[] {"--server", url, "--ca", otherCa, "--user", "admin", bad.toString()}, env);
        assertEquals(3, r.status, r.err);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String[] args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IngestUploadCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

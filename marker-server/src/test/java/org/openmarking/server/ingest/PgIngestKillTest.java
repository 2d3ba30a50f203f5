package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openmarking.server.ServerContext;
import org.openmarking.server.TestServer;
import org.openmarking.server.store.Database;

/**
 * Kill mid-batch, rerun: an ingest process working into the server's database and blob store
 * is killed with SIGKILL after some files, wherever it happens to be (cutting, writing blobs,
 * inside a commit); the batch is then run again to the end. Every page must end ingested
 * exactly once, every answer box a response with its identity origin, nothing half-written.
 */
class PgIngestKillTest {
    static final List<String> WRITTEN = List.of("19", "20", "21", "22", "23", "24", "25");

    @ParameterizedTest(name = "killed after {0} files")
    @ValueSource(ints = {1, 3})
    void everyPageEndsIngestedExactlyOnce(int filesBeforeKill, @TempDir Path dir) throws Exception {
        TestServer server = TestServer.shared();
        IngestApi api = new IngestApi(server);
        String admin = server.adminToken();
        String exam = "kill" + filesBeforeKill + "x" + (System.nanoTime() % 100000);
        api.createExam(admin, exam, "mathematics");
        BookletTemplate layout = BookletLayouts.standard(exam, "Mathematics", WRITTEN);
        List<SampleScans.Sitting> sittings = IngestApi.sittings("K" + exam.substring(4), 5, 600100);
        ScanManifest manifest = SampleScans.generate(layout, sittings, dir, new SampleScans.Options(0, 7, false, 0, 200));
        assertEquals(201, api.put("/api/v1/ingest/layouts/" + exam + "-m", admin,
                new io.vertx.core.json.JsonObject().put("subject", "mathematics").put("layout", io.vertx.core.json.JsonObject.mapFrom(layout))).status());
        assertEquals(200, server.post("/api/v1/ingest/exams/" + exam + "/candidates", admin, IngestApi.registration(sittings, exam + "-m")).status());

        ServerContext ctx = server.app().context();
        Database.JdbcTarget db = ctx.database().jdbc();
        String uri = db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PgIngestChild.class.getName(), uri,
                ctx.config().blobsDir().toString(), ctx.config().keystore().toString(), dir.resolve("scans").toString());
        pb.environment().put("OPENMARKING_KEYSTORE_PASSPHRASE", "test keystore passphrase");
        pb.redirectErrorStream(true);
        Process child = pb.start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int done = 0;
            while (done < filesBeforeKill && (line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("done ")) {
                    done++;
                }
            }
            assertEquals(filesBeforeKill, done, "child output: " + seen);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback by the process itself
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        int pages = manifest.files().stream().mapToInt(f -> f.pages().size()).sum();
        long committed = api.count("select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1", exam);
        assertTrue(committed >= filesBeforeKill && committed < pages, "killed part-way: " + committed + " of " + pages);

        // the rerun, in the server's own process
        PgIngestStore store = new PgIngestStore(ctx.database().pool(), ctx.blobs(), null, "ingested on resubmission");
        IngestPipeline pipeline = new IngestPipeline(IngestService.FRAME, store, store, store, ctx.blobs(), new SecureRandom());
        List<IngestReport> reports = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("scans"))) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            reports.add(ctx.workers().executeBlocking(() -> pipeline.ingest(f.getFileName().toString(), Files.readAllBytes(f), false))
                    .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
        }
        IngestReport.Summary s = IngestReport.Summary.of(reports);
        assertEquals(0, s.quarantinedTotal(), s.toString());
        assertEquals(pages, s.ingested() + s.duplicates(), s.toString());
        assertTrue(s.duplicates() >= filesBeforeKill, s.toString());

        assertEquals(pages, api.count("select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1", exam),
                "one page row per page");
        assertEquals(pages, api.count("select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1 and p.in_use", exam));
        int boxes = manifest.files().stream().flatMap(f -> f.pages().stream()).mapToInt(p -> p.boxes().size()).sum();
        assertEquals(boxes, api.count("select count(*) from responses where task_id like $1", exam + ".%"), "one response per box");
        assertEquals(0, api.count("select count(*) from responses r where r.task_id like $1 and not exists "
                + "(select 1 from identity.response_origins o where o.response_id = r.id)", exam + ".%"), "every response linked");
        for (ScanManifest.FileEntry f : manifest.files()) {
            for (ScanManifest.PageEntry p : f.pages()) {
                assertEquals(p.boxes().size(), api.count("select count(*) from identity.response_origins o "
                        + "join identity.candidates c on c.id = o.candidate_id join pages pg on pg.id = o.page_id "
                        + "where o.booklet_id = $1 and o.page_number = $2 and c.work_number = $3 and pg.in_use",
                        p.bookletId(), p.page(), p.workNumber()), p.bookletId() + " page " + p.page());
            }
        }
        assertEquals(sittings.size(), api.count("select count(*) from identity.page_identity_images i join pages p on p.id = i.page_id "
                + "join booklets b on b.id = p.booklet_id where b.exam_id = $1", exam), "one identity crop per booklet (page 1)");
    }
}

package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openmarking.server.TestServer;
import org.openmarking.server.http.Failures;
import org.openmarking.server.store.Database;

/**
 * Scan uploads never rest on disk in the clear: the upload route, mounted on a test router
 * with its own spool folder, limit and {@link UploadReceiver.Observer}, receives generated
 * scans (JPEG, PNG, TIFF, PDF) while the test searches the spool folder for their bytes and
 * magic numbers in flight and once all are spooled; afterwards the folder is empty. Also: an
 * over-limit upload is 413 and leaves nothing, a non-admin is refused before a spool file
 * exists, a tampered spool is refused and nothing of it ingested, and a starting node sweeps
 * leftovers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestUploadSpoolTest {
    private static final String BOUNDARY = "spool-test-boundary";

    TestServer server;
    IngestApi api;
    String admin;
    String exam;
    ScanManifest manifest;
    List<Path> scans;
    Path spoolDir;
    long limit;
    Vertx vertx;
    HttpServer http;
    HttpClient client;
    final AtomicInteger opened = new AtomicInteger();
    volatile Consumer<List<Path>> onSpooled = spools -> { };

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        server = TestServer.shared();
        api = new IngestApi(server);
        admin = server.adminToken();
        exam = "spl" + (System.nanoTime() % 100000);
        api.createExam(admin, exam, "mathematics");
        BookletTemplate layout = BookletLayouts.standard(exam, "Mathematics", IngestServerTest.WRITTEN);
        List<SampleScans.Sitting> sittings = IngestApi.sittings("S" + exam.substring(3), 3, 600100);
        // three booklets: single JPEG/PNG pages, a multi-page TIFF and a PDF
        manifest = SampleScans.generate(layout, sittings, dir.resolve("gen"), new SampleScans.Options(0, 4, false, 0, 200));
        assertEquals(201, api.put("/api/v1/ingest/layouts/" + exam + "-m", admin,
                new JsonObject().put("subject", "mathematics").put("layout", JsonObject.mapFrom(layout))).status());
        assertEquals(200, server.post("/api/v1/ingest/exams/" + exam + "/candidates", admin,
                IngestApi.registration(sittings, exam + "-m")).status());
        try (Stream<Path> s = Files.list(dir.resolve("gen/scans"))) {
            scans = s.sorted().toList();
        }
        assertTrue(scans.stream().map(p -> p.getFileName().toString().replaceAll(".*\\.", "")).distinct().count() >= 4,
                "jpg, png, tif and pdf: " + scans);
        long total = 0;
        for (Path p : scans) {
            total += Files.size(p);
        }
        limit = total + 1024 * 1024;

        spoolDir = dir.resolve("uploads");
        SpoolFile.sweep(spoolDir);
        vertx = server.app().vertx();
        Router root = Router.router(vertx);
        new IngestRoutes(server.app().context()).mountUpload(root, spoolDir, limit, new UploadReceiver.Observer() {
            @Override
            public void opened(Path spool) {
                opened.incrementAndGet();
            }

            @Override
            public void spooled(List<Path> spools) {
                onSpooled.accept(spools);
            }
        });
        root.route().failureHandler(Failures::handle);
        http = TestServer.await(vertx.createHttpServer().requestHandler(root).listen(0, "localhost"));
        client = vertx.createHttpClient();
    }

    @AfterAll
    void tearDown() {
        TestServer.await(client.close());
        TestServer.await(http.close());
    }

    private record Sent(int status, JsonObject json) {
    }

    /**
     * POSTs {@code parts} one after the other (chunked unless {@code contentLength} is given),
     * running {@code between} on this thread after each part was written.
     */
    private Sent post(String token, String query, String contentType, List<Buffer> parts, Long contentLength,
            Consumer<Integer> between) throws Exception {
        HttpClientRequest req = TestServer.await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setHost("localhost").setPort(http.actualPort()).setURI(IngestRoutes.UPLOAD_PATH + query)));
        if (token != null) {
            req.putHeader("Authorization", "Bearer " + token);
        }
        req.putHeader("content-type", contentType);
        if (contentLength == null) {
            req.setChunked(true);
        } else {
            req.putHeader("content-length", contentLength.toString());
        }
        // body() right in the response callback: data arriving before a handler is set would be lost
        var sent = req.response().compose(res -> res.body().map(body -> {
            String type = res.getHeader("content-type");
            return new Sent(res.statusCode(), type != null && type.startsWith("application/json") ? body.toJsonObject() : null);
        }));
        for (int i = 0; i < parts.size(); i++) {
            try {
                TestServer.await(req.write(parts.get(i)));
            } catch (RuntimeException refusedPartWay) {
                break; // the server answered and closed; its answer is what counts
            }
            between.accept(i);
        }
        req.end();
        return TestServer.await(sent);
    }

    /** A multipart body of {@code files} cut into parts of about {@code partBytes}. */
    private static List<Buffer> multipart(Map<String, byte[]> files, int partBytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        files.forEach((name, content) -> {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] all = body.toByteArray();
        List<Buffer> parts = new ArrayList<>();
        for (int at = 0; at < all.length; at += partBytes) {
            parts.add(Buffer.buffer(java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + partBytes))));
        }
        return parts;
    }

    private Map<String, byte[]> read(List<Path> files) throws Exception {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (Path p : files) {
            out.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return out;
    }

    private static long spooledBytes(Path dir) throws Exception {
        long n = 0;
        for (Path p : SpoolProbe.files(dir)) {
            try {
                n += Files.size(p);
            } catch (java.nio.file.NoSuchFileException gone) {
                // deleted meanwhile
            }
        }
        return n;
    }

    /** Waits (up to 20 s) until the spool folder is empty: the route deletes spool files as the request ends. */
    private void assertSpoolEmpty(String when) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!SpoolProbe.files(spoolDir).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), SpoolProbe.files(spoolDir), when);
    }

    private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;

    @Test
    @Order(1)
    void scansAreSpooledOnlyAsCiphertextInFlightAndBeforeIngestThenIngestedAndDeleted() throws Exception {
        List<Path> files = scans.subList(0, scans.size() - 1); // the last one is for the tampering test
        Map<String, byte[]> content = read(files);
        List<byte[]> originals = List.copyOf(content.values());
        long fileBytes = originals.stream().mapToLong(b -> b.length).sum();
        List<Buffer> parts = multipart(content, 64 * 1024);
        List<String> inFlight = new CopyOnWriteArrayList<>();
        List<String> beforeIngest = new CopyOnWriteArrayList<>();
        List<Long> spoolSizes = new CopyOnWriteArrayList<>();
        long[] seenInFlight = {0};
        onSpooled = spools -> {
            try {
                beforeIngest.addAll(SpoolProbe.plaintextIn(spoolDir, originals));
                for (Path p : spools) {
                    spoolSizes.add(Files.size(p));
                }
            } catch (Exception e) {
                beforeIngest.add(e.toString());
            }
        };
        int half = parts.size() / 2;
        Sent r = post(admin, "", MULTIPART, parts, null, i -> {
            if (i != half) {
                return;
            }
            try {
                // Half the body is sent: wait until the server has spooled most of it, then look.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (spooledBytes(spoolDir) < fileBytes / 2 - 512 * 1024 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                seenInFlight[0] = spooledBytes(spoolDir);
                inFlight.addAll(SpoolProbe.plaintextIn(spoolDir, originals));
            } catch (Exception e) {
                inFlight.add(e.toString());
            }
        });
        onSpooled = spools -> { };
        assertTrue(seenInFlight[0] >= fileBytes / 2 - 512 * 1024, "in flight the spool held " + seenInFlight[0] + " of " + fileBytes);
        assertEquals(List.of(), inFlight, "no plaintext in the spool folder while the upload was in flight");
        assertEquals(List.of(), beforeIngest, "nor once every file was spooled");
        assertEquals(200, r.status(), String.valueOf(r.json()));
        assertEquals(originals.stream().map(b -> (long) b.length + SpoolFile.TAG_BYTES).sorted().toList(),
                spoolSizes.stream().sorted().toList(), "one spool file per uploaded file, ciphertext and tag");
        assertEquals(files.size(), opened.get());

        long pages = manifest.files().stream().filter(f -> content.containsKey(f.file())).mapToLong(f -> f.pages().size()).sum();
        assertEquals(pages, (long) r.json().getInteger("ingested"), r.json().encodePrettily());
        assertEquals(pages, api.count("select count(*) from pages p join booklets b on b.id = p.booklet_id where b.exam_id = $1", exam));
        assertSpoolEmpty("every spool file is deleted once ingested");
    }

    @Test
    @Order(2)
    void aTamperedSpoolFileIsRefusedAndNothingOfItIngested() throws Exception {
        Path last = scans.get(scans.size() - 1);
        byte[] content = Files.readAllBytes(last);
        String sha = IngestPipeline.sha256(content);
        onSpooled = spools -> {
            try {
                byte[] sealed = Files.readAllBytes(spools.get(0));
                sealed[sealed.length / 3] ^= 4;
                Files.write(spools.get(0), sealed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Sent r;
        try {
            r = post(admin, "", MULTIPART, multipart(Map.of(last.getFileName().toString(), content), 64 * 1024), null, i -> { });
        } finally {
            onSpooled = spools -> { };
        }
        assertEquals(500, r.status(), String.valueOf(r.json()));
        assertEquals("upload-tampered", r.json().getString("code"));
        assertEquals(0, api.count("select count(*) from scan_files where sha256 = $1", sha), "nothing of the file was ingested");
        assertEquals(0, api.count("select count(*) from quarantine where file_sha256 = $1", sha));
        assertSpoolEmpty("a refused spool is deleted too");

        // sent again (what the uploader does), it is ingested
        r = post(admin, "", MULTIPART, multipart(Map.of(last.getFileName().toString(), content), 64 * 1024), null, i -> { });
        assertEquals(200, r.status(), String.valueOf(r.json()));
        assertTrue(r.json().getInteger("ingested") >= 1, r.json().encodePrettily());
        assertEquals(1, api.count("select count(*) from scan_files where sha256 = $1", sha));
        assertSpoolEmpty("after the upload");
    }

    @Test
    @Order(3)
    void anUploadOverTheLimitIs413AndLeavesNothing() throws Exception {
        byte[] big = new byte[(int) limit + 256 * 1024];
        new java.util.Random(7).nextBytes(big);
        big[0] = (byte) 0xff;
        big[1] = (byte) 0xd8;
        big[2] = (byte) 0xff;
        int before = opened.get();
        // streamed (no length given): refused part-way, once the limit is passed
        Sent r = post(admin, "", MULTIPART, multipart(Map.of("big.jpg", big), 256 * 1024), null, i -> { });
        assertEquals(413, r.status());
        assertEquals("upload-too-large", r.json().getString("code"), r.json().encode());
        assertTrue(r.json().getString("error").contains("MB"), r.json().encode());
        assertTrue(opened.get() > before, "the spool file had been started");
        assertSpoolEmpty("an over-limit upload leaves nothing");

        // with its length declared: refused before a byte is read
        before = opened.get();
        r = post(admin, "?name=big.jpg", "application/octet-stream", List.of(Buffer.buffer(big)), (long) big.length, i -> { });
        assertEquals(413, r.status());
        assertEquals("upload-too-large", r.json().getString("code"));
        assertEquals(before, opened.get(), "no spool file started");
        assertSpoolEmpty("nothing stored");
        assertEquals(0, api.count("select count(*) from scan_files where sha256 = $1", IngestPipeline.sha256(big)));
    }

    @Test
    @Order(4)
    void onlyAdminsGetAByteStoredAndTheRawFormIsSpooledToo() throws Exception {
        String marker = server.createUser("spool-marker-" + exam, "marker", exam);
        byte[] scan = Files.readAllBytes(scans.get(0));
        int before = opened.get();
        assertEquals(401, post(null, "", MULTIPART, multipart(Map.of("a.jpg", scan), 64 * 1024), null, i -> { }).status());
        Sent r = post(marker, "", MULTIPART, multipart(Map.of("a.jpg", scan), 64 * 1024), null, i -> { });
        assertEquals(403, r.status());
        assertEquals(before, opened.get(), "refused before any spool file was started");
        assertSpoolEmpty("nothing stored for a non-admin");

        // the raw-body form: spooled (and checked) the same way; the file was ingested already
        List<String> found = new CopyOnWriteArrayList<>();
        onSpooled = spools -> {
            try {
                found.addAll(SpoolProbe.plaintextIn(spoolDir, List.of(scan)));
                found.add("spools: " + spools.size());
            } catch (Exception e) {
                found.add(e.toString());
            }
        };
        try {
            r = post(admin, "?name=" + scans.get(0).getFileName(), "image/jpeg", List.of(Buffer.buffer(scan)), (long) scan.length, i -> { });
        } finally {
            onSpooled = spools -> { };
        }
        assertEquals(200, r.status(), String.valueOf(r.json()));
        assertEquals(r.json().getInteger("pages"), r.json().getInteger("duplicates"));
        assertEquals(List.of("spools: 1"), found);
        assertEquals(400, post(admin, "", "application/octet-stream", List.of(Buffer.buffer(scan)), (long) scan.length, i -> { }).status(),
                "a raw body needs ?name=");
        assertEquals(400, post(admin, "", MULTIPART, List.of(Buffer.buffer("--" + BOUNDARY + "--\r\n")), null, i -> { }).status(),
                "a multipart body without files");
        assertSpoolEmpty("after the raw upload");
    }

    @Test
    @Order(5)
    void aStartingNodeSweepsLeftoverSpoolFiles(@TempDir Path dataDir) throws Exception {
        Path uploads = Files.createDirectories(dataDir.resolve(SpoolFile.DIRECTORY));
        Files.write(uploads.resolve("6f1c0d3e9b2a4c5d.spool"), new byte[4096]);
        Files.write(uploads.resolve("0c8f7c1e-5d6b-4f0a-8e1d-2b3c4d5e6f70"), Files.readAllBytes(scans.get(0))); // BodyHandler's, plaintext
        Database.JdbcTarget db = server.app().context().database().jdbc();
        String url = db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@");
        try (TestServer node = TestServer.start(dataDir, Map.of("DATABASE_URL", url, "OPENMARKING_FACE_CHECKS", "off"))) {
            assertTrue(node.app().port() > 0);
            assertEquals(List.of(), SpoolProbe.files(uploads), "leftovers removed at start");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploads)));
        }
        assertFalse(Files.exists(uploads.resolve("6f1c0d3e9b2a4c5d.spool")));
    }
}

package org.openmarking.server.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.openmarking.server.TestServer;
import org.openmarking.server.crypto.DirectoryBlobStore;

/**
 * Ingest through the server's HTTP API, end to end: a layout and a registration, generated
 * scans (every distortion, every bad page) uploaded as an admin, then the database checked
 * against the generator's ground truth (each answer in a response of the right task, for the
 * right candidate), the quarantine listed, resolved and rejected, a duplicate upload a no-op,
 * a rescan keeping both pages, and a tampered scan refused and audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestServerTest {
    static final String EXAM = "ingt" + (System.nanoTime() % 100000);
    static final String LAYOUT = EXAM + "-math";
    static final List<String> WRITTEN = List.of("19", "20", "21", "22", "23", "24", "25");

    TestServer server;
    IngestApi api;
    String admin;
    Path generated;
    ScanManifest manifest;
    List<SampleScans.Sitting> sittings;
    BookletTemplate layout;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        server = TestServer.shared();
        api = new IngestApi(server);
        admin = server.adminToken();
        api.createExam(admin, EXAM, "mathematics");
        layout = BookletLayouts.standard(EXAM, "Mathematics (test)", WRITTEN);
        sittings = IngestApi.sittings("TM" + EXAM.substring(4), 4, 700100);
        generated = dir.resolve("gen");
        manifest = SampleScans.generate(layout, sittings, generated, new SampleScans.Options(0, 5, true, 0, SampleScans.DPI));
    }

    private List<Path> scans(boolean late) throws Exception {
        try (Stream<Path> s = Files.list(generated.resolve("scans"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("zz-") == late).sorted().toList();
        }
    }

    @Test
    @Order(1)
    void layoutsAreCheckedAgainstTheExamsWrittenItems() {
        JsonObject good = JsonObject.mapFrom(layout);
        TestServer.Reply noAuth = api.put("/api/v1/ingest/layouts/" + LAYOUT, "nonsense", new JsonObject());
        assertEquals(401, noAuth.status());
        String marker = server.createUser("ingest-marker-" + EXAM, "marker", EXAM);
        assertEquals(403, api.put("/api/v1/ingest/layouts/" + LAYOUT, marker, new JsonObject().put("subject", "mathematics")
                .put("layout", good)).status());

        BookletTemplate missing = BookletLayouts.standard(EXAM, "t", WRITTEN.subList(0, 6));
        TestServer.Reply r = api.put("/api/v1/ingest/layouts/" + LAYOUT, admin, new JsonObject().put("subject", "mathematics")
                .put("layout", JsonObject.mapFrom(missing)));
        assertEquals(400, r.status());
        assertTrue(r.error().contains("[25]"), r.error());
        BookletTemplate closed = BookletLayouts.standard(EXAM, "t", List.of("1", "19", "20", "21", "22", "23", "24", "25"));
        r = api.put("/api/v1/ingest/layouts/" + LAYOUT, admin, new JsonObject().put("subject", "mathematics").put("layout", JsonObject.mapFrom(closed)));
        assertEquals(400, r.status());
        assertTrue(r.error().contains("'1' is not a written item"), r.error());
        r = api.put("/api/v1/ingest/layouts/" + LAYOUT, admin, new JsonObject().put("subject", "mathematics")
                .put("layout", good.copy().put("markerSizeMm", 20)));
        assertEquals(400, r.status(), "another frame");
        assertEquals(0, api.count("select count(*) from booklet_templates where id = $1", LAYOUT), "refusals change nothing");

        assertEquals(201, api.put("/api/v1/ingest/layouts/" + LAYOUT, admin, new JsonObject().put("subject", "mathematics").put("layout", good)).status());
        r = api.put("/api/v1/ingest/layouts/" + LAYOUT, admin, new JsonObject().put("subject", "mathematics").put("layout", good));
        assertEquals(200, r.status());
        assertEquals("unchanged", r.json().getString("saved"));
    }

    @Test
    @Order(2)
    void registrationIsValidatedAllOrNothingAndRepeatable() {
        String path = "/api/v1/ingest/exams/" + EXAM + "/candidates";
        JsonObject body = IngestApi.registration(sittings, LAYOUT);
        JsonObject bad = body.copy();
        bad.getJsonArray("candidates").getJsonObject(1).remove("fin");
        bad.getJsonArray("candidates").getJsonObject(2).put("workNumber", "no spaces allowed");
        TestServer.Reply r = server.post(path, admin, bad);
        assertEquals(400, r.status());
        assertTrue(r.error().contains("candidates[1].fin is required") && r.error().contains("candidates[2].workNumber is not valid"), r.error());
        JsonObject unknownLayout = IngestApi.registration(sittings, "no-such-layout");
        assertEquals(400, server.post(path, admin, unknownLayout).status());
        assertEquals(0, api.count("select count(*) from booklets where exam_id = $1", EXAM));

        r = server.post(path, admin, body);
        assertEquals(200, r.status(), r.error());
        assertEquals(sittings.size(), r.json().getInteger("created"));
        assertEquals(sittings.size(), r.json().getInteger("bookletsIssued"));
        r = server.post(path, admin, body);
        assertEquals(200, r.status());
        assertEquals(sittings.size(), r.json().getInteger("unchanged"));
        assertEquals(0, r.json().getInteger("bookletsIssued"));

        JsonObject clash = IngestApi.registration(sittings.subList(0, 1), LAYOUT);
        clash.getJsonArray("candidates").getJsonObject(0).put("fullName", "Somebody Else");
        assertEquals(409, server.post(path, admin, clash).status());
        JsonObject stolen = IngestApi.registration(List.of(new SampleScans.Sitting(sittings.get(0).bookletId(), "New Person", "799999")), LAYOUT);
        r = server.post(path, admin, stolen);
        assertEquals(409, r.status());
        assertTrue(r.error().contains("already issued"), r.error());
        assertEquals(sittings.size(), api.count("select count(*) from identity.candidates where exam_id = $1", EXAM));
    }

    @Test
    @Order(3)
    void uploadedScansLandAsResponsesOfTheRightCandidatesAndBadPagesInQuarantine() throws Exception {
        assertEquals(401, api.upload(null, scans(false), false).status());
        String marker = server.createUser("ingest-marker2-" + EXAM, "marker", EXAM);
        assertEquals(403, api.upload(marker, scans(false), false).status());

        TestServer.Reply r = api.upload(admin, scans(false), false);
        assertEquals(200, r.status(), r.error());
        JsonObject s = r.json();
        long expectIngested = manifest.files().stream().filter(f -> !f.file().startsWith("zz-"))
                .flatMap(f -> f.pages().stream()).filter(p -> p.expect().equals("INGESTED")).count();
        assertEquals(expectIngested, (long) s.getInteger("ingested"), s.encodePrettily());
        JsonObject byReason = s.getJsonObject("quarantined").getJsonObject("byReason");
        assertEquals(2, byReason.getInteger("UNREADABLE_FILE"));
        for (String reason : List.of("NO_FIDUCIALS", "UNREADABLE_CODE", "UNKNOWN_BOOKLET", "PAGE_OUT_OF_RANGE", "UNKNOWN_EXAM")) {
            assertEquals(1, byReason.getInteger(reason), reason + " in " + byReason);
        }
        // the late files: the same file again (no-op) and another scan of an ingested page (quarantined)
        r = api.upload(admin, scans(true), false);
        assertEquals(1, r.json().getInteger("duplicates"), r.json().encodePrettily());
        assertEquals(1, r.json().getJsonObject("quarantined").getJsonObject("byReason").getInteger("DUPLICATE_PAGE"));

        checkResponsesAgainstManifest();
        // uploads are spooled encrypted and deleted as each request ends (IngestUploadSpoolTest looks closer)
        assertEquals(List.of(), SpoolProbe.files(server.dataDir().resolve(SpoolFile.DIRECTORY)), "spool folder empty after the uploads");
        assertEquals(1, api.count("select count(*) from audit_log where action = 'ingest.scans.uploaded' and detail->>'ingested' = $1",
                Long.toString(expectIngested)));
    }

    /** Every box of every ingested page: one open response of the right task, right candidate, right content. */
    private void checkResponsesAgainstManifest() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(server.app().context().config().blobsDir());
        int checked = 0;
        for (ScanManifest.FileEntry f : manifest.files()) {
            for (ScanManifest.PageEntry p : f.pages()) {
                if (!p.expect().equals("INGESTED") || f.file().startsWith("zz-")) {
                    continue;
                }
                List<Row> rows = new ArrayList<>();
                api.sql("select r.id, r.task_id, r.likely_blank, r.school_code, r.region_code, c.work_number, r.status, r.blob_ref, b.kind "
                        + "from identity.response_origins o join responses r on r.id = o.response_id "
                        + "join identity.candidates c on c.id = o.candidate_id join blobs b on b.ref = r.blob_ref "
                        + "join pages pg on pg.id = o.page_id "
                        + "where o.booklet_id = $1 and o.page_number = $2 and pg.in_use", p.bookletId(), p.page()).forEach(rows::add);
                assertEquals(p.boxes().size(), rows.size(), f.file() + ": one response per answer box");
                Map<String, String> byContent = new HashMap<>();
                for (Row row : rows) {
                    assertEquals(p.workNumber(), row.getString(5), "right candidate");
                    assertEquals("open", row.getString(6));
                    assertEquals("response", row.getString(8));
                    assertTrue(row.getString(1).startsWith(EXAM + ".mathematics."), row.getString(1));
                    int i = sittings.stream().map(SampleScans.Sitting::workNumber).toList().indexOf(p.workNumber());
                    assertEquals("S" + (i % 3), row.getString(3), "school code copied for allocation exclusions");
                    assertEquals("R" + (i % 2), row.getString(4));
                    byte[] jpeg = server.app().context().blobs().get(row.getString(7)).orElseThrow();
                    Mat crop = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_GRAYSCALE);
                    String item = row.getString(1).substring(row.getString(1).lastIndexOf('.') + 1);
                    String want = SampleScans.contents(p).get(item);
                    assertNotNull(want, "item " + item + " is on page " + p.page());
                    if (want.equals(ScanManifest.BLANK)) {
                        assertTrue(row.getBoolean(2), f.file() + " item " + item + " is blank");
                    } else {
                        assertEquals(Optional.of(want), IngestFixture.tag(crop), f.file() + " item " + item);
                        assertFalse(row.getBoolean(2));
                    }
                    assertFalse(IngestFixture.containsCanary(crop, 200), "no identity pixels in a response");
                    byContent.put(item, want);
                    checked++;
                }
                assertEquals(p.boxes().size(), byContent.size());
            }
        }
        assertTrue(checked >= 20, "checked " + checked);
        for (ScanManifest.FileEntry f : manifest.files()) {
            String sha = IngestPipeline.sha256(Files.readAllBytes(generated.resolve("scans").resolve(f.file())));
            assertTrue(store.exists("scan-" + sha), "original of " + f.file() + " kept encrypted");
            assertEquals(1, api.count("select count(*) from blobs where ref = $1 and kind = 'page'", "scan-" + sha));
        }
    }

    @Test
    @Order(4)
    void quarantineIsListedResolvedByHandAndRejected() throws Exception {
        JsonArray open = server.get("/api/v1/ingest/quarantine", admin).json().getJsonArray("quarantine");
        Map<String, JsonObject> byFile = new HashMap<>();
        open.stream().map(JsonObject.class::cast).filter(q -> generatedFile(q.getString("fileName"))).forEach(q -> byFile.put(q.getString("fileName"), q));
        assertEquals(8, byFile.size(), open.encodePrettily());
        assertEquals("UNKNOWN_BOOKLET", byFile.get("x-unknown-booklet.jpg").getString("reason"));
        assertEquals("B99999", byFile.get("x-unknown-booklet.jpg").getJsonObject("read").getString("booklet"));

        // the page code was read but the booklet was not registered: register it, then assign by hand
        long unknown = byFile.get("x-unknown-booklet.jpg").getLong("id");
        TestServer.Reply r = server.post("/api/v1/ingest/quarantine/" + unknown + "/resolve", admin,
                new JsonObject().put("booklet", "B99999").put("page", 1));
        assertEquals(400, r.status(), "not issued yet");
        assertEquals(200, server.post("/api/v1/ingest/exams/" + EXAM + "/candidates", admin,
                IngestApi.registration(List.of(new SampleScans.Sitting("B99999", "Late Registered", "708888")), LAYOUT)).status());
        r = server.post("/api/v1/ingest/quarantine/" + unknown + "/resolve", admin, new JsonObject().put("booklet", "B99999").put("page", 1));
        assertEquals(200, r.status(), r.error());
        assertEquals("INGESTED", r.json().getString("outcome"));
        assertEquals(layout.page(1).orElseThrow().items().size(), r.json().getInteger("responses"));
        assertEquals(4, api.count("select count(*) from identity.response_origins o join identity.candidates c on c.id = o.candidate_id "
                + "where c.work_number = '708888' and o.booklet_id = 'B99999'"));
        assertEquals(409, server.post("/api/v1/ingest/quarantine/" + unknown + "/resolve", admin,
                new JsonObject().put("booklet", "B99999").put("page", 1)).status(), "already resolved");

        // a blotted code: assigning it to a page already in use needs "replace"
        long blotted = byFile.get("x-code-blotted.jpg").getLong("id");
        String booklet = sittings.get(1).bookletId();
        r = server.post("/api/v1/ingest/quarantine/" + blotted + "/resolve", admin, new JsonObject().put("booklet", booklet).put("page", 1));
        assertEquals(409, r.status());
        assertEquals("still-quarantined", r.json().getString("code"));
        assertTrue(r.error().contains("DUPLICATE_PAGE"), r.error());
        long before = api.count("select count(*) from responses r join identity.response_origins o on o.response_id = r.id "
                + "where o.booklet_id = $1 and r.status = 'open'", booklet);
        r = server.post("/api/v1/ingest/quarantine/" + blotted + "/resolve", admin,
                new JsonObject().put("booklet", booklet).put("page", 1).put("replace", true));
        assertEquals(200, r.status(), r.error());
        assertEquals("RESCANNED", r.json().getString("outcome"));
        assertEquals(2, api.count("select count(*) from pages where booklet_id = $1 and page_number = 1", booklet), "both scans kept");
        assertEquals(before, api.count("select count(*) from responses r join identity.response_origins o on o.response_id = r.id "
                + "where o.booklet_id = $1 and r.status = 'open'", booklet), "old page's responses withdrawn, new ones open");
        assertEquals(4, api.count("select count(*) from responses r join identity.response_origins o on o.response_id = r.id "
                + "where o.booklet_id = $1 and o.page_number = 1 and r.status = 'withdrawn'", booklet));

        // no corner markers: nothing to cut
        long noFiducials = byFile.get("x-no-fiducials.jpg").getLong("id");
        assertEquals(409, server.post("/api/v1/ingest/quarantine/" + noFiducials + "/resolve", admin,
                new JsonObject().put("booklet", booklet).put("page", 2)).status());
        assertEquals(400, server.post("/api/v1/ingest/quarantine/" + noFiducials + "/reject", admin, new JsonObject()).status());
        r = server.post("/api/v1/ingest/quarantine/" + noFiducials + "/reject", admin, new JsonObject().put("note", "blank sheet"));
        assertEquals(200, r.status(), r.error());
        assertEquals(409, server.post("/api/v1/ingest/quarantine/" + noFiducials + "/reject", admin, new JsonObject().put("note", "again")).status());
        assertEquals(404, server.post("/api/v1/ingest/quarantine/99999999/reject", admin, new JsonObject().put("note", "x")).status());
        assertTrue(server.get("/api/v1/ingest/quarantine?status=rejected", admin).json().getJsonArray("quarantine").stream()
                .map(JsonObject.class::cast).anyMatch(q -> q.getLong("id") == noFiducials && q.getString("resolution").contains("blank sheet")));
        assertEquals(2, api.count("select count(*) from audit_log where action = 'ingest.quarantine.resolved' and subject = any($1)",
                (Object) new String[] {"quarantine/" + unknown, "quarantine/" + blotted}));
        assertEquals(1, api.count("select count(*) from audit_log where action = 'ingest.quarantine.rejected' and subject = $1",
                "quarantine/" + noFiducials));
        String marker = server.createUser("ingest-marker3-" + EXAM, "marker", EXAM);
        assertEquals(403, server.get("/api/v1/ingest/quarantine", marker).status());
    }

    @Test
    @Order(5)
    void aRepeatedUploadChangesNothingAndARescanKeepsBoth() throws Exception {
        long responses = api.count("select count(*) from responses");
        long pages = api.count("select count(*) from pages");
        Path first = scans(false).stream().filter(p -> p.getFileName().toString().startsWith("b")).findFirst().orElseThrow();
        TestServer.Reply r = api.uploadRaw(admin, first);
        assertEquals(200, r.status(), r.error());
        assertEquals(r.json().getInteger("pages"), r.json().getInteger("duplicates"));
        assertEquals(responses, api.count("select count(*) from responses"));
        assertEquals(pages, api.count("select count(*) from pages"));

        ScanManifest.PageEntry target = manifest.files().stream().filter(f -> f.file().equals("zz-rescan.jpg")).findFirst().orElseThrow()
                .pages().get(0);
        r = api.upload(admin, List.of(generated.resolve("scans/zz-rescan.jpg")), true);
        assertEquals(200, r.status(), r.error());
        assertEquals(1, r.json().getInteger("rescanned"), r.json().encodePrettily());
        assertEquals(2, api.count("select count(*) from pages where booklet_id = $1 and page_number = $2", target.bookletId(), target.page()));
        assertEquals(1, api.count("select count(*) from pages where booklet_id = $1 and page_number = $2 and in_use", target.bookletId(), target.page()));
        assertEquals(1, api.count("select count(*) from quarantine q join scan_files f on f.sha256 = q.file_sha256 "
                + "where f.file_name = 'zz-rescan.jpg' and q.status = 'resolved'"), "the earlier quarantine entry is released");
        // the new page's responses are the rescan's contents
        for (Row row : api.sql("select r.id, r.task_id from identity.response_origins o join responses r on r.id = o.response_id "
                + "join pages pg on pg.id = o.page_id where pg.in_use and o.booklet_id = $1 and o.page_number = $2", target.bookletId(), target.page())) {
            String item = row.getString(1).substring(row.getString(1).lastIndexOf('.') + 1);
            String want = SampleScans.contents(target).get(item);
            if (!want.equals(ScanManifest.BLANK)) {
                Mat crop = Imgcodecs.imdecode(new MatOfByte(server.app().context().blobs().get(row.getString(0)).orElseThrow()),
                        Imgcodecs.IMREAD_GRAYSCALE);
                assertEquals(Optional.of(want), IngestFixture.tag(crop));
            }
        }
        JsonObject summary = server.get("/api/v1/ingest/exams/" + EXAM + "/summary", admin).json();
        assertEquals(sittings.size() + 1, summary.getInteger("candidates"));
        assertEquals(2, summary.getJsonObject("pages").getInteger("replaced"));
    }

    @Test
    @Order(6)
    void aTamperedScanIsRefusedAndAudited() throws Exception {
        JsonObject entry = server.get("/api/v1/ingest/quarantine", admin).json().getJsonArray("quarantine").stream()
                .map(JsonObject.class::cast).filter(q -> "x-unknown-exam.jpg".equals(q.getString("fileName"))).findFirst().orElseThrow();
        TestServer.Reply r = server.get("/api/v1/ingest/quarantine/" + entry.getLong("id") + "/scan", admin);
        assertEquals(200, r.status());
        assertArrayEquals(Files.readAllBytes(generated.resolve("scans/x-unknown-exam.jpg")), r.raw().body().getBytes(), "the original file");

        Path blob = new DirectoryBlobStore(server.app().context().config().blobsDir()).pathOf("scan-" + entry.getString("fileSha256"));
        byte[] sealed = Files.readAllBytes(blob);
        sealed[sealed.length / 2] ^= 1;
        blob.toFile().setWritable(true);
        Files.write(blob, sealed);
        r = server.get("/api/v1/ingest/quarantine/" + entry.getLong("id") + "/scan", admin);
        assertEquals(500, r.status());
        assertEquals("blob-tampered", r.json().getString("code"));
        assertEquals(1, api.count("select count(*) from audit_log where action = 'blob.tampered' and subject = $1",
                "scan-" + entry.getString("fileSha256")));
    }

    private boolean generatedFile(String name) {
        return manifest.files().stream().anyMatch(f -> f.file().equals(name)) && !name.startsWith("zz-dup");
    }
}

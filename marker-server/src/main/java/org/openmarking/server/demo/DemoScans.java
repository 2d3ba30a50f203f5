package org.openmarking.server.demo;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openmarking.server.ingest.BookletLayouts;
import org.openmarking.server.ingest.BookletTemplate;
import org.openmarking.server.ingest.SampleScans;

/**
 * The demo exam's answer booklets, through the real ingest path: a layout per subject from the
 * scheme's written items, {@value #CANDIDATES} registered candidates with one booklet per
 * subject, booklets printed and "scanned" by the sample-scan generator (200 dpi, every scanner
 * distortion, a few bad pages in mathematics so the quarantine has entries of every reason),
 * and the scans uploaded to {@code POST /api/v1/ingest/scans} as the admin. So every written
 * task gets {@value #CANDIDATES} responses to mark.
 *
 * <p>Everything is kept under {@code <data>/scans}; a marker file records a finished run, and
 * an interrupted run simply repeats (layouts and registration are idempotent, generated files
 * are reused, uploaded pages come back as duplicates).
 */
final class DemoScans {
    static final int CANDIDATES = 100;
    static final int DPI = 200;
    private static final String SCHEME = "admission-2026";
    private static final int FILES_PER_UPLOAD = 40;
    private static final String[] FIRST = {"Aysel", "Murad", "Leyla", "Elvin", "Nigar", "Rauf", "Gunel", "Tural", "Sevinc",
        "Kamran", "Aynur", "Farid", "Lala", "Orxan", "Zaur", "Sabina"};
    private static final String[] LAST = {"Mammadli", "Aliyev", "Huseynli", "Guliyev", "Hasanli", "Abbasov", "Ismayilli", "Rzayev",
        "Karimli", "Safarov"};

    private final WebClient client;
    private final String admin;
    private final Path dir;

    private DemoScans(WebClient client, String admin, Path dir) {
        this.client = client;
        this.admin = admin;
        this.dir = dir;
    }

    /** Sets up the demo exam's scans unless a previous run finished; returns a one-line account. */
    static String setUp(WebClient client, String admin, Path dir) throws IOException, InterruptedException {
        Path done = dir.resolve("ingested.ok");
        if (Files.exists(done)) {
            return Files.readString(done).strip();
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        String line = new DemoScans(client, admin, dir).run();
        line += String.format(" (%.0f s)", (System.nanoTime() - t0) / 1e9);
        Files.writeString(done, line + "\n");
        return line;
    }

    private String run() throws IOException, InterruptedException {
        Map<String, BookletTemplate> layouts = layouts();
        List<Candidate> candidates = candidates();
        register(layouts, candidates);
        generate(layouts, candidates);
        JsonObject total = new JsonObject().put("ingested", 0).put("duplicates", 0).put("quarantined", 0);
        for (String subject : layouts.keySet()) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir.resolve(subject).resolve("scans"))) {
                files = s.sorted().toList();
            }
            // Late files (a copy and a second scan of an ingested page) go after the rest, as a
            // board's second delivery would.
            List<Path> first = files.stream().filter(p -> !p.getFileName().toString().startsWith("zz-")).toList();
            List<Path> late = files.stream().filter(p -> p.getFileName().toString().startsWith("zz-")).toList();
            for (int i = 0; i < first.size(); i += FILES_PER_UPLOAD) {
                add(total, upload(first.subList(i, Math.min(first.size(), i + FILES_PER_UPLOAD))));
            }
            if (!late.isEmpty()) {
                add(total, upload(late));
            }
        }
        return String.format("scans: %d pages ingested, %d duplicates, %d quarantined (GET /api/v1/ingest/quarantine)",
                total.getInteger("ingested"), total.getInteger("duplicates"), total.getInteger("quarantined"));
    }

    /** One layout per subject of the scheme, its written items in order. */
    private Map<String, BookletTemplate> layouts() {
        JsonObject scheme = call(client.get("/api/v1/exams/schemes").bearerTokenAuthentication(admin).send(), 200, "schemes")
                .getJsonArray("schemes").stream().map(JsonObject.class::cast).filter(s -> s.getString("id").equals(SCHEME))
                .findFirst().orElseThrow(() -> new IllegalStateException("scheme " + SCHEME + " is not loaded"));
        Map<String, BookletTemplate> out = new LinkedHashMap<>();
        for (Object o : scheme.getJsonArray("subjects")) {
            JsonObject subject = (JsonObject) o;
            List<String> written = subject.getJsonArray("items").stream().map(JsonObject.class::cast)
                    .filter(i -> i.getString("type").equals("written")).map(i -> Integer.toString(i.getInteger("number"))).toList();
            if (written.isEmpty()) {
                continue;
            }
            String id = subject.getString("id");
            BookletTemplate layout = BookletLayouts.standard(Demo.EXAM, subject.getString("name"), written);
            JsonObject body = new JsonObject().put("subject", id).put("layout", JsonObject.mapFrom(layout));
            HttpResponse<Buffer> res = await(client.put("/api/v1/ingest/layouts/" + layoutId(id)).bearerTokenAuthentication(admin).sendJsonObject(body));
            if (res.statusCode() != 200 && res.statusCode() != 201) {
                throw new IllegalStateException("layout " + id + ": " + res.statusCode() + " " + res.bodyAsString());
            }
            out.put(id, layout);
        }
        return out;
    }

    private static String layoutId(String subject) {
        return Demo.EXAM + "-" + subject;
    }

    private record Candidate(String name, String workNumber, String fin, String school, String region) {
        String booklet(String subject) {
            return bookletPrefix(subject) + "-" + workNumber;
        }
    }

    private static String bookletPrefix(String subject) {
        return switch (subject) {
            case "foreign-language" -> "FL";
            case "native-language" -> "NL";
            case "mathematics" -> "MA";
            default -> subject.substring(0, 2).toUpperCase();
        };
    }

    /** The same candidates on every run (fixed seed), spread over schools and the markers' regions R0-R2. */
    private static List<Candidate> candidates() {
        Random rnd = new Random(2026);
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < CANDIDATES; i++) {
            out.add(new Candidate(FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)],
                    Integer.toString(260001 + i), String.format("D26%04X", 0x1000 + rnd.nextInt(0xE000)) + i,
                    String.format("SCH%02d", 1 + rnd.nextInt(12)), "R" + (i % 3)));
        }
        return out;
    }

    private void register(Map<String, BookletTemplate> layouts, List<Candidate> candidates) {
        JsonArray list = new JsonArray();
        for (Candidate c : candidates) {
            JsonArray booklets = new JsonArray();
            layouts.keySet().forEach(s -> booklets.add(new JsonObject().put("id", c.booklet(s)).put("template", layoutId(s))));
            list.add(new JsonObject().put("workNumber", c.workNumber()).put("fin", c.fin()).put("fullName", c.name())
                    .put("schoolCode", c.school()).put("regionCode", c.region()).put("booklets", booklets));
        }
        call(client.post("/api/v1/ingest/exams/" + Demo.EXAM + "/candidates").bearerTokenAuthentication(admin)
                .sendJsonObject(new JsonObject().put("candidates", list)), 200, "registration");
    }

    /** Prints and scans every subject's booklets on two threads, reusing what an earlier run wrote. */
    private void generate(Map<String, BookletTemplate> layouts, List<Candidate> candidates) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
        long seed = 1;
        for (Map.Entry<String, BookletTemplate> e : layouts.entrySet()) {
            String subject = e.getKey();
            Path out = dir.resolve(subject);
            if (Files.exists(out.resolve("manifest.json"))) {
                continue;
            }
            List<SampleScans.Sitting> sittings = candidates.stream()
                    .map(c -> new SampleScans.Sitting(c.booklet(subject), c.name(), c.workNumber())).toList();
            SampleScans.Options options = new SampleScans.Options(0, seed++, subject.equals("mathematics"), 0, DPI);
            jobs.add(pool.submit(() -> {
                SampleScans.generate(e.getValue(), sittings, out.resolveSibling(subject + ".tmp"), options);
                Files.move(out.resolveSibling(subject + ".tmp"), out);
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (var job : jobs) {
                job.get();
            }
        } catch (java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException("generating the demo scans failed", ex.getCause());
        } finally {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private JsonObject upload(List<Path> files) throws IOException {
        MultipartForm form = MultipartForm.create();
        for (Path f : files) {
            form.binaryFileUpload("scan", f.getFileName().toString(), Buffer.buffer(Files.readAllBytes(f)), "application/octet-stream");
        }
        return call(client.post("/api/v1/ingest/scans").bearerTokenAuthentication(admin).timeout(TimeUnit.MINUTES.toMillis(10))
                .sendMultipartForm(form), 200, "upload");
    }

    private static void add(JsonObject total, JsonObject summary) {
        total.put("ingested", total.getInteger("ingested") + summary.getInteger("ingested") + summary.getInteger("rescanned"));
        total.put("duplicates", total.getInteger("duplicates") + summary.getInteger("duplicates"));
        total.put("quarantined", total.getInteger("quarantined") + summary.getJsonObject("quarantined").getInteger("total"));
    }

    private static JsonObject call(Future<HttpResponse<Buffer>> f, int expected, String what) {
        HttpResponse<Buffer> res = await(f);
        if (res.statusCode() != expected) {
            throw new IllegalStateException(what + " answered " + res.statusCode() + ": " + res.bodyAsString());
        }
        return res.bodyAsJsonObject();
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

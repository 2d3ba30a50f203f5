package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openmarking.server.TestServer;

/**
 * The marking load benchmark ({@code scripts/bench-marking.sh}): N simulated markers over HTTPS on
 * loopback, each asking for work and marking it at once (no think time), against one node on the
 * embedded database; and, in the same run and on the same database, the raw rate of single-row
 * insert-and-commit transactions as the baseline.
 *
 * <p>Setup writes users and sessions straight into the database (hashing 500 passwords with Argon2
 * would take minutes and measure nothing about marking). The task double-marks and injects seeds
 * one in 20, which the simulated markers mark correctly, so allocation, seeding, resolution and
 * the audit log all run as in production; images are not fetched.
 *
 * <p>With a target rate the markers think between answers (exponential pauses, mean markers/rate
 * seconds), so latency is measured at an offered load the server can carry; without one they
 * never pause, which measures throughput and makes latency the queue (Little's law: 500 markers
 * at X marks/s wait about 500 / X seconds a cycle, so p99 under 50 ms with 500 markers and no
 * pause would take some 5,000 marks/s).
 *
 * <p>usage: MarkingBench [markers=500] [seconds=30] [warmup seconds=30] [db pool size=16] [target marks/s, 0 = no pauses]
 */
public final class MarkingBench {
    private static final Map<String, Integer> ERRORS = new java.util.concurrent.ConcurrentHashMap<>();
    /** The load generator's threads (its event loops, where every request and callback runs), to tell its CPU from the server's. */
    private static final java.util.Set<Long> GENERATOR_THREADS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final String GENERATOR = "load generator";

    public static void main(String[] args) throws Exception {
        int markers = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int poolSize = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        double target = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        java.util.logging.LogManager.getLogManager().reset();

        Map<String, String> settings = new HashMap<>(Map.of("OPENMARKING_FACE_CHECKS", "off", "OPENMARKING_DB_POOL_SIZE", Integer.toString(poolSize)));
        // DATABASE_URL runs the benchmark on an external PostgreSQL (e.g. one with pg_stat_statements, to see where time goes).
        Optional.ofNullable(System.getenv("DATABASE_URL")).ifPresent(url -> settings.put("DATABASE_URL", url));
        TestServer server = TestServer.start(Files.createTempDirectory("openmarking-bench"), settings);
        try {
            run(server, markers, seconds, warmup, poolSize, target);
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private static void run(TestServer server, int markers, int seconds, int warmup, int poolSize, double target) throws Exception {
        Pool pool = server.app().context().database().pool();
        String admin = server.adminToken();
        String exam = "bench" + (System.currentTimeMillis() % 100000);
        String task = server.post("/api/v1/exams", admin, new JsonObject().put("id", exam).put("scheme", "state-language-2026"))
                .json().getJsonArray("tasks").getString(0);
        server.post("/api/v1/exams/tasks/" + task + "/criteria", admin, new JsonObject().put("clauses", new JsonArray()
                .add(new JsonObject().put("number", 1).put("text", "full").put("mark", "1"))));
        server.call(io.vertx.core.http.HttpMethod.PUT, "/api/v1/quality/tasks/" + task + "/settings", admin, new JsonObject()
                .put("calibration", new JsonObject().put("required", false)).put("seeding", new JsonObject().put("meanInterval", 20))
                .put("lease", new JsonObject().put("concurrentLimit", 1)).put("exclusions", new JsonArray()));

        // Enough responses that nobody runs dry: double marking, a generous 3000 marks/s.
        int responses = Math.max(20_000, 3000 * (seconds + warmup) / 2);
        TestServer.await(pool.preparedQuery("insert into blobs (ref, kind, key_id, size_bytes) values ('bench-image', 'response', 'bench', 1)").execute());
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < responses; i++) {
            rows.add(Tuple.of(String.format("B%019d", i), task));
            if (rows.size() == 5000 || i == responses - 1) {
                TestServer.await(pool.preparedQuery("insert into responses (id, task_id, blob_ref, marks_needed) values ($1, $2, 'bench-image', 2)")
                        .executeBatch(rows));
                rows.clear();
            }
        }
        Map<String, String> seeds = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String id = String.format("S%019d", i);
            TestServer.await(pool.preparedQuery("insert into responses (id, task_id, blob_ref, status) values ($1, $2, 'bench-image', 'reference')")
                    .execute(Tuple.of(id, task)));
            TestServer.await(pool.preparedQuery("insert into seeds (task_id, response_id, definitive_sixths) values ($1, $2, 6)").execute(Tuple.of(task, id)));
            seeds.put(id, "1");
        }
        String[] tokens = new String[markers];
        for (int i = 0; i < markers; i++) {
            UUID id = UUID.randomUUID();
            tokens[i] = "bench-token-" + UUID.randomUUID();
            TestServer.await(pool.preparedQuery("insert into users (id, username, display_name, password_hash) values ($1, $2, $2, 'x')")
                    .execute(Tuple.of(id, "bench-" + i + "-" + exam)));
            TestServer.await(pool.preparedQuery("insert into user_roles (user_id, role, scope) values ($1, 'marker', $2)").execute(Tuple.of(id, task)));
            TestServer.await(pool.preparedQuery("insert into sessions (token_hash, user_id, expires_at) values ($1, $2, now() + interval '1 day')")
                    .execute(Tuple.of(Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(tokens[i].getBytes(StandardCharsets.UTF_8))), id)));
        }
        // As autovacuum would soon after an ingest: plans chosen on an empty database's statistics
        // (and cached by every pooled connection) are not what a running exam gets.
        TestServer.await(pool.query("analyze").execute());
        System.out.printf("setup: %d responses, %d seeds, %d markers; db pool %d%n", responses, seeds.size(), markers, poolSize);

        double commits = baseline(pool, poolSize, 5);
        System.out.printf("baseline: %.0f single-row insert-and-commit transactions/s (%d concurrent, same database, 5 s)%n", commits, poolSize * 2);

        Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebClient web = WebClient.create(client, new WebClientOptions().setSsl(true).setVerifyHost(true).setProtocolVersion(HttpVersion.HTTP_1_1)
                .setTrustOptions(new PemTrustOptions().addCertPath(server.app().tls().caCert().toString()))
                .setDefaultHost("localhost").setDefaultPort(server.app().port()).setKeepAlive(true)
                .setSslHandshakeTimeout(120).setIdleTimeout(0),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(markers));
        // The floor: one marker alone, one request at a time.
        Recorder soloNext = new Recorder();
        Recorder soloMark = new Recorder();
        for (int i = 0; i < 40; i++) {
            long t0 = System.nanoTime();
            JsonObject w = TestServer.await(send(web, "/api/v1/marking/tasks/" + task + "/next", tokens[0], new JsonObject())).bodyAsJsonObject();
            long t1 = System.nanoTime();
            TestServer.await(send(web, "/api/v1/marking/marks", tokens[0], new JsonObject().put("id", UUID.randomUUID().toString())
                    .put("responseId", w.getString("responseId")).put("mark", seeds.getOrDefault(w.getString("responseId"), "1/2"))
                    .put("criteriaVersion", w.getInteger("criteriaVersion"))));
            if (i >= 10) {
                soloNext.add(t1 - t0);
                soloMark.add(System.nanoTime() - t1);
            }
        }
        System.out.printf("one marker alone: next p50 %.1f ms, mark p50 %.1f ms%n", soloNext.percentile(50), soloMark.percentile(50));
        // Markers keep their connection for hours: open all of them (TLS handshakes) before measuring.
        long h0 = System.nanoTime();
        List<Future<HttpResponse<Buffer>>> opened = new ArrayList<>();
        for (int i = 0; i < markers; i++) {
            // A refused or dropped connection is counted by the loops later, not fatal here.
            opened.add(web.get("/api/v1/marking/tasks").bearerTokenAuthentication(tokens[i]).send().recover(e -> Future.succeededFuture()));
        }
        TestServer.await(Future.join(opened));
        System.out.printf("connections: %d opened in %.1f s%n", markers, (System.nanoTime() - h0) / 1e9);
        Recorder next = new Recorder();
        Recorder mark = new Recorder();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong errors = new AtomicLong();
        AtomicLong empty = new AtomicLong();
        AtomicInteger seedsMarked = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(markers);
        // Mean pause between one answer and the next request, per marker; 0 when the markers never pause.
        double thinkMillis = target > 0 ? markers * 1000.0 / target : 0;
        for (int i = 0; i < markers; i++) {
            String token = tokens[i];
            Runnable loop = new Runnable() {
                @Override
                public void run() {
                    loop(web, task, token, seeds, next, mark, measuring, stop, errors, empty, seedsMarked, finished, () -> {
                        if (thinkMillis <= 0) {
                            this.run();
                        } else {
                            client.setTimer(Math.max(1, Math.round(-thinkMillis * Math.log(1 - java.util.concurrent.ThreadLocalRandom.current().nextDouble()))),
                                    id -> this.run());
                        }
                    });
                }
            };
            client.runOnContext(v -> loop.run());
        }
        Thread.sleep(warmup * 1000L);
        long marksBefore = count(pool, task);
        measuring.set(true);
        long cpu0 = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        Map<String, Long> threads0 = threadCpuByKind();
        long postgres0 = postgresCpu();
        long t0 = System.nanoTime();
        if (System.getenv("BENCH_DIAG") != null) {
            // Where the database's sessions wait, sampled every 100 ms: tells lock waits from CPU from I/O.
            Map<String, Integer> waits = new java.util.TreeMap<>();
            for (int i = 0; i < seconds * 10; i++) {
                for (io.vertx.sqlclient.Row r : TestServer.await(pool.query("select coalesce(wait_event_type, 'cpu') || ':' || "
                        + "coalesce(wait_event, '-') || ' ' || state || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                        + "from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()").execute())) {
                    waits.merge(r.getString(0), 1, Integer::sum);
                }
                Thread.sleep(100);
            }
            waits.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
                    .forEach(e -> System.out.printf("%6d  %s%n", e.getValue(), e.getKey()));
        } else {
            Thread.sleep(seconds * 1000L);
        }
        measuring.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L) - cpu0;
        Map<String, Long> threadsCpu = threadCpuByKind();
        threads0.forEach((k, v) -> threadsCpu.merge(k, -v, Long::sum));
        long generator = threadsCpu.getOrDefault(GENERATOR, 0L);
        long postgres = postgresCpu() - postgres0;
        long marksAfter = count(pool, task);
        stop.set(true);
        finished.await(60, TimeUnit.SECONDS);
        double rate = (marksAfter - marksBefore) / elapsed;
        System.out.printf("markers %d, measured %.1f s after %d s warm-up; %s%n", markers, elapsed, warmup, target > 0
                ? String.format("offered load %.0f marks/s (each marker pauses %.2f s on average between answers)", target, thinkMillis / 1000)
                : "no pauses (throughput; latency is then the queue)");
        System.out.printf("marks/s: %.0f  (marks committed in the database; seeds included, %d seed marks in the whole run)%n", rate, seedsMarked.get());
        System.out.printf("allocation (POST next):  n=%d  p50 %.1f ms  p99 %.1f ms%n", next.count(), next.percentile(50), next.percentile(99));
        System.out.printf("submission (POST marks): n=%d  p50 %.1f ms  p99 %.1f ms%n", mark.count(), mark.percentile(50), mark.percentile(99));
        System.out.printf("errors %d %s, empty (204) %d%n", errors.get(), ERRORS, empty.get());
        System.out.printf("JVM CPU (server and load generator together): %.2f cores busy, %.1f ms per mark; machine load average %.1f on %d cores%n",
                cpu / 1e9 / elapsed, cpu / 1e6 / Math.max(1, marksAfter - marksBefore),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        long n = Math.max(1, marksAfter - marksBefore);
        System.out.printf("CPU per mark: server JVM %.2f ms, load generator %.2f ms, PostgreSQL %.2f ms (%s); %d cores at this rate give %.2f ms%n",
                (cpu - generator) / 1e6 / n, generator / 1e6 / n, postgres / 1e6 / n, postgres0 < 0 ? "not seen: external database"
                        : "its processes on this machine", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * elapsed * 1e3 / n);
        System.out.println("JVM threads, ms per mark: " + threadsCpu.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(4)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 1e6 / n)).collect(java.util.stream.Collectors.joining(", ")));
        if (System.getenv("BENCH_DIAG") != null) {
            // The allocation query's plan after the run, inside a transaction that is rolled back.
            String marker = TestServer.await(pool.query("select id::text from users where username like 'bench-0-%'").execute()).iterator().next().getString(0);
            TestServer.await(pool.withTransaction(tx -> tx.preparedQuery("explain (analyze, buffers) " + AllocationService.LIVE)
                    .execute(Tuple.from(new Object[] {task, UUID.fromString(marker), 0.5, null, null, 900L, 1, 1})).map(rs -> {
                        rs.forEach(r -> System.out.println("  " + r.getString(0)));
                        return (Void) null;
                    }).compose(x -> Future.failedFuture("roll back")))
                    .recover(e -> Future.succeededFuture()));
        }
        System.out.printf("ratio: marks/s / raw commits/s = %.2f  (goal >= 0.5; goals: >= 1000 marks/s, p99 < 50 ms at 500 markers)%n", rate / commits);
        // One line per goal, so the run answers "are we there?" without reading the figures. The
        // throughput and latency goals are for 500 markers: a smaller run cannot meet them.
        if (target > 0) {
            System.out.println("verdicts: none; the goals are judged on a run without pauses (the issue's setting: next -> mark, no think time)");
            client.close();
            return;
        }
        boolean atScale = markers >= GOAL_MARKERS;
        String scale = atScale ? "" : "; judged only with " + GOAL_MARKERS + " markers or more, this run had " + markers;
        verdict(">= 1000 marks/s with 500 markers", atScale && rate >= 1000, String.format("%.0f marks/s%s", rate, scale));
        double nextP99 = next.percentile(99);
        double markP99 = mark.percentile(99);
        verdict("p99 of allocation and of submission < 50 ms", atScale && nextP99 < 50 && markP99 < 50,
                String.format("allocation %.1f ms, submission %.1f ms%s", nextP99, markP99, scale));
        verdict("marks/s >= 0.5 x raw commit rate", rate >= 0.5 * commits, String.format("%.0f / %.0f = %.2f", rate, commits, rate / commits));
        client.close();
    }

    private static final int GOAL_MARKERS = 500;

    /** CPU time of this JVM's threads so far by kind (the generator's, then the name without its number), in nanoseconds. */
    private static Map<String, Long> threadCpuByKind() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            String kind = GENERATOR_THREADS.contains(t.getThreadId()) ? GENERATOR : t.getThreadName().replaceAll("[-#\\s]*\\d+$", "");
            if (cpu > 0) {
                out.merge(kind, cpu, Long::sum);
            }
        }
        return out;
    }

    /** CPU time of this machine's PostgreSQL processes (the embedded server and its backends), or -1 when none is seen. */
    private static long postgresCpu() {
        List<ProcessHandle> postgres = ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(false)).toList();
        return postgres.isEmpty() ? -1 : postgres.stream()
                .mapToLong(h -> h.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
    }

    /** Prints one goal's verdict; NaN figures (nothing measured) compare false, so they are NOT MET. */
    private static void verdict(String goal, boolean met, String measured) {
        System.out.printf("verdict: %-7s  %s  (measured: %s)%n", met ? "MET" : "NOT MET", goal, measured);
    }

    private static long count(Pool pool, String task) {
        return TestServer.await(pool.preparedQuery("select count(*) from marks where task_id = $1").execute(Tuple.of(task))).iterator().next().getLong(0);
    }

    /** Single-row insert-and-commit transactions (autocommit inserts) with twice the pool's connections in flight. */
    private static double baseline(Pool pool, int poolSize, int seconds) throws Exception {
        TestServer.await(pool.query("create table if not exists bench_commits (id bigserial primary key, at timestamptz not null default now(), "
                + "note text not null)").execute());
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(poolSize * 2);
        long t0 = System.nanoTime();
        for (int i = 0; i < poolSize * 2; i++) {
            insertLoop(pool, done, stop, finished);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long n = done.get();
        finished.await(30, TimeUnit.SECONDS);
        return n / elapsed;
    }

    private static void insertLoop(Pool pool, AtomicLong done, AtomicBoolean stop, CountDownLatch finished) {
        if (stop.get()) {
            finished.countDown();
            return;
        }
        pool.preparedQuery("insert into bench_commits (note) values ($1)").execute(Tuple.of("baseline")).onComplete(r -> {
            if (r.succeeded()) {
                done.incrementAndGet();
            }
            insertLoop(pool, done, stop, finished);
        });
    }

    private static void loop(WebClient web, String task, String token, Map<String, String> seeds, Recorder next, Recorder mark,
                             AtomicBoolean measuring, AtomicBoolean stop, AtomicLong errors, AtomicLong empty, AtomicInteger seedsMarked,
                             CountDownLatch finished, Runnable again) {
        if (stop.get()) {
            finished.countDown();
            return;
        }
        GENERATOR_THREADS.add(Thread.currentThread().getId());
        long t0 = System.nanoTime();
        send(web, "/api/v1/marking/tasks/" + task + "/next", token, new JsonObject()).onComplete(r -> {
            long t1 = System.nanoTime();
            if (measuring.get()) {
                next.add(t1 - t0);
            }
            if (r.failed() || (r.result().statusCode() != 200 && r.result().statusCode() != 204)) {
                errors.incrementAndGet();
                ERRORS.merge("next " + (r.failed() ? r.cause().getClass().getSimpleName() : r.result().statusCode() + " "
                        + r.result().bodyAsJsonObject().getString("code", "")), 1, Integer::sum);
                again.run();
                return;
            }
            if (r.result().statusCode() == 204) {
                empty.incrementAndGet();
                again.run();
                return;
            }
            JsonObject w = r.result().bodyAsJsonObject();
            String id = w.getString("responseId");
            String given = seeds.getOrDefault(id, "1/2");
            if (seeds.containsKey(id)) {
                seedsMarked.incrementAndGet();
            }
            long t2 = System.nanoTime();
            send(web, "/api/v1/marking/marks", token, new JsonObject().put("id", UUID.randomUUID().toString()).put("responseId", id)
                    .put("mark", given).put("criteriaVersion", w.getInteger("criteriaVersion"))).onComplete(s -> {
                        if (measuring.get()) {
                            mark.add(System.nanoTime() - t2);
                        }
                        if (s.failed() || s.result().statusCode() != 201) {
                            errors.incrementAndGet();
                            ERRORS.merge("mark " + (s.failed() ? s.cause().getClass().getSimpleName() : s.result().statusCode() + " "
                                    + s.result().bodyAsJsonObject().getString("code", "")), 1, Integer::sum);
                        }
                        again.run();
                    });
        });
    }

    private static Future<HttpResponse<Buffer>> send(WebClient web, String path, String token, JsonObject body) {
        return web.post(path).bearerTokenAuthentication(token).sendJsonObject(body);
    }

    /** Latencies in nanoseconds, kept whole (a run records a few hundred thousand). */
    static final class Recorder {
        private long[] values = new long[1 << 16];
        private int n;

        synchronized void add(long nanos) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = nanos;
        }

        synchronized int count() {
            return n;
        }

        synchronized double percentile(double p) {
            if (n == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            int i = (int) Math.min(n - 1, Math.ceil(p / 100.0 * n) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }
}

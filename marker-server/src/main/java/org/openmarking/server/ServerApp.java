package org.openmarking.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.ext.web.Router;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.server.account.AccountService;
import org.openmarking.server.account.PasswordHasher;
import org.openmarking.server.config.ConfigException;
import org.openmarking.server.config.ServerConfig;
import org.openmarking.server.crypto.DirectoryBlobStore;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.crypto.EnvelopeCipher;
import org.openmarking.server.crypto.KeyRing;
import org.openmarking.server.crypto.KeystorePassphrase;
import org.openmarking.server.exam.SchemeLoader;
import org.openmarking.server.http.ApiVerticle;
import org.openmarking.server.ingest.SpoolFile;
import org.openmarking.server.face.presence.FacePresence;
import org.openmarking.server.face.presence.FaceService;
import org.openmarking.server.marking.HeldMarks;
import org.openmarking.server.marking.Notices;
import org.openmarking.server.presence.MarkHolds;
import org.openmarking.server.push.Push;
import org.openmarking.server.store.Database;
import org.openmarking.server.tls.TlsMaterial;

/**
 * One running server node: Vert.x (clustered over Hazelcast when configured), the
 * database, the loaded schemes and the HTTPS API.
 *
 * <p>Start-up is one chain (schemes, TLS, database and migrations, first admin, then
 * listen), so any failure fails the start instead of leaving a half-started node.
 */
public final class ServerApp {
    private static final Logger LOG = Logger.getLogger(ServerApp.class.getName());
    public static final String VERSION = Optional.ofNullable(ServerApp.class.getPackage().getImplementationVersion()).orElse("0.1.0-SNAPSHOT");

    private final Vertx vertx;
    private final ServerContext context;
    private final TlsMaterial tls;
    private final ApiVerticle api;

    private ServerApp(Vertx vertx, ServerContext context, TlsMaterial tls, ApiVerticle api) {
        this.vertx = vertx;
        this.context = context;
        this.tls = tls;
        this.api = api;
    }

    /**
     * Starts a node and waits until it listens. Blocks: call it from a plain thread.
     *
     * @param env the process environment (secrets such as the first admin's password)
     * @param extraRoutes mounts further features on the API router
     * @throws Exception why the node could not start; whatever had started is stopped again
     */
    public static ServerApp start(ServerConfig config, Map<String, String> env, Clock clock, Consumer<Router> extraRoutes)
            throws Exception {
        return start(config, env, clock, extraRoutes, null);
    }

    /**
     * Starts a node whose presence feature holds marks through {@code markHolds} (built on the
     * node's database; tests pass a recording one), or through the marking engine's
     * {@link HeldMarks} when it is null.
     */
    public static ServerApp start(ServerConfig config, Map<String, String> env, Clock clock, Consumer<Router> extraRoutes,
                                  Function<Database, MarkHolds> markHolds) throws Exception {
        Vertx vertx = config.cluster()
                ? clusteredVertx(config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES)
                : Vertx.vertx(options(config));
        try {
            return startOn(vertx, config, env, clock, extraRoutes, markHolds).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            // Closing Vert.x from inside its own callbacks would strand them; close it from here.
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * OpenCV's own threads per call. One: the node already runs face checks and scan pages in
     * parallel on its worker pool (one engine or pipeline per worker), so OpenCV threads inside
     * each call would only oversubscribe the cores. Measured with scripts/bench-face.sh on 2
     * cores: the same throughput (8.0-8.9 against 8.6 checks/s with 2 workers) and a burst check
     * at 1.25-1.29x its bare inference instead of 1.39x.
     */
    public static final int OPENCV_THREADS = 1;

    private static Future<ServerApp> startOn(Vertx vertx, ServerConfig config, Map<String, String> env, Clock clock,
                                             Consumer<Router> extraRoutes, Function<Database, MarkHolds> markHolds) {
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("openmarking-workers", config.workerPoolSize());
        return vertx.executeBlocking(() -> {
            org.bytedeco.opencv.global.opencv_core.setNumThreads(OPENCV_THREADS);
            Files.createDirectories(config.dataDir());
            sweepUploadSpool(config.dataDir().resolve(SpoolFile.DIRECTORY));
            Map<String, ExamScheme> schemes = SchemeLoader.loadAll(config.schemesDir());
            TlsMaterial tls = config.tlsCert().isPresent()
                    ? new TlsMaterial(config.tlsCert().get(), config.tlsKey().orElseThrow(), config.tlsCert().get())
                    : TlsMaterial.selfManaged(config.dataDir().resolve("tls"), config.tlsHostnames());
            return new Prepared(schemes, tls, openBlobs(config, env), FaceService.open(config, clock));
        }).compose(prepared -> Database.start(vertx, config.databaseUrl(), config.dataDir(), config.dbPoolSize()).compose(db -> {
            AccountService accounts = new AccountService(db.pool(), workers, new PasswordHasher(), clock, config.sessionTtl(),
                    config.loginMaxFailures(), config.loginFailureWindow());
            Push push = new Push(vertx);
            MarkHolds holds = markHolds == null ? new HeldMarks(db.pool(), new Notices(push)) : markHolds.apply(db);
            FacePresence presence = FacePresence.create(prepared.face(), config, db, clock, workers, push, prepared.blobs(), holds);
            ServerContext ctx = new ServerContext(config, db, accounts, prepared.schemes(), clock, workers,
                    push, presence, prepared.blobs(), VERSION);
            ApiVerticle api = new ApiVerticle(ctx, prepared.tls(), extraRoutes);
            return accounts.ensureAdmin(adminPassword(env))
                    .compose(v -> vertx.deployVerticle(api, new DeploymentOptions()))
                    .compose(id -> vertx.deployVerticle(presence.sweeper()))
                    .onSuccess(id -> {
                        sweepBlobTemporaries(workers, config.blobsDir());
                        vertx.setPeriodic(DirectoryBlobStore.TEMPORARY_AGE.toMillis(), t -> sweepBlobTemporaries(workers, config.blobsDir()));
                    })
                    .map(id -> new ServerApp(vertx, ctx, prepared.tls(), api))
                    .recover(e -> db.close(vertx).transform(x -> Future.failedFuture(e)));
        }));
    }

    /**
     * Removes scan-upload spool files a crashed run left (ciphertext whose keys died with it; the
     * uploader was never answered and sends again). Here, once per node before any API verticle
     * runs, because several verticles share the folder and one must not sweep another's uploads.
     */
    private static void sweepUploadSpool(Path dir) throws IOException {
        int removed = SpoolFile.sweep(dir);
        if (removed > 0) {
            LOG.info("removed " + removed + " scan upload spool file(s) left by an earlier run from " + dir);
        }
    }

    /**
     * Removes the blob store's temporaries that crashed writes left (ciphertext, never
     * referenced; one left between link and cleanup is a second name of its blob, which an
     * erasure must not leave behind), once the node serves and hourly after. The walk covers
     * every blob, so it runs on a worker and start-up does not wait for it. Only old ones:
     * other nodes write into the same folder.
     */
    private static void sweepBlobTemporaries(WorkerExecutor workers, Path blobsDir) {
        workers.executeBlocking(() -> new DirectoryBlobStore(blobsDir).sweepTemporaries(DirectoryBlobStore.TEMPORARY_AGE), false)
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("removed " + n + " temporary file(s) that interrupted blob writes left in " + blobsDir);
                    }
                })
                .onFailure(e -> LOG.warning("could not sweep the blob store's temporary files: " + e));
    }

    /** What start-up reads from disk before the database starts. */
    private record Prepared(Map<String, ExamScheme> schemes, TlsMaterial tls, EncryptedBlobStore blobs, FaceService face) {
    }

    /**
     * The encrypted blob store. The first start creates the keystore with one key-encryption
     * key; every start needs the passphrase from the environment, so a node without it refuses
     * to start rather than store anything in the clear.
     */
    static EncryptedBlobStore openBlobs(ServerConfig config, Map<String, String> env) throws IOException {
        char[] passphrase;
        try {
            passphrase = KeystorePassphrase.fromEnvironment(env);
        } catch (IOException e) {
            throw new ConfigException("keystore " + config.keystore() + ": " + e.getMessage());
        }
        try {
            if (!Files.exists(config.keystore())) {
                String id = KeyRing.addKey(config.keystore(), passphrase, new SecureRandom());
                LOG.info("created keystore " + config.keystore() + " with key-encryption key " + id);
            }
            KeyRing keys = KeyRing.load(config.keystore(), passphrase);
            LOG.info("blobs are sealed with " + EnvelopeCipher.implementation());
            return new EncryptedBlobStore(new EnvelopeCipher(keys, new SecureRandom()), new DirectoryBlobStore(config.blobsDir()));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static VertxOptions options(ServerConfig config) {
        return new VertxOptions().setWorkerPoolSize(Math.max(4, config.workerPoolSize()));
    }

    private static Future<Vertx> clusteredVertx(ServerConfig config) {
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName("openmarking");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.logging.type", "jdk");
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(config.clusterPort()).setPortAutoIncrement(true);
        net.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        List<String> members = new ArrayList<>(config.clusterMembers());
        if (members.isEmpty()) {
            members.add(config.clusterHost());
        }
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        VertxOptions options = options(config).setEventBusOptions(new EventBusOptions().setHost(config.clusterHost()).setPort(0));
        return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
    }

    /** The first admin's password: OPENMARKING_ADMIN_PASSWORD, or the file named by ..._FILE. */
    static Optional<String> adminPassword(Map<String, String> env) {
        String direct = env.get("OPENMARKING_ADMIN_PASSWORD");
        if (direct != null && !direct.isEmpty()) {
            return Optional.of(direct);
        }
        String file = env.get("OPENMARKING_ADMIN_PASSWORD_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                return Optional.of(Files.readString(Path.of(file)).strip());
            } catch (IOException e) {
                throw new ConfigException("OPENMARKING_ADMIN_PASSWORD_FILE: cannot read " + file + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    public Vertx vertx() {
        return vertx;
    }

    public ServerContext context() {
        return context;
    }

    public TlsMaterial tls() {
        return tls;
    }

    /**
     * The marking engine's mark holds, for the presence feature to call when a marker fails face
     * checks (one engine per node, see {@link org.openmarking.server.marking.MarkingEngine#of}).
     */
    public org.openmarking.server.presence.MarkHolds markHolds() {
        return org.openmarking.server.marking.MarkingEngine.of(context).markHolds();
    }

    public Router router() {
        return api.router();
    }

    /** The HTTPS port the node listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return api.actualPort();
    }

    /**
     * Stops listening, closes the pool, stops an embedded database cleanly and leaves the
     * cluster. Blocks, so call it from a plain thread (a shutdown hook, a test), never from
     * Vert.x: the last step closes the event loops its own callbacks would need.
     */
    public void close() throws Exception {
        LOG.info("stopping");
        try {
            // Stop taking requests before the pool goes: undeploying the verticles closes their
            // HTTPS servers and timers (lease sweeper, face-check scheduler), so no request or
            // sweep in flight meets a closed database.
            List<Future<?>> undeployed = new ArrayList<>();
            for (String id : List.copyOf(vertx.deploymentIDs())) {
                undeployed.add(vertx.undeploy(id).recover(e -> {
                    LOG.warning("undeploying " + id + ": " + e.getMessage());
                    return Future.succeededFuture();
                }));
            }
            Future.join(undeployed).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            context.database().close(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (context.presence() instanceof FacePresence face) {
                face.service().close(); // the engines' native networks, once no check can run
            }
        }
    }
}

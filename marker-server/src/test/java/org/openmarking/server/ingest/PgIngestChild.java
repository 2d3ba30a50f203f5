package org.openmarking.server.ingest;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.openmarking.server.crypto.DirectoryBlobStore;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.crypto.EnvelopeCipher;
import org.openmarking.server.crypto.KeyRing;
import org.openmarking.server.crypto.KeystorePassphrase;

/**
 * A separate ingest process for {@link PgIngestKillTest}: the server's pipeline and
 * PostgreSQL ledger over a folder of scans, printing one line per file, so the test can
 * kill it with SIGKILL part-way through a batch.
 *
 * <pre>PgIngestChild DATABASE_URI BLOBS_DIR KEYSTORE SCANS_DIR</pre>
 */
public final class PgIngestChild {
    private PgIngestChild() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgConnectOptions.fromUri(args[0]))
                .using(vertx).build();
        SecureRandom random = new SecureRandom();
        KeyRing keys = KeyRing.load(Path.of(args[2]), KeystorePassphrase.fromEnvironment(System.getenv()));
        EncryptedBlobStore blobs = new EncryptedBlobStore(new EnvelopeCipher(keys, random), new DirectoryBlobStore(Path.of(args[1])));
        PgIngestStore store = new PgIngestStore(pool, blobs, null, "ingested on resubmission");
        IngestPipeline pipeline = new IngestPipeline(IngestService.FRAME, store, store, store, blobs, random);
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[3]))) {
            files = s.sorted().toList();
        }
        System.out.println("started");
        for (Path f : files) {
            IngestReport r = pipeline.ingest(f.getFileName().toString(), Files.readAllBytes(f), false);
            System.out.println("done " + f.getFileName() + " " + r.pages().size());
            System.out.flush();
        }
        pool.close();
        vertx.close();
        System.exit(0);
    }
}

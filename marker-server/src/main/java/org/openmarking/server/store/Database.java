package org.openmarking.server.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL store: an external server named by {@code DATABASE_URL}, or an embedded
 * one started in the data directory (it survives restarts), migrated by Flyway and then
 * reached through the asynchronous Vert.x pool.
 *
 * <p>Flyway speaks JDBC, so migrations run on a worker thread before the pool opens; after
 * that, nothing in the request path blocks.
 */
public final class Database {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final Pool pool;
    private final EmbeddedPostgres embedded;
    private final String description;
    private final JdbcTarget jdbc;

    private Database(Pool pool, EmbeddedPostgres embedded, String description, JdbcTarget jdbc) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
        this.jdbc = jdbc;
    }

    /** Where Flyway and benchmarks connect with JDBC. */
    public record JdbcTarget(String url, String user, String password) {
        @Override
        public String toString() {
            return url + " as " + user; // never the password
        }
    }

    /**
     * Starts (or connects to) the database and migrates it, on a worker thread.
     *
     * @param databaseUrl {@code postgresql://user:pass@host:port/db}, or empty for embedded
     * @param dataDir the server's data directory; the embedded cluster lives in {@code postgres/}, its
     *     superuser password in {@code postgres-password} (see {@link EmbeddedCluster})
     */
    public static Future<Database> start(Vertx vertx, Optional<String> databaseUrl, Path dataDir, int poolSize) {
        return vertx.executeBlocking(() -> {
            EmbeddedPostgres embedded = null;
            PgConnectOptions connect;
            JdbcTarget jdbc;
            String description;
            if (databaseUrl.isPresent()) {
                connect = PgConnectOptions.fromUri(databaseUrl.get());
                jdbc = jdbcOf(connect);
                description = "external PostgreSQL at " + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
            } else {
                EmbeddedCluster.Started cluster = EmbeddedCluster.start(dataDir);
                embedded = cluster.postgres();
                connect = new PgConnectOptions().setHost("localhost").setPort(embedded.getPort())
                        .setDatabase("postgres").setUser(EmbeddedCluster.SUPERUSER).setPassword(cluster.password());
                jdbc = jdbcOf(connect);
                description = "embedded PostgreSQL in " + dataDir.resolve(EmbeddedCluster.CLUSTER_DIR).toAbsolutePath()
                        + " on port " + embedded.getPort() + " (password required)";
            }
            try {
                migrate(jdbc);
            } catch (RuntimeException e) {
                if (embedded != null) {
                    embedded.close();
                }
                throw e;
            }
            connect.setCachePreparedStatements(true).setPipeliningLimit(256);
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize).setShared(false))
                    .connectingTo(connect).using(vertx).build();
            LOG.info("database: " + description);
            return new Database(pool, embedded, description, jdbc);
        });
    }

    private static JdbcTarget jdbcOf(PgConnectOptions o) {
        return new JdbcTarget("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(), o.getUser(), o.getPassword());
    }

    /** Applies the versioned migrations under {@code db/migration} (Flyway, JDBC, blocking). */
    static void migrate(JdbcTarget jdbc) {
        Flyway.configure()
                .dataSource(jdbc.url(), jdbc.user(), jdbc.password())
                .locations("classpath:db/migration")
                .schemas("public", "identity")
                .defaultSchema("public")
                .load()
                .migrate();
    }

    public Pool pool() {
        return pool;
    }

    public String description() {
        return description;
    }

    public JdbcTarget jdbc() {
        return jdbc;
    }

    /** True when this node started the database itself. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Closes the pool, then stops the embedded server cleanly (a fast shutdown, not a kill). */
    public Future<Void> close(Vertx vertx) {
        return pool.close().recover(e -> Future.succeededFuture()).compose(v -> vertx.executeBlocking(() -> {
            if (embedded != null) {
                embedded.close();
                LOG.info("embedded PostgreSQL stopped");
            }
            return null;
        }));
    }
}

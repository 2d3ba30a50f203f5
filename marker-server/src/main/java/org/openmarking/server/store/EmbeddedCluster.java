package org.openmarking.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;
import java.util.logging.Logger;
import org.postgresql.PGConnection;

/**
 * The embedded PostgreSQL cluster of one data directory, which accepts only password
 * (SCRAM) connections from loopback, as its superuser with the password kept in
 * {@code <dataDir>/postgres-password}.
 *
 * <p>zonky's {@code initdb} grants {@code trust} to every local connection, so anyone on the
 * machine could read identities and marks on the port. Here a new cluster is initialised with
 * SCRAM from the start (no trust window), and a cluster made by an earlier version with trust
 * is migrated at its next start: the password is set first, then {@code pg_hba.conf} is
 * rewritten and reloaded, so a crash between the steps leaves a cluster the next start can
 * still enter. {@code pg_hba.conf} is checked at every start and rewritten if edited.
 *
 * <p>The password never appears in a log, a command line or an SQL text: {@code initdb} reads
 * it from the file, and {@link PGConnection#alterUserPassword} sends only the SCRAM verifier.
 */
final class EmbeddedCluster {
    private static final Logger LOG = Logger.getLogger(EmbeddedCluster.class.getName());

    static final String SUPERUSER = "postgres";
    static final String PASSWORD_FILE = "postgres-password";
    static final String CLUSTER_DIR = "postgres";

    /** The whole of pg_hba.conf: no trust, no replication, loopback and the Unix socket only. */
    static final String HBA = """
            # Written by Open Marking at each start of the embedded cluster (edits are overwritten):
            # every connection must give the superuser password from ../postgres-password.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    private static final long HBA_RELOAD_WAIT_MS = 10_000;

    private EmbeddedCluster() {
    }

    /** A running cluster and the password that enters it. */
    record Started(EmbeddedPostgres postgres, String password) {
        @Override
        public String toString() {
            return "embedded PostgreSQL on port " + postgres.getPort(); // never the password
        }
    }

    /** Starts the cluster in {@code <dataDir>/postgres}, creating or migrating it as needed. */
    static Started start(Path dataDir) throws IOException {
        Path clusterDir = dataDir.resolve(CLUSTER_DIR);
        Files.createDirectories(clusterDir);
        boolean fresh = Files.notExists(clusterDir.resolve("postgresql.conf"));
        String password = password(dataDir, clusterDir, fresh);

        // A node killed without a clean stop leaves postmaster.pid behind; PostgreSQL itself
        // checks that the pid is gone before reusing the directory, so it is safe to start.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(clusterDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "on")
                // On the command line, so an edited postgresql.conf cannot widen them.
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky's readiness check connects as postgres; a trust cluster ignores the password.
                .setConnectConfig("password", password);
        if (fresh) {
            // zonky runs `initdb -A trust ... --<key>=<value>` for each "locale" setting, and
            // initdb's last --auth wins: the new cluster demands SCRAM before it ever listens.
            builder.setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", dataDir.resolve(PASSWORD_FILE).toAbsolutePath().toString());
        }
        EmbeddedPostgres postgres = builder.start();
        try {
            if (fresh && trusts(clusterDir)) {
                // The no-trust-window guarantee rests on zonky's argument order; if a zonky
                // upgrade breaks it, stop here rather than quietly open a new cluster.
                throw new IllegalStateException("initdb made " + clusterDir + " with trust authentication despite --auth");
            }
            requirePasswords(postgres, clusterDir, password);
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new Started(postgres, password);
    }

    /** Reads the password file, or makes one for a cluster that has none yet. */
    private static String password(Path dataDir, Path clusterDir, boolean fresh) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            OwnerOnlyFiles.narrow(file);
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty; restore the embedded database's password");
            }
            return password;
        }
        if (!fresh && hbaIsOurs(clusterDir)) {
            // A new password would not match the one the cluster holds; say so rather than time out.
            throw new IllegalStateException("the embedded PostgreSQL in " + clusterDir + " requires the password kept in "
                    + file + ", which is missing; restore that file");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerOnlyFiles.write(file, password + "\n");
        LOG.info("embedded PostgreSQL: generated the superuser password in " + file);
        return password;
    }

    /**
     * Makes the running cluster refuse connections without the password: sets the password on
     * the superuser, writes our pg_hba.conf and reloads it, then checks that a connection with
     * no password is refused, so a node never serves from an open database.
     */
    private static void requirePasswords(EmbeddedPostgres postgres, Path clusterDir, String password) throws IOException {
        if (hbaIsOurs(clusterDir)) {
            return;
        }
        String url = jdbcUrl(postgres.getPort());
        try (Connection c = DriverManager.getConnection(url, credentials(password))) {
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
            OwnerOnlyFiles.write(clusterDir.resolve("pg_hba.conf"), HBA);
            try (Statement s = c.createStatement()) {
                s.execute("select pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not require passwords on the embedded PostgreSQL in " + clusterDir + ": "
                    + e.getMessage(), e);
        }
        awaitPasswordRequired(url, clusterDir);
        LOG.info("embedded PostgreSQL in " + clusterDir + " now requires its password (scram-sha-256, loopback only)");
    }

    /** pg_reload_conf only signals the postmaster; wait until it has read the new rules. */
    private static void awaitPasswordRequired(String url, Path clusterDir) {
        long deadline = System.currentTimeMillis() + HBA_RELOAD_WAIT_MS;
        while (true) {
            Properties noPassword = new Properties();
            noPassword.setProperty("user", SUPERUSER);
            try (Connection c = DriverManager.getConnection(url, noPassword)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the embedded PostgreSQL in " + clusterDir
                            + " still accepts connections without a password after rewriting pg_hba.conf");
                }
            } catch (SQLException e) {
                if (refusedForWantOfPassword(e)) {
                    return;
                }
                throw new IllegalStateException("could not check the embedded PostgreSQL in " + clusterDir + ": " + e.getMessage(), e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the embedded PostgreSQL reloaded pg_hba.conf", e);
            }
        }
    }

    /**
     * True for the refusals of a server that wants a password: pgjdbc's own "no password was
     * provided" (08004) or the server's authentication failures (class 28).
     */
    static boolean refusedForWantOfPassword(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        return state.equals("08004") || state.startsWith("28");
    }

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    private static Properties credentials(String password) {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", password);
        return p;
    }

    /** True if a rule of pg_hba.conf (not a comment) lets a connection in without a password. */
    private static boolean trusts(Path clusterDir) throws IOException {
        return Files.readAllLines(clusterDir.resolve("pg_hba.conf"), StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("#.*", "").trim())
                .anyMatch(rule -> rule.matches(".*\\btrust\\b.*"));
    }

    private static boolean hbaIsOurs(Path clusterDir) throws IOException {
        Path hba = clusterDir.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
    }
}

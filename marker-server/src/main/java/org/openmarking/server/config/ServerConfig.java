package org.openmarking.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's settings, read once at start from a JSON file and environment overrides
 * (see {@link ConfigLoader} and the README's table), and checked before anything starts.
 *
 * <p>Secrets (the first admin's password, the keystore passphrase) are deliberately not
 * here: they come from the environment or secret files, so a config file can be shared.
 *
 * @param host the address to listen on; 127.0.0.1 unless the board exposes the node
 * @param httpsPort the HTTPS port; 0 picks a free port (tests)
 * @param dataDir where the embedded database, TLS material and blobs live
 * @param databaseUrl an external PostgreSQL ({@code postgresql://user:pass@host:port/db});
 *     empty means start the embedded one in {@code dataDir/postgres}
 * @param tlsCert a PEM certificate chain to serve; empty means create a CA and certificate
 * @param tlsHostnames names the generated certificate is valid for
 * @param cluster join a Hazelcast cluster so the event bus spans several nodes
 * @param clusterMembers addresses (host[:port]) of other members; empty uses multicast-free defaults
 * @param schemesDir the directory of exam scheme files, all of which are loaded at start
 * @param faceModelsDir the directory of face model files named by the model cards
 * @param faceChecks "required" (default) or "off", which the dashboard and log show loudly
 * @param keystore the BCFKS keystore of key-encryption keys (created at first start; its
 *     passphrase comes only from the environment, see {@code KeystorePassphrase})
 * @param blobsDir the encrypted blob store, a directory every node can read (shared storage
 *     when clustered)
 * @param faceCheckInterval mean time between random face checks while a marker marks (each
 *     gap is drawn uniformly between 2/3 and 4/3 of it)
 * @param faceCheckTimeout how long a due face check may stay unanswered before it fails
 * @param faceEnrolMinPhotos how many accepted photos (one face each) an enrolment needs: several,
 *     so that a marker's templates do not rest on one picture's light and pose
 */
public record ServerConfig(
        String host,
        int httpsPort,
        Path dataDir,
        Optional<String> databaseUrl,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        List<String> tlsHostnames,
        boolean cluster,
        String clusterHost,
        int clusterPort,
        List<String> clusterMembers,
        Path schemesDir,
        Path faceModelsDir,
        String faceChecks,
        Duration sessionTtl,
        int loginMaxFailures,
        Duration loginFailureWindow,
        int dbPoolSize,
        int workerPoolSize,
        Path keystore,
        Path blobsDir,
        Duration faceCheckInterval,
        Duration faceCheckTimeout,
        int faceEnrolMinPhotos) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new ConfigException("httpsPort: " + httpsPort + " is not a port number (0-65535)");
        }
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new ConfigException("tlsCert and tlsKey: give both or neither");
        }
        if (tlsHostnames.isEmpty()) {
            throw new ConfigException("tlsHostnames: needs at least one name, e.g. localhost");
        }
        tlsHostnames = List.copyOf(tlsHostnames);
        clusterMembers = List.copyOf(clusterMembers);
        if (clusterPort < 0 || clusterPort > 65535) {
            throw new ConfigException("clusterPort: " + clusterPort + " is not a port number");
        }
        if (!faceChecks.equals("required") && !faceChecks.equals("off")) {
            throw new ConfigException("faceChecks: '" + faceChecks + "' must be 'required' or 'off'");
        }
        if (sessionTtl.isNegative() || sessionTtl.isZero() || sessionTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new ConfigException("sessionTtl: " + sessionTtl + " must be between 1 second and 7 days");
        }
        if (loginMaxFailures < 1) {
            throw new ConfigException("loginMaxFailures: must be at least 1, got " + loginMaxFailures);
        }
        if (loginFailureWindow.isNegative() || loginFailureWindow.isZero()) {
            throw new ConfigException("loginFailureWindow: must be positive");
        }
        if (dbPoolSize < 1 || dbPoolSize > 200) {
            throw new ConfigException("dbPoolSize: " + dbPoolSize + " must be between 1 and 200");
        }
        if (faceCheckInterval.toSeconds() < 3 || faceCheckInterval.compareTo(Duration.ofHours(24)) > 0) {
            throw new ConfigException("faceCheckInterval: " + faceCheckInterval + " must be between 3 seconds and 24 hours");
        }
        if (faceCheckTimeout.toSeconds() < 1 || faceCheckTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException("faceCheckTimeout: " + faceCheckTimeout + " must be between 1 second and 1 hour");
        }
        if (faceEnrolMinPhotos < 1 || faceEnrolMinPhotos > 20) {
            throw new ConfigException("faceEnrolMinPhotos: " + faceEnrolMinPhotos + " must be between 1 and 20");
        }
        if (workerPoolSize < 1 || workerPoolSize > 64) {
            throw new ConfigException("workerPoolSize: " + workerPoolSize + " must be between 1 and 64");
        }
    }

    /** True when face checks are switched off by an explicit setting. */
    public boolean faceChecksOff() {
        return faceChecks.equals("off");
    }
}

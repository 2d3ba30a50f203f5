package org.openmarking.server;

import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.Map;
import org.openmarking.domain.scheme.ExamScheme;
import org.openmarking.server.account.AccountService;
import org.openmarking.server.config.ServerConfig;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.presence.PresenceGate;
import org.openmarking.server.push.Push;
import org.openmarking.server.store.Database;

/**
 * What every feature's routes and services share on one node: the settings, the
 * database, the accounts, the loaded exam schemes, the clock, the worker pool for
 * CPU-heavy work, the push channel to clients and dashboards, and the presence gate the
 * marking engine asks before it allocates or accepts work, and the encrypted blob store
 * (answer images, scans, face templates; blocking, so use it from the worker pool). Built once by {@link ServerApp}; immutable.
 */
public record ServerContext(ServerConfig config, Database database, AccountService accounts, Map<String, ExamScheme> schemes,
                            Clock clock, WorkerExecutor workers, Push push, PresenceGate presence,
                            EncryptedBlobStore blobs, String version) {
    public ServerContext {
        schemes = Map.copyOf(schemes);
    }
}

package org.openmarking.server.account;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.http.ApiException;

/**
 * Users, roles, logins and sessions, all in PostgreSQL so that any node can serve any
 * request. Tokens are random 256-bit values; only their SHA-256 is stored, so a copy of
 * the database does not let anyone log in.
 */
public final class AccountService {
    private static final Logger LOG = Logger.getLogger(AccountService.class.getName());
    public static final int MIN_PASSWORD_LENGTH = 12;

    private final Pool pool;
    private final WorkerExecutor crypto;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Duration sessionTtl;
    private final int maxFailures;
    private final Duration failureWindow;
    private final SecureRandom random = new SecureRandom();
    /** Compared against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;

    public AccountService(Pool pool, WorkerExecutor crypto, PasswordHasher hasher, Clock clock, Duration sessionTtl, int maxFailures,
                          Duration failureWindow) {
        this.pool = pool;
        this.crypto = crypto;
        this.hasher = hasher;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.maxFailures = maxFailures;
        this.failureWindow = failureWindow;
        this.decoyHash = hasher.hash(UUID.randomUUID().toString());
    }

    /** A new session: the bearer token (shown once) and who it belongs to. */
    public record Session(String token, Principal principal, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[" + principal.username() + ", expires " + expiresAt + "]"; // never the token
        }
    }

    /** A user to create; the password is hashed before it goes anywhere. */
    public record NewUser(String username, String displayName, String password, Set<Principal.Grant> grants, String schoolCode,
                          String regionCode) {
        public NewUser {
            if (username == null || !username.matches("[a-z0-9][a-z0-9._-]{1,63}")) {
                throw new IllegalArgumentException("user names are 2-64 lower-case letters, digits, '.', '_' or '-'");
            }
            if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException("passwords need at least " + MIN_PASSWORD_LENGTH + " characters");
            }
            if (grants == null || grants.isEmpty()) {
                throw new IllegalArgumentException("a user needs at least one role");
            }
            displayName = displayName == null || displayName.isBlank() ? username : displayName;
            grants = Set.copyOf(grants);
        }

        @Override
        public String toString() {
            return "NewUser[" + username + ", " + grants + "]"; // never the password
        }
    }

    public Future<Principal> createUser(NewUser user, UUID actor) {
        return crypto.executeBlocking(() -> hasher.hash(user.password()), false).compose(hash -> pool.withTransaction(tx -> {
            UUID id = UUID.randomUUID();
            Future<?> f = tx.preparedQuery("insert into users (id, username, display_name, password_hash, school_code, region_code) "
                            + "values ($1, $2, $3, $4, $5, $6) on conflict (username) do nothing")
                    .execute(Tuple.of(id, user.username(), user.displayName(), hash, user.schoolCode(), user.regionCode()))
                    .compose(rs -> rs.rowCount() == 0
                            ? Future.failedFuture(ApiException.conflict("user '" + user.username() + "' already exists"))
                            : Future.succeededFuture());
            List<Tuple> grants = new ArrayList<>();
            for (Principal.Grant g : user.grants()) {
                grants.add(Tuple.of(id, g.role().dbName(), g.scope()));
            }
            return f.compose(v -> tx.preparedQuery("insert into user_roles (user_id, role, scope) values ($1, $2, $3)").executeBatch(grants))
                    .compose(v -> AuditLog.record(tx, actor, "account.created", user.username(),
                            new JsonObject().put("roles", user.grants().stream().map(g -> g.role().dbName() + ":" + g.scope()).toList())))
                    .map(v -> new Principal(id, user.username(), user.displayName(), user.grants()));
        }));
    }

    /**
     * Checks a user name and password and opens a session.
     *
     * <p>After {@code maxFailures} failed attempts for a user name (or 4x that from one
     * address) within the window, further attempts are refused with 429 before the password
     * is even checked, which makes guessing slow for every node at once.
     */
    public Future<Session> login(String username, String password, String remote) {
        if (username == null || password == null || username.isBlank()) {
            return Future.failedFuture(ApiException.badRequest("give a username and a password"));
        }
        String name = username.strip().toLowerCase();
        OffsetDateTime now = now();
        OffsetDateTime since = now.minus(failureWindow);
        return pool.preparedQuery("select count(*) filter (where username = $1), count(*) filter (where remote = $2) "
                        + "from login_failures where at > $3 and (username = $1 or remote = $2)")
                .execute(Tuple.of(name, remote, since))
                .compose(rs -> {
                    Row r = rs.iterator().next();
                    if (r.getLong(0) >= maxFailures || r.getLong(1) >= 4L * maxFailures) {
                        return Future.failedFuture(new ApiException(429, "too many failed logins; try again in "
                                + Math.max(1, failureWindow.toMinutes()) + " minutes"));
                    }
                    return pool.preparedQuery("select id, password_hash, display_name, disabled from users where username = $1")
                            .execute(Tuple.of(name));
                })
                .compose(rs -> {
                    Row u = rs.size() == 0 ? null : rs.iterator().next();
                    String hash = u == null ? decoyHash : u.getString("password_hash");
                    return crypto.executeBlocking(() -> hasher.verify(password, hash), false).compose(ok -> {
                        if (!ok || u == null || u.getBoolean("disabled")) {
                            return pool.withTransaction(tx -> tx.preparedQuery("insert into login_failures (username, remote, at) values ($1, $2, $3)")
                                            .execute(Tuple.of(name, remote, now))
                                            .compose(x -> AuditLog.record(tx, u == null ? null : u.getUUID("id"), "account.login-failed", name,
                                                    new JsonObject().put("remote", remote))))
                                    .compose(x -> Future.failedFuture(ApiException.unauthorized("wrong user name or password")));
                        }
                        return openSession(u.getUUID("id"), remote);
                    });
                });
    }

    private Future<Session> openSession(UUID userId, String remote) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        OffsetDateTime now = now();
        OffsetDateTime expires = now.plus(sessionTtl);
        return pool.withTransaction(tx -> tx.preparedQuery("insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
                        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(sha256(token)), userId, now, expires))
                        .compose(x -> AuditLog.record(tx, userId, "account.login", "", new JsonObject().put("remote", remote))))
                .compose(x -> principal(userId))
                .map(p -> new Session(token, p, expires.toInstant()));
    }

    /** The user behind a bearer token; 401 when it is unknown, expired, revoked or disabled. */
    public Future<Principal> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 128) {
            return Future.failedFuture(ApiException.unauthorized("log in first"));
        }
        // One statement for the session and the roles: it runs on every request.
        return pool.preparedQuery("select u.id, u.username, u.display_name, r.role, r.scope from sessions s join users u on u.id = s.user_id "
                        + "left join user_roles r on r.user_id = u.id "
                        + "where s.token_hash = $1 and not s.revoked and s.expires_at > $2 and not u.disabled")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(sha256(token)), now()))
                .compose(rs -> rs.size() == 0
                        ? Future.failedFuture(ApiException.unauthorized("your session has ended; log in again"))
                        : Future.succeededFuture(principalOf(rs.iterator().next().getUUID(0), rs, 1)));
    }

    public Future<Void> logout(String token, UUID userId) {
        return pool.withTransaction(tx -> tx.preparedQuery("update sessions set revoked = true where token_hash = $1")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(sha256(token))))
                .compose(x -> AuditLog.record(tx, userId, "account.logout", "", null)));
    }

    public Future<Principal> principal(UUID userId) {
        return pool.preparedQuery("select u.username, u.display_name, r.role, r.scope from users u "
                        + "left join user_roles r on r.user_id = u.id where u.id = $1")
                .execute(Tuple.of(userId))
                .compose(rs -> rs.size() == 0 ? Future.failedFuture(ApiException.unauthorized("unknown user"))
                        : Future.succeededFuture(principalOf(userId, rs, 0)));
    }

    /** A user's principal from rows of (username, display name, role, scope) starting at column {@code from}, one row per role. */
    private static Principal principalOf(UUID userId, RowSet<Row> rs, int from) {
        Set<Principal.Grant> grants = new HashSet<>();
        String username = null;
        String display = null;
        for (Row r : rs) {
            username = r.getString(from);
            display = r.getString(from + 1);
            if (r.getString(from + 2) != null) {
                grants.add(new Principal.Grant(Role.parse(r.getString(from + 2)), r.getString(from + 3)));
            }
        }
        return new Principal(userId, username, display, grants);
    }

    /** Every user with their roles, for administrators. */
    public Future<List<JsonObject>> listUsers() {
        return pool.query("select u.id, u.username, u.display_name, u.disabled, "
                        + "coalesce(array_agg(r.role || ':' || r.scope) filter (where r.role is not null), '{}') "
                        + "from users u left join user_roles r on r.user_id = u.id group by u.id order by u.username")
                .execute()
                .map(rs -> {
                    List<JsonObject> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("username", r.getString(1))
                                .put("displayName", r.getString(2)).put("disabled", r.getBoolean(3))
                                .put("roles", List.of(r.getArrayOfStrings(4))));
                    }
                    return out;
                });
    }

    /**
     * Creates the first administrator at first start. There is no default password: with no
     * admin yet and no password given, the server refuses to start and says how to give one.
     */
    public Future<Void> ensureAdmin(Optional<String> password) {
        return pool.query("select count(*) from user_roles where role = 'admin'").execute().compose(rs -> {
            if (rs.iterator().next().getLong(0) > 0) {
                return Future.succeededFuture();
            }
            if (password.isEmpty() || password.get().length() < MIN_PASSWORD_LENGTH) {
                return Future.failedFuture(new IllegalStateException("no administrator exists yet: set OPENMARKING_ADMIN_PASSWORD "
                        + "(or OPENMARKING_ADMIN_PASSWORD_FILE) to a password of at least " + MIN_PASSWORD_LENGTH
                        + " characters for the first start; the account is called 'admin'"));
            }
            return createUser(new NewUser("admin", "Administrator", password.get(), Set.of(new Principal.Grant(Role.ADMIN, "*")), null, null),
                    null).onSuccess(p -> LOG.info("created the first administrator, 'admin'")).mapEmpty();
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

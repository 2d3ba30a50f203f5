package org.openmarking.server.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Set;
import java.util.function.Function;

/**
 * Transactions that PostgreSQL may abort under contention (a deadlock between two markers'
 * submissions, a serialization failure) are run again, a few times, before the caller sees an
 * error. Only for work that is safe to repeat: the marking API's writes are idempotent by the
 * client's id and re-read everything they decide on inside the transaction.
 */
public final class Transactions {
    /** deadlock_detected, serialization_failure: PostgreSQL rolled back; the same work may succeed now. */
    static final Set<String> RETRYABLE = Set.of("40P01", "40001");
    public static final int ATTEMPTS = 4;

    private Transactions() {
    }

    public static <T> Future<T> retrying(Pool pool, Function<SqlConnection, Future<T>> work) {
        return attempt(pool, work, 1);
    }

    private static <T> Future<T> attempt(Pool pool, Function<SqlConnection, Future<T>> work, int n) {
        return pool.withTransaction(work).recover(e -> n < ATTEMPTS && retryable(e)
                ? attempt(pool, work, n + 1)
                : Future.failedFuture(e));
    }

    /** True when PostgreSQL aborted the transaction for contention and the same work may now succeed. */
    public static boolean retryable(Throwable e) {
        return e instanceof PgException pg && RETRYABLE.contains(pg.getSqlState());
    }
}

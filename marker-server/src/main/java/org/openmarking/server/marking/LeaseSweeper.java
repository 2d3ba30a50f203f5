package org.openmarking.server.marking;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Returns the responses of expired leases to the pool. Every node runs one; they never collide,
 * because each claims expired leases {@code FOR UPDATE SKIP LOCKED}. A node that dies mid-lease
 * loses nothing: its leases are rows in PostgreSQL and the surviving nodes' sweepers expire them.
 */
public final class LeaseSweeper {
    private static final Logger LOG = Logger.getLogger(LeaseSweeper.class.getName());
    private static final int BATCH = 200;

    private final Pool pool;
    private final Notices notices;

    public LeaseSweeper(Pool pool, Notices notices) {
        this.pool = pool;
        this.notices = notices;
    }

    /** Expires one batch of overdue leases; returns how many. */
    public Future<Integer> sweep() {
        return pool.withTransaction(tx -> tx.preparedQuery("select a.id, a.response_id, a.kind from allocations a "
                        + "where a.state = 'leased' and a.expires_at <= now() order by a.expires_at limit " + BATCH + " for update skip locked")
                .execute()
                .compose(rs -> {
                    if (rs.size() == 0) {
                        return Future.succeededFuture(0);
                    }
                    List<Long> ids = new ArrayList<>();
                    List<String> responses = new ArrayList<>();
                    for (Row r : rs) {
                        ids.add(r.getLong(0));
                        if (!r.getString(2).equals("seed") && !responses.contains(r.getString(1))) {
                            responses.add(r.getString(1));
                        }
                    }
                    Future<?> f = tx.preparedQuery("update allocations set state = 'expired' where id = any($1)")
                            .execute(io.vertx.sqlclient.Tuple.of(ids.toArray(new Long[0])));
                    for (String id : responses) {
                        f = f.compose(x -> ResponseState.reconsider(tx, id).map(c -> {
                            notices.statsChanged(c.examId(), c.taskId());
                            return c;
                        }));
                    }
                    return f.map(x -> ids.size());
                }))
                .onFailure(e -> LOG.log(Level.WARNING, "lease sweep failed; the next one retries", e));
    }
}

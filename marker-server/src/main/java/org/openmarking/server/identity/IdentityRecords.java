package org.openmarking.server.identity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.openmarking.server.http.ApiException;

/**
 * Every query on the {@code identity} schema: who the candidates are, which booklet is whose,
 * which response came from which candidate's page. Only ingest (registration, scanning) and,
 * later, results and appeals call this; {@code IdentitySeparationTest} keeps every other class
 * from depending on this package and every other package's SQL from naming the schema.
 *
 * <p>Callers pass the {@link SqlClient} of their transaction so identity rows commit with the
 * rest of a change, or not at all.
 */
public final class IdentityRecords {
    private IdentityRecords() {
    }

    /** The candidate a booklet was issued to. */
    public record Owner(UUID candidateId, String workNumber, String schoolCode, String regionCode) {
    }

    /** An issued booklet: its layout id, subject and owner. */
    public record Issue(String bookletId, String subjectId, String templateId, Owner owner) {
    }

    /** The booklet {@code bookletId} of exam {@code examId} as issued, if it was. */
    public static Future<Optional<Issue>> issue(SqlClient sql, String examId, String bookletId) {
        return sql.preparedQuery("select b.subject_id, b.template_id, c.id, c.work_number, c.school_code, c.region_code "
                        + "from booklets b join identity.booklet_owners o on o.booklet_id = b.id "
                        + "join identity.candidates c on c.id = o.candidate_id where b.id = $1 and b.exam_id = $2")
                .execute(Tuple.of(bookletId, examId))
                .map(rs -> {
                    if (rs.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new Issue(bookletId, r.getString(0), r.getString(1),
                            new Owner(r.getUUID(2), r.getString(3), r.getString(4), r.getString(5))));
                });
    }

    /** Where a response was cut from: whose answer, which booklet page, which scanned page row. */
    public record Origin(String responseId, UUID candidateId, String bookletId, int pageNumber, long pageId) {
    }

    /** Records response origins; idempotent on the response id. */
    public static Future<Void> recordOrigins(SqlClient tx, List<Origin> origins) {
        if (origins.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = origins.stream().map(o -> Tuple.of(o.responseId(), o.candidateId(), o.bookletId(), o.pageNumber(), o.pageId()))
                .toList();
        return tx.preparedQuery("insert into identity.response_origins (response_id, candidate_id, booklet_id, page_number, page_id) "
                + "values ($1, $2, $3, $4, $5) on conflict (response_id) do nothing").executeBatch(rows).mapEmpty();
    }

    /** Records the encrypted identity-area crops of a page (blobs already registered). */
    public static Future<Void> recordIdentityImages(SqlClient tx, List<String> blobRefs, UUID candidateId, long pageId) {
        if (blobRefs.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = blobRefs.stream().map(b -> Tuple.of(b, candidateId, pageId)).toList();
        return tx.preparedQuery("insert into identity.page_identity_images (blob_ref, candidate_id, page_id) values ($1, $2, $3) "
                + "on conflict (blob_ref) do nothing").executeBatch(rows).mapEmpty();
    }

    /** The responses cut from a scanned page (to withdraw them when a rescan replaces the page). */
    public static Future<List<String>> responsesOfPage(SqlClient sql, long pageId) {
        return sql.preparedQuery("select response_id from identity.response_origins where page_id = $1 order by response_id")
                .execute(Tuple.of(pageId))
                .map(rs -> {
                    List<String> ids = new ArrayList<>();
                    rs.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    /** One candidate as the board registers them, with the booklets issued to them. */
    public record Candidate(String workNumber, String fin, String fullName, String schoolCode, String regionCode,
                            List<String> bookletIds) {
        public Candidate {
            bookletIds = List.copyOf(bookletIds);
        }
    }

    /** What a registration changed. */
    public record Registered(int created, int unchanged, int bookletsLinked) {
    }

    /**
     * Registers candidates of an exam and links their booklets (the booklet rows must exist).
     * Repeating a registration changes nothing; a work number or FIN already registered with
     * other details, or a booklet already issued to someone else, is refused with 409 and
     * nothing is written (the caller's transaction rolls back).
     */
    public static Future<Registered> register(SqlClient tx, String examId, List<Candidate> candidates) {
        List<String> workNumbers = candidates.stream().map(Candidate::workNumber).toList();
        List<String> fins = candidates.stream().map(Candidate::fin).toList();
        return tx.preparedQuery("select id, work_number, fin, full_name, school_code, region_code from identity.candidates "
                        + "where exam_id = $1 and (work_number = any($2) or fin = any($3))")
                .execute(Tuple.of(examId, workNumbers.toArray(new String[0]), fins.toArray(new String[0])))
                .compose(rs -> {
                    Map<String, Row> byWork = new HashMap<>();
                    Map<String, Row> byFin = new HashMap<>();
                    rs.forEach(r -> {
                        byWork.put(r.getString(1), r);
                        byFin.put(r.getString(2), r);
                    });
                    Map<String, UUID> ids = new HashMap<>();
                    List<Tuple> inserts = new ArrayList<>();
                    int unchanged = 0;
                    for (Candidate c : candidates) {
                        Row same = byWork.get(c.workNumber());
                        Row finRow = byFin.get(c.fin());
                        if (same == null && finRow != null) {
                            return Future.failedFuture(ApiException.conflict("work number " + c.workNumber()
                                    + ": its FIN is already registered for this exam under another work number"));
                        }
                        if (same != null) {
                            if (!c.fin().equals(same.getString(2)) || !c.fullName().equals(same.getString(3))
                                    || !Objects.equals(c.schoolCode(), same.getString(4)) || !Objects.equals(c.regionCode(), same.getString(5))) {
                                return Future.failedFuture(ApiException.conflict("work number " + c.workNumber()
                                        + " is already registered for this exam with other details"));
                            }
                            ids.put(c.workNumber(), same.getUUID(0));
                            unchanged++;
                        } else {
                            UUID id = UUID.randomUUID();
                            ids.put(c.workNumber(), id);
                            inserts.add(Tuple.of(id, examId, c.fin(), c.workNumber(), c.fullName(), c.schoolCode(), c.regionCode()));
                        }
                    }
                    int created = inserts.size();
                    int kept = unchanged;
                    Future<?> insert = inserts.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(
                                    "insert into identity.candidates (id, exam_id, fin, work_number, full_name, school_code, region_code) "
                                            + "values ($1, $2, $3, $4, $5, $6, $7)").executeBatch(inserts);
                    return insert.compose(v -> linkBooklets(tx, candidates, ids)).map(n -> new Registered(created, kept, n));
                });
    }

    private static Future<Integer> linkBooklets(SqlClient tx, List<Candidate> candidates, Map<String, UUID> ids) {
        Map<String, UUID> wanted = new HashMap<>();
        for (Candidate c : candidates) {
            for (String b : c.bookletIds()) {
                wanted.put(b, ids.get(c.workNumber()));
            }
        }
        if (wanted.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return tx.preparedQuery("select booklet_id, candidate_id from identity.booklet_owners where booklet_id = any($1)")
                .execute(Tuple.of((Object) wanted.keySet().toArray(new String[0])))
                .compose(rs -> {
                    for (Row r : rs) {
                        if (!r.getUUID(1).equals(wanted.get(r.getString(0)))) {
                            return Future.failedFuture(ApiException.conflict("booklet " + r.getString(0) + " is already issued to another candidate"));
                        }
                        wanted.remove(r.getString(0));
                    }
                    List<Tuple> rows = new ArrayList<>();
                    wanted.forEach((b, c) -> rows.add(Tuple.of(b, c)));
                    return rows.isEmpty() ? Future.succeededFuture(0) : tx.preparedQuery(
                                    "insert into identity.booklet_owners (booklet_id, candidate_id) values ($1, $2)")
                            .executeBatch(rows).map(x -> rows.size());
                });
    }

    /** How many candidates an exam has registered. */
    public static Future<Long> candidateCount(SqlClient sql, String examId) {
        return sql.preparedQuery("select count(*) from identity.candidates where exam_id = $1").execute(Tuple.of(examId))
                .map(rs -> rs.iterator().next().getLong(0));
    }
}

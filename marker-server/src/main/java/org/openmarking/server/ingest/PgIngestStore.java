package org.openmarking.server.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openmarking.server.audit.AuditLog;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.exam.ExamService;
import org.openmarking.server.identity.IdentityRecords;

/**
 * The server's {@link IngestLedger}, {@link IdentitySink} and {@link BookletCatalog} on
 * PostgreSQL, for one batch by one actor (an admin's upload or quarantine resolution).
 *
 * <p>The ledger is V1's {@code pages} (ingested scan pages) and {@code quarantine} tables,
 * both unique on (file hash, page index). {@link #commitPage} writes, in one transaction: the
 * scan file and blob rows, the page row (its partial unique index allows one page in use per
 * booklet page), the responses with their task ids, their identity origins and identity crops
 * (the sink's links are held in memory until then, so a crash leaves no orphan link at all),
 * the withdrawal of a replaced page's responses, and the release of a quarantine entry with
 * its audit entry. So a killed batch leaves either the whole page or nothing of it in the
 * database, and the rerun skips what was committed.
 *
 * <p>The pipeline is blocking and runs on the worker pool, so this class waits for the
 * asynchronous pool's futures there; it must never be called on an event loop.
 */
public final class PgIngestStore implements BookletCatalog, IngestLedger, IdentitySink {
    private static final long TIMEOUT_SECONDS = 60;

    private final Pool pool;
    private final EncryptedBlobStore blobs;
    private final UUID actor;
    private final String resolution;
    private final Map<String, Boolean> knownExams = new ConcurrentHashMap<>();
    private final Map<String, BookletTemplate> templates = new ConcurrentHashMap<>();
    private final Map<String, IdentityRecords.Issue> issues = new ConcurrentHashMap<>();
    private final Map<String, IdentityLink> pendingLinks = new ConcurrentHashMap<>();
    private final Map<PageCode, List<String>> pendingImages = new ConcurrentHashMap<>();

    /**
     * @param actor who submitted the scans (recorded on files, quarantine decisions, audit)
     * @param resolution how a quarantined page that now commits was resolved (audited), e.g.
     *                   "ingested on resubmission" or "assigned by hand to booklet X page 2"
     */
    public PgIngestStore(Pool pool, EncryptedBlobStore blobs, UUID actor, String resolution) {
        this.pool = pool;
        this.blobs = blobs;
        this.actor = actor;
        this.resolution = resolution;
    }

    // ------------------------------------------------------------------ catalog

    @Override
    public boolean knowsExam(String examId) {
        if (knownExams.containsKey(examId)) {
            return true;
        }
        boolean known = await(pool.preparedQuery("select exists (select 1 from booklet_templates where exam_id = $1)")
                .execute(Tuple.of(examId))).iterator().next().getBoolean(0);
        if (known) {
            knownExams.put(examId, true);
        }
        return known;
    }

    @Override
    public Optional<Issued> issued(String examId, String bookletId) {
        IdentityRecords.Issue issue = issues.get(examId + "|" + bookletId);
        if (issue == null) {
            Optional<IdentityRecords.Issue> found = await(IdentityRecords.issue(pool, examId, bookletId));
            if (found.isEmpty()) {
                return Optional.empty();
            }
            issue = found.get();
            issues.put(examId + "|" + bookletId, issue);
        }
        return Optional.of(new Issued(template(issue.templateId()), issue.owner().workNumber()));
    }

    private BookletTemplate template(String id) {
        return templates.computeIfAbsent(id, k -> {
            RowSet<Row> rs = await(pool.preparedQuery("select layout from booklet_templates where id = $1").execute(Tuple.of(k)));
            JsonObject layout = (JsonObject) rs.iterator().next().getValue(0);
            try {
                return BookletTemplate.read(new java.io.ByteArrayInputStream(layout.encode().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("stored layout " + k + " no longer reads", e);
            }
        });
    }

    // ------------------------------------------------------------------ identity sink

    @Override
    public void link(IdentityLink link) {
        pendingLinks.put(link.responseId(), link);
    }

    @Override
    public void identityImage(IdentityImage image) {
        pendingImages.computeIfAbsent(new PageCode(image.examId(), image.bookletId(), image.page()),
                k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(image.blobId());
    }

    // ------------------------------------------------------------------ ledger

    @Override
    public Optional<ScanRecord> findScan(ScanKey key) {
        RowSet<Row> rs = await(pool.preparedQuery("select 'ingested', null from pages where file_sha256 = $1 and file_page = $2 "
                        + "union all select 'quarantined', reason from quarantine where file_sha256 = $1 and file_page = $2 "
                        + "and status <> 'resolved'")
                .execute(Tuple.of(key.fileSha256(), key.pageIndex())));
        if (rs.size() == 0) {
            return Optional.empty();
        }
        Row r = rs.iterator().next();
        return Optional.of("ingested".equals(r.getString(0)) ? new ScanRecord(key, Outcome.INGESTED, null)
                : new ScanRecord(key, Outcome.QUARANTINED, QuarantineReason.valueOf(r.getString(1))));
    }

    @Override
    public Optional<PageRecord> findActivePage(PageCode code) {
        RowSet<Row> rs = await(pool.preparedQuery("select p.id, p.file_sha256, p.file_page, p.blob_ref from pages p "
                        + "join booklets b on b.id = p.booklet_id where b.exam_id = $1 and p.booklet_id = $2 and p.page_number = $3 and p.in_use")
                .execute(Tuple.of(code.examId(), code.bookletId(), code.page())));
        if (rs.size() == 0) {
            return Optional.empty();
        }
        Row r = rs.iterator().next();
        List<String> responses = await(IdentityRecords.responsesOfPage(pool, r.getLong(0)));
        return Optional.of(new PageRecord(new ScanKey(r.getString(1), r.getInteger(2)), code, r.getString(3), responses, true));
    }

    @Override
    public CommitResult commitPage(PageCommit c) {
        List<IdentityLink> links = new ArrayList<>();
        c.responses().forEach(r -> {
            IdentityLink l = pendingLinks.remove(r.responseId());
            if (l == null) {
                throw new IllegalStateException("response " + r.responseId() + " has no identity link");
            }
            links.add(l);
        });
        List<String> images = Optional.ofNullable(pendingImages.remove(c.code())).map(List::copyOf).orElse(List.of());
        IdentityRecords.Issue issue = issues.get(c.code().examId() + "|" + c.code().bookletId());
        if (issue == null) {
            throw new IllegalStateException("booklet " + c.code().bookletId() + " was not looked up before its commit");
        }
        return inTransaction(conn -> commitIn(conn, c, issue, links, images));
    }

    private CommitResult commitIn(SqlConnection conn, PageCommit c, IdentityRecords.Issue issue, List<IdentityLink> links,
            List<String> images) throws IOException {
        ScanKey key = c.scan();
        if (pageExists(conn, key)) {
            return CommitResult.ALREADY_RECORDED;
        }
        recordFile(conn, key, c.fileName(), c.scanBlobId());
        Long replaced = null;
        if (c.replaces() != null) {
            RowSet<Row> old = await(conn.preparedQuery("update pages set in_use = false where file_sha256 = $1 and file_page = $2 "
                            + "and booklet_id = $3 and page_number = $4 and in_use returning id")
                    .execute(Tuple.of(c.replaces().fileSha256(), c.replaces().pageIndex(), c.code().bookletId(), c.code().page())));
            if (old.size() != 1) {
                return CommitResult.PAGE_TAKEN;
            }
            replaced = old.iterator().next().getLong(0);
        }
        RowSet<Row> inserted = await(conn.preparedQuery("insert into pages (booklet_id, page_number, file_sha256, file_page, blob_ref) "
                        + "values ($1, $2, $3, $4, $5) on conflict do nothing returning id")
                .execute(Tuple.of(c.code().bookletId(), c.code().page(), key.fileSha256(), key.pageIndex(), c.scanBlobId())));
        if (inserted.size() == 0) {
            // Another node committed this scan page, or another scan of this booklet page, meanwhile.
            return pageExists(conn, key) ? CommitResult.ALREADY_RECORDED : CommitResult.PAGE_TAKEN;
        }
        long pageId = inserted.iterator().next().getLong(0);

        List<Tuple> blobRows = new ArrayList<>();
        List<Tuple> responseRows = new ArrayList<>();
        IdentityRecords.Owner owner = issue.owner();
        for (ResponseRecord r : c.responses()) {
            blobRows.add(blobRow(r.responseId(), "response"));
            String task = ExamService.taskId(c.code().examId(), issue.subjectId(), Integer.parseInt(r.item()));
            responseRows.add(Tuple.of(r.responseId(), task, r.responseId(), r.likelyBlank(), (float) r.inkRatio(),
                    owner.schoolCode(), owner.regionCode()));
        }
        for (String image : images) {
            blobRows.add(blobRow(image, "identity"));
        }
        if (!blobRows.isEmpty()) {
            await(conn.preparedQuery("insert into blobs (ref, kind, key_id, size_bytes) values ($1, $2, $3, $4) on conflict (ref) do nothing")
                    .executeBatch(blobRows));
        }
        if (!responseRows.isEmpty()) {
            await(conn.preparedQuery("insert into responses (id, task_id, blob_ref, likely_blank, ink_ratio, school_code, region_code, "
                            + "marks_needed) values ($1, $2, $3, $4, $5, $6, $7, (select marks_required from tasks where id = $2))")
                    .executeBatch(responseRows));
        }
        List<IdentityRecords.Origin> origins = links.stream()
                .map(l -> new IdentityRecords.Origin(l.responseId(), owner.candidateId(), l.bookletId(), l.page(), pageId)).toList();
        await(IdentityRecords.recordOrigins(conn, origins));
        await(IdentityRecords.recordIdentityImages(conn, images, owner.candidateId(), pageId));

        if (replaced != null) {
            List<String> withdrawn = await(IdentityRecords.responsesOfPage(conn, replaced));
            await(conn.preparedQuery("update responses set status = 'withdrawn' where id = any($1)")
                    .execute(Tuple.of((Object) withdrawn.toArray(new String[0]))));
            await(AuditLog.record(conn, actor, "ingest.page.rescanned", c.code().bookletId() + "/" + c.code().page(),
                    new JsonObject().put("file", key.toString()).put("replacedPage", replaced).put("page", pageId)
                            .put("withdrawnResponses", withdrawn.size())));
        }
        RowSet<Row> released = await(conn.preparedQuery("update quarantine set status = 'resolved', resolved_by = $3, resolved_at = now(), "
                        + "resolution = $4 where file_sha256 = $1 and file_page = $2 and status = 'open' returning id, reason")
                .execute(Tuple.of(key.fileSha256(), key.pageIndex(), actor, resolution)));
        for (Row q : released) {
            await(AuditLog.record(conn, actor, "ingest.quarantine.resolved", "quarantine/" + q.getLong(0),
                    new JsonObject().put("reason", q.getString(1)).put("resolution", resolution)
                            .put("booklet", c.code().bookletId()).put("page", c.code().page()).put("responses", c.responses().size())));
        }
        return CommitResult.COMMITTED;
    }

    @Override
    public CommitResult quarantine(QuarantineRecord q) {
        return inTransaction(conn -> {
            if (pageExists(conn, q.scan())) {
                return CommitResult.ALREADY_RECORDED;
            }
            recordFile(conn, q.scan(), q.fileName(), q.scanBlobId());
            PageCode code = q.code();
            RowSet<Row> rs = await(conn.preparedQuery("insert into quarantine (file_sha256, file_page, reason, detail, blob_ref, "
                            + "read_exam, read_booklet, read_page) values ($1, $2, $3, $4, $5, $6, $7, $8) "
                            + "on conflict (file_sha256, file_page) do nothing")
                    .execute(Tuple.of(q.scan().fileSha256(), q.scan().pageIndex(), q.reason().name(), truncate(q.detail()),
                            q.scanBlobId(), code == null ? null : code.examId(), code == null ? null : code.bookletId(),
                            code == null ? null : code.page())));
            return rs.rowCount() == 0 ? CommitResult.ALREADY_RECORDED : CommitResult.COMMITTED;
        });
    }

    private boolean pageExists(SqlConnection conn, ScanKey key) {
        return await(conn.preparedQuery("select 1 from pages where file_sha256 = $1 and file_page = $2")
                .execute(Tuple.of(key.fileSha256(), key.pageIndex()))).size() > 0;
    }

    /** The scan file and its encrypted original (kind 'page'), once per file. */
    private void recordFile(SqlConnection conn, ScanKey key, String fileName, String scanBlobId) throws IOException {
        await(conn.preparedQuery("insert into scan_files (sha256, file_name, received_by) values ($1, $2, $3) on conflict (sha256) do nothing")
                .execute(Tuple.of(key.fileSha256(), truncate(fileName), actor)));
        await(conn.preparedQuery("insert into blobs (ref, kind, key_id, size_bytes) values ($1, $2, $3, $4) on conflict (ref) do nothing")
                .execute(blobRow(scanBlobId, "page")));
    }

    /** A blob registry row: the key id and size are read from the stored blob's header. */
    private Tuple blobRow(String ref, String kind) throws IOException {
        EncryptedBlobStore.Stat stat = blobs.stat(ref)
                .orElseThrow(() -> new IOException("blob " + ref + " was not stored before its commit"));
        return Tuple.of(ref, kind, stat.keyId(), stat.sizeBytes());
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) : s;
    }

    // ------------------------------------------------------------------ plumbing

    private interface TxWork<T> {
        T run(SqlConnection conn) throws IOException;
    }

    /** Runs {@code work} in one transaction, committing only a COMMITTED result. */
    private CommitResult inTransaction(TxWork<CommitResult> work) {
        SqlConnection conn = await(pool.getConnection());
        try {
            Transaction tx = await(conn.begin());
            CommitResult r;
            try {
                r = work.run(conn);
            } catch (IOException | RuntimeException e) {
                rollbackQuietly(tx);
                if (e instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw (RuntimeException) e;
            }
            if (r == CommitResult.COMMITTED) {
                await(tx.commit());
            } else {
                await(tx.rollback());
            }
            return r;
        } finally {
            conn.close();
        }
    }

    private static void rollbackQuietly(Transaction tx) {
        try {
            tx.rollback().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a failed statement already rolled the transaction back
        }
    }

    /** Waits on a worker thread for a database future; never call this on an event loop. */
    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the database did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}

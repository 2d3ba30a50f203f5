package org.openmarking.server.ingest;

import java.util.List;
import java.util.Optional;

/**
 * The durable record of what ingest has done, which the server implements on
 * PostgreSQL ({@link FileIngestLedger} is the file/in-memory twin for the CLI and
 * tests).
 *
 * <p>Contract (see {@code docs/ingest.md}, "Crash safety"):
 * <ul>
 *   <li>Every method is atomic and safe to call from several threads and nodes.
 *   <li>{@link #commitPage} and {@link #quarantine} are the only commit points of a
 *       page. Each writes everything about one scan page in one transaction, or
 *       nothing. Both are idempotent on {@link ScanKey}: {@code commitPage} for a key
 *       already ingested, or {@code quarantine} for a key already recorded either way,
 *       changes nothing and reports {@link CommitResult#ALREADY_RECORDED}.
 *   <li>A quarantined key may later be committed by {@code commitPage} (released
 *       from quarantine after a fix); the quarantine row is kept, marked released.
 *   <li>At most one page record is <em>active</em> per {@link PageCode}.
 *       {@code commitPage} with {@code replaces == null} fails with
 *       {@link CommitResult#PAGE_TAKEN} if an active page exists; with
 *       {@code replaces} set it succeeds only if that scan is still the active one
 *       (compare-and-set), marks it inactive (kept, never deleted) and its
 *       responses superseded.
 *   <li>Response records carry no booklet, candidate or page: the page-to-response
 *       mapping stays in ingest's own tables, which marking roles cannot read.
 * </ul>
 */
public interface IngestLedger {

    /** What was recorded for this exact scan page, if anything. */
    Optional<ScanRecord> findScan(ScanKey key);

    /** The page record in use for a booklet page, if one was ingested. */
    Optional<PageRecord> findActivePage(PageCode code);

    /** Records an ingested page and its responses, atomically (see the class contract). */
    CommitResult commitPage(PageCommit commit);

    /** Records a quarantined scan page atomically; {@link CommitResult#ALREADY_RECORDED} if the key is recorded. */
    CommitResult quarantine(QuarantineRecord record);

    /** How a scan page ended. */
    enum Outcome { INGESTED, QUARANTINED }

    /** The result of a commit. */
    enum CommitResult {
        COMMITTED,
        /** The scan key was already recorded: nothing changed (duplicate or rerun). */
        ALREADY_RECORDED,
        /** Another scan is (now) the active page for this page code: nothing changed. */
        PAGE_TAKEN
    }

    /** A recorded scan page; {@code reason} is null unless quarantined. */
    record ScanRecord(ScanKey key, Outcome outcome, QuarantineReason reason) {
    }

    /** A booklet page as ingested from one scan; {@code active} false once superseded by a rescan. */
    record PageRecord(ScanKey scan, PageCode code, String scanBlobId, List<String> responseIds, boolean active) {
        public PageRecord {
            responseIds = List.copyOf(responseIds);
        }
    }

    /**
     * One written answer as markers will see it: an opaque id (also its image blob id),
     * the exam and item, and whether it looks blank. No identity, no booklet.
     */
    record ResponseRecord(String responseId, String examId, String item, boolean likelyBlank, double inkRatio) {
    }

    /**
     * Everything about one ingested scan page. {@code replaces} is the scan key of the
     * active page this rescan supersedes, or null.
     */
    record PageCommit(ScanKey scan, String fileName, PageCode code, String scanBlobId,
            List<ResponseRecord> responses, ScanKey replaces) {
        public PageCommit {
            responses = List.copyOf(responses);
        }
    }

    /** A scan page that was not ingested; its original stays encrypted as {@code scanBlobId}. */
    record QuarantineRecord(ScanKey scan, String fileName, QuarantineReason reason, String detail,
            String scanBlobId) {
    }
}

package org.openmarking.server.ingest;

/**
 * Where the link between responses and candidates goes: the only place ingest
 * writes a work number. The server implements it on the {@code identity} tables;
 * marking, allocation and seeding never read them. Both methods are idempotent
 * (keyed by response id / blob id). Ingest calls them before
 * {@link IngestLedger#commitPage}, so after a crash there can be links whose
 * response was never committed; they are harmless and swept (see {@code docs/ingest.md}).
 */
public interface IdentitySink {

    /** Response {@code responseId} is candidate {@code workNumber}'s answer to {@code item}. */
    void link(IdentityLink link);

    /** The encrypted crop of a page's identity area (name, work number), for identity checks only. */
    void identityImage(IdentityImage image);

    /** A response-to-candidate link. */
    record IdentityLink(String responseId, String examId, String bookletId, int page, String item,
            String workNumber) {
    }

    /** An identity-area crop stored as blob {@code blobId}. */
    record IdentityImage(String blobId, String examId, String bookletId, int page, String workNumber) {
    }
}

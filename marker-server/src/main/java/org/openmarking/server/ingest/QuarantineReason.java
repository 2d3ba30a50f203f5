package org.openmarking.server.ingest;

/**
 * Why a scanned page was not ingested. A quarantined page keeps its encrypted
 * original scan so that a person can look at it and fix it from the command line.
 */
public enum QuarantineReason {
    /** The file is not a PNG, JPEG, TIFF or PDF we can decode, or is damaged. */
    UNREADABLE_FILE,
    /** Fewer than three corner fiducials found, or they do not fit one page. */
    NO_FIDUCIALS,
    /** The page-code QR is missing, unreadable or not one of ours. */
    UNREADABLE_CODE,
    /** The page code names an exam with no template (or a template with another frame). */
    UNKNOWN_EXAM,
    /** The page code names a booklet that was never issued for this exam. */
    UNKNOWN_BOOKLET,
    /** The page number is not a page of this exam's booklet. */
    PAGE_OUT_OF_RANGE,
    /** A different scan of a page already ingested, sent without the rescan flag. */
    DUPLICATE_PAGE
}

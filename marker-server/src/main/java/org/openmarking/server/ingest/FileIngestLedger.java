package org.openmarking.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link IngestLedger} held in memory and, given a file, journalled to it as
 * JSON lines (each commit one line, forced to disk): the CLI's and tests' ledger.
 * One process at a time; the server's PostgreSQL ledger is the shared one.
 */
public final class FileIngestLedger implements IngestLedger, AutoCloseable {
    private final Map<ScanKey, ScanRecord> scans = new HashMap<>();
    private final Map<ScanKey, PageRecord> pagesByScan = new LinkedHashMap<>();
    private final Map<PageCode, ScanKey> active = new HashMap<>();
    private final Map<String, ResponseRecord> responses = new LinkedHashMap<>();
    private final Map<String, Boolean> superseded = new HashMap<>();
    private final List<QuarantineRecord> quarantined = new ArrayList<>();
    private final JsonLinesJournal journal;

    /** A ledger kept only in memory. */
    public FileIngestLedger() throws IOException {
        this(null);
    }

    /** A ledger replayed from, and journalled to, {@code file} (created if absent). */
    public FileIngestLedger(Path file) throws IOException {
        journal = new JsonLinesJournal(file, this::replay);
    }

    private void replay(JsonNode n) {
        try {
            if (n.has("page")) {
                apply(JsonLinesJournal.JSON.treeToValue(n.get("page"), PageCommit.class));
            } else if (n.has("quarantine")) {
                apply(JsonLinesJournal.JSON.treeToValue(n.get("quarantine"), QuarantineRecord.class));
            }
        } catch (IOException e) {
            throw new IllegalStateException("damaged ledger entry " + n, e);
        }
    }

    @Override
    public synchronized Optional<ScanRecord> findScan(ScanKey key) {
        return Optional.ofNullable(scans.get(key));
    }

    @Override
    public synchronized Optional<PageRecord> findActivePage(PageCode code) {
        return Optional.ofNullable(active.get(code)).map(pagesByScan::get);
    }

    @Override
    public synchronized CommitResult commitPage(PageCommit c) {
        CommitResult r = check(c);
        if (r == CommitResult.COMMITTED) {
            journal.append(Map.of("page", c));
            apply(c);
        }
        return r;
    }

    @Override
    public synchronized CommitResult quarantine(QuarantineRecord q) {
        if (scans.containsKey(q.scan())) {
            return CommitResult.ALREADY_RECORDED;
        }
        journal.append(Map.of("quarantine", q));
        apply(q);
        return CommitResult.COMMITTED;
    }

    private CommitResult check(PageCommit c) {
        ScanRecord seen = scans.get(c.scan());
        if (seen != null && seen.outcome() == Outcome.INGESTED) {
            return CommitResult.ALREADY_RECORDED;
        }
        ScanKey current = active.get(c.code());
        boolean ok = c.replaces() == null ? current == null : c.replaces().equals(current);
        return ok ? CommitResult.COMMITTED : CommitResult.PAGE_TAKEN;
    }

    private void apply(PageCommit c) {
        ScanKey old = active.get(c.code());
        if (old != null) {
            PageRecord p = pagesByScan.get(old);
            pagesByScan.put(old, new PageRecord(p.scan(), p.code(), p.scanBlobId(), p.responseIds(), false));
            p.responseIds().forEach(id -> superseded.put(id, true));
        }
        scans.put(c.scan(), new ScanRecord(c.scan(), Outcome.INGESTED, null));
        List<String> ids = c.responses().stream().map(ResponseRecord::responseId).toList();
        pagesByScan.put(c.scan(), new PageRecord(c.scan(), c.code(), c.scanBlobId(), ids, true));
        active.put(c.code(), c.scan());
        c.responses().forEach(r -> responses.put(r.responseId(), r));
    }

    private void apply(QuarantineRecord q) {
        scans.put(q.scan(), new ScanRecord(q.scan(), Outcome.QUARANTINED, q.reason()));
        quarantined.add(q);
    }

    /** Every response recorded, superseded ones included, in commit order. */
    public synchronized List<ResponseRecord> responses() {
        return List.copyOf(responses.values());
    }

    /** True if a rescan replaced the page this response came from. */
    public synchronized boolean isSuperseded(String responseId) {
        return superseded.containsKey(responseId);
    }

    /** Every page record, inactive ones included. */
    public synchronized List<PageRecord> pages() {
        return List.copyOf(pagesByScan.values());
    }

    /** Scan pages in quarantine now (released ones left out). */
    public synchronized List<QuarantineRecord> quarantined() {
        return quarantined.stream().filter(q -> scans.get(q.scan()).outcome() == Outcome.QUARANTINED).toList();
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}

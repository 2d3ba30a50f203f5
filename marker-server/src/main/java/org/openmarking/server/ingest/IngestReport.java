package org.openmarking.server.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What ingest did with one file: one {@link PageResult} per page (one for an unreadable file). */
public record IngestReport(String fileName, List<PageResult> pages) {
    public IngestReport {
        pages = List.copyOf(pages);
    }

    /** What happened to a page. */
    public enum Outcome {
        INGESTED,
        /** Ingested with the rescan flag, replacing an earlier scan of the page. */
        RESCANNED,
        /** This exact scan page was recorded before: nothing done. */
        DUPLICATE,
        QUARANTINED
    }

    /**
     * One page's outcome. {@code code} is null when it was never read; {@code reason}
     * and {@code detail} only for quarantine; {@code responseIds} only when ingested.
     */
    public record PageResult(int index, Outcome outcome, PageCode code, QuarantineReason reason, String detail,
            List<String> responseIds) {
        public PageResult {
            responseIds = List.copyOf(responseIds);
        }
    }

    /** Counts over a batch. */
    public record Summary(int files, int pages, int ingested, int rescanned, int duplicates,
            Map<QuarantineReason, Integer> quarantined) {
        public Summary {
            quarantined = Map.copyOf(quarantined);
        }

        public static Summary of(List<IngestReport> reports) {
            int pages = 0;
            int[] counts = new int[Outcome.values().length];
            Map<QuarantineReason, Integer> q = new EnumMap<>(QuarantineReason.class);
            for (IngestReport r : reports) {
                for (PageResult p : r.pages()) {
                    pages++;
                    counts[p.outcome().ordinal()]++;
                    if (p.reason() != null) {
                        q.merge(p.reason(), 1, Integer::sum);
                    }
                }
            }
            return new Summary(reports.size(), pages, counts[0], counts[1], counts[2], q);
        }

        public int quarantinedTotal() {
            return quarantined.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("files %d, pages %d: ingested %d, rescanned %d, duplicates %d, quarantined %d",
                    files, pages, ingested, rescanned, duplicates, quarantinedTotal()));
            new java.util.TreeMap<>(quarantined).forEach((k, v) -> s.append(String.format("%n  quarantined %-18s %d", k, v)));
            return s.toString();
        }
    }
}

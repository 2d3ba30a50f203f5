package org.openmarking.calibration.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openmarking.domain.Mark;

/**
 * Marking-quality statistics per marker and task, built from mark records: agreement with
 * definitive marks, agreement with co-markers, and the distribution of marks given.
 *
 * <p>Each result is an {@link AgreementTable} or {@link MarkDistribution}, which the caller turns
 * into figures ({@link AgreementSummary#of}) and can keep adding to as marks arrive.
 */
public final class QualityStats {
    private QualityStats() {
    }

    /**
     * Agreement with definitive marks (seeds, calibration items): for each record whose response
     * has a definitive mark, the marker's mark against it. Records of other responses are skipped.
     *
     * @param definitive definitive mark by response id
     */
    public static Map<MarkerTask, AgreementTable> againstDefinitive(Collection<MarkRecord> marks, Map<String, Mark> definitive) {
        Map<MarkerTask, AgreementTable> out = new HashMap<>();
        for (MarkRecord r : marks) {
            Mark d = definitive.get(r.responseId());
            if (d != null) {
                out.merge(r.markerTask(), AgreementTable.of(r.mark(), d), AgreementTable::plus);
            }
        }
        return Map.copyOf(out);
    }

    /**
     * Agreement with co-markers: for every response marked by two or more markers, each marker's
     * mark against each other marker's mark on it. A response marked by three markers gives each
     * of them two pairs. A marker's second mark on the same response is not a co-marker's mark and
     * is not paired with their first.
     */
    public static Map<MarkerTask, AgreementTable> againstCoMarkers(Collection<MarkRecord> marks) {
        Map<List<String>, List<MarkRecord>> byResponse = new HashMap<>();
        for (MarkRecord r : marks) {
            byResponse.computeIfAbsent(List.of(r.taskId(), r.responseId()), k -> new ArrayList<>()).add(r);
        }
        Map<MarkerTask, AgreementTable> out = new HashMap<>();
        for (List<MarkRecord> same : byResponse.values()) {
            for (MarkRecord a : same) {
                for (MarkRecord b : same) {
                    if (!a.markerId().equals(b.markerId())) {
                        out.merge(a.markerTask(), AgreementTable.of(a.mark(), b.mark()), AgreementTable::plus);
                    }
                }
            }
        }
        return Map.copyOf(out);
    }

    /** The distribution of marks each marker gave on each task. */
    public static Map<MarkerTask, MarkDistribution> distributionByMarker(Collection<MarkRecord> marks) {
        Map<MarkerTask, MarkDistribution> out = new HashMap<>();
        for (MarkRecord r : marks) {
            out.merge(r.markerTask(), MarkDistribution.empty().plus(r.mark()), MarkDistribution::plus);
        }
        return Map.copyOf(out);
    }

    /** The distribution of all marks given on each task, by task id: what each marker is compared with. */
    public static Map<String, MarkDistribution> distributionByTask(Collection<MarkRecord> marks) {
        Map<String, MarkDistribution> out = new HashMap<>();
        for (MarkRecord r : marks) {
            out.merge(r.taskId(), MarkDistribution.empty().plus(r.mark()), MarkDistribution::plus);
        }
        return Map.copyOf(out);
    }
}

package org.openmarking.server.quality;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openmarking.calibration.stats.AgreementSummary;
import org.openmarking.calibration.stats.AgreementTable;
import org.openmarking.calibration.stats.MarkDistribution;
import org.openmarking.calibration.stats.MarkRecord;
import org.openmarking.calibration.stats.MarkerTask;
import org.openmarking.calibration.stats.MarkingRate;
import org.openmarking.calibration.stats.QualityStats;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;
import org.openmarking.server.marking.TaskSettings;

/**
 * The figures a chief examiner watches: a task's progress and each marker's quality, computed by
 * the calibration module's statistics ({@link QualityStats}, {@link AgreementSummary},
 * {@link MarkingRate}, {@link MarkDistribution}) from the marks as stored. Withdrawn marks never
 * count; held marks do not count until released.
 */
public final class QualityService {
    private final Pool pool;
    private final Clock clock;

    public QualityService(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** A fraction as the dashboard wants it: a number to plot and the exact value. */
    static JsonObject fraction(Fraction f) {
        return new JsonObject().put("value", f.toDouble()).put("exact", f.toString());
    }

    /**
     * Progress of a task: where its responses stand, the marking rate (live and senior marks of
     * the last hour; seeds excluded) and an estimate of the end at that rate.
     */
    public Future<JsonObject> progress(String taskId) {
        return pool.preparedQuery("with rm as (select r.id, r.status, r.marks_needed, "
                        + "(select count(*) from marks m where m.response_id = r.id and m.kind = 'live' and m.status = 'valid') as n "
                        + "from responses r where r.task_id = $1 and r.status not in ('reference', 'withdrawn')) "
                        + "select count(*), count(*) filter (where n = 0), count(*) filter (where n = 1), count(*) filter (where n >= 2), "
                        + "count(*) filter (where status = 'final'), count(*) filter (where status = 'escalated'), "
                        + "count(*) filter (where status = 'adjudication'), count(*) filter (where status in ('senior', 'senior-marking')), "
                        + "coalesce(sum(greatest(marks_needed - n, 0)) filter (where status <> 'final'), 0) "
                        + "+ count(*) filter (where status in ('senior', 'senior-marking')), "
                        + "(select count(*) from allocations a where a.task_id = $1 and a.kind = 'seed'), "
                        + "(select count(*) from marks m where m.task_id = $1 and m.kind in ('live', 'senior') "
                        + "   and m.status <> 'withdrawn' and m.made_at > now() - interval '1 hour'), "
                        + "(select count(*) from allocations a where a.task_id = $1 and a.state = 'leased' and a.expires_at > now()), "
                        + "(select json_object_agg(state, c) from (select state, count(*) c from marker_tasks where task_id = $1 group by state) s), "
                        + "(select count(*) from marks m where m.task_id = $1 and m.status = 'held'), "
                        + "(select count(*) from marks m where m.task_id = $1 and m.status = 'withdrawn'), now() "
                        + "from rm")
                .execute(Tuple.of(taskId))
                .map(rs -> {
                    Row r = rs.iterator().next();
                    long remaining = r.getLong(8);
                    long lastHour = r.getLong(10);
                    JsonObject out = new JsonObject().put("taskId", taskId).put("responses", r.getLong(0))
                            .put("notStarted", r.getLong(1)).put("markedOnce", r.getLong(2)).put("markedTwiceOrMore", r.getLong(3))
                            .put("final", r.getLong(4)).put("escalated", r.getLong(5)).put("adjudication", r.getLong(6))
                            .put("senior", r.getLong(7)).put("marksOutstanding", remaining).put("seedsServed", r.getLong(9))
                            .put("marksPerHour", lastHour).put("leasesRunning", r.getLong(11))
                            .put("markers", r.getValue(12) == null ? new JsonObject() : new JsonObject(r.getValue(12).toString()))
                            .put("marksHeld", r.getLong(13)).put("marksWithdrawn", r.getLong(14));
                    // Only live and senior marks finish responses: seed marks take markers' time but reduce
                    // no outstanding mark, so counting them would make the rate too high and the end too early.
                    if (remaining == 0) {
                        out.put("etaSeconds", 0).put("eta", r.getOffsetDateTime(15).toInstant().toString());
                    } else if (lastHour > 0) {
                        long seconds = remaining * 3600 / lastHour;
                        out.put("etaSeconds", seconds).put("eta", r.getOffsetDateTime(15).toInstant().plusSeconds(seconds).toString());
                    }
                    return out;
                });
    }

    /** One mark as the statistics see it, with what became of its response. */
    private record Row5(MarkRecord record, String kind, boolean wentSenior, boolean resolved, String username) {
    }

    /**
     * Per-marker statistics on a task: seeds against definitive marks, agreement with co-markers,
     * marks per hour, the mark distribution against the task's, the third-marking rate, state.
     */
    public Future<JsonObject> stats(String taskId, TaskSettings settings) {
        return pool.preparedQuery("select m.marker_id::text, u.username, m.response_id, m.sixths, m.kind, m.made_at, "
                        + "(r.status in ('senior', 'senior-marking', 'adjudication') or exists (select 1 from marks s where s.response_id = m.response_id "
                        + "   and s.kind = 'senior' and s.status <> 'withdrawn')), "
                        + "r.status in ('final', 'senior', 'senior-marking', 'adjudication') "
                        + "from marks m join users u on u.id = m.marker_id join responses r on r.id = m.response_id "
                        + "where m.task_id = $1 and m.kind in ('live', 'seed', 'senior') and m.status = 'valid'")
                .execute(Tuple.of(taskId))
                .compose(marks -> pool.preparedQuery("select response_id, definitive_sixths from seeds where task_id = $1").execute(Tuple.of(taskId))
                        .compose(seeds -> pool.preparedQuery("select mt.marker_id::text, u.username, mt.state, mt.senior, mt.state_reason "
                                        + "from marker_tasks mt join users u on u.id = mt.marker_id where mt.task_id = $1 order by u.username")
                                .execute(Tuple.of(taskId))
                                .map(markers -> {
                                    List<Row5> rows = new ArrayList<>();
                                    for (Row r : marks) {
                                        rows.add(new Row5(new MarkRecord(r.getString(0), taskId, r.getString(2), Mark.ofSixths(r.getInteger(3)),
                                                r.getOffsetDateTime(5).toInstant()), r.getString(4), r.getBoolean(6), r.getBoolean(7), r.getString(1)));
                                    }
                                    Map<String, Mark> definitive = new HashMap<>();
                                    seeds.forEach(s -> definitive.put(s.getString(0), Mark.ofSixths(s.getInteger(1))));
                                    Map<String, Row> byId = new LinkedHashMap<>();
                                    markers.forEach(m -> byId.put(m.getString(0), m));
                                    return compute(taskId, settings, rows, definitive, byId);
                                })));
    }

    private JsonObject compute(String taskId, TaskSettings settings, List<Row5> rows, Map<String, Mark> definitive, Map<String, Row> markers) {
        List<MarkRecord> seedMarks = rows.stream().filter(r -> r.kind().equals("seed")).map(Row5::record).toList();
        List<MarkRecord> independent = rows.stream().filter(r -> r.kind().equals("live")).map(Row5::record).toList();
        List<MarkRecord> all = rows.stream().map(Row5::record).toList();
        Map<MarkerTask, AgreementTable> seedTables = QualityStats.againstDefinitive(seedMarks, definitive);
        Map<MarkerTask, AgreementTable> coTables = QualityStats.againstCoMarkers(independent);
        Map<MarkerTask, MarkDistribution> distributions = QualityStats.distributionByMarker(independent);
        MarkDistribution taskDistribution = QualityStats.distributionByTask(independent).getOrDefault(taskId, MarkDistribution.empty());
        MarkingRate rate = new MarkingRate(clock, Duration.ofHours(1));
        int tolerance = settings.seedPolicy().toleranceSteps();

        JsonArray out = new JsonArray();
        for (Map.Entry<String, Row> e : markers.entrySet()) {
            String id = e.getKey();
            MarkerTask key = new MarkerTask(id, taskId);
            List<Instant> times = all.stream().filter(r -> r.markerId().equals(id)).map(MarkRecord::markedAt).toList();
            List<Row5> mine = rows.stream().filter(r -> r.record().markerId().equals(id) && r.kind().equals("live")).toList();
            long resolved = mine.stream().filter(Row5::resolved).count();
            long third = mine.stream().filter(r -> r.resolved() && r.wentSenior()).count();
            MarkDistribution d = distributions.getOrDefault(key, MarkDistribution.empty());
            out.add(new JsonObject().put("markerId", id).put("username", e.getValue().getString(1))
                    .put("state", e.getValue().getString(2)).put("senior", e.getValue().getBoolean(3))
                    .put("stateReason", e.getValue().getString(4))
                    .put("marks", new JsonObject().put("live", mine.size())
                            .put("seed", seedMarks.stream().filter(r -> r.markerId().equals(id)).count())
                            .put("senior", rows.stream().filter(r -> r.record().markerId().equals(id) && r.kind().equals("senior")).count()))
                    .put("seeds", summary(seedTables.getOrDefault(key, AgreementTable.empty()), tolerance))
                    .put("coMarkers", summary(coTables.getOrDefault(key, AgreementTable.empty()), 1))
                    .put("marksPerHour", fraction(rate.perHour(times)))
                    .put("distribution", distribution(d))
                    .put("distanceToTask", fraction(d.distanceTo(taskDistribution)))
                    .put("thirdMarking", new JsonObject().put("resolved", resolved).put("sentToSenior", third)
                            .put("rate", fraction(resolved == 0 ? Fraction.ZERO : Fraction.of(third, resolved)))));
        }
        return new JsonObject().put("taskId", taskId).put("taskDistribution", distribution(taskDistribution))
                .put("seedToleranceSteps", tolerance).put("markers", out);
    }

    /** An agreement summary: within-tolerance is "adjacent" for co-markers (one step). */
    static JsonObject summary(AgreementTable t, int toleranceSteps) {
        AgreementSummary s = AgreementSummary.of(t, toleranceSteps);
        JsonObject o = new JsonObject().put("count", s.count()).put("exact", fraction(s.exactRate()))
                .put("toleranceSteps", s.toleranceSteps()).put("withinTolerance", fraction(s.withinToleranceRate()))
                .put("meanSignedDeviation", fraction(s.meanSignedDeviation())).put("meanAbsoluteDeviation", fraction(s.meanAbsoluteDeviation()));
        Optional<Fraction> k = s.quadraticWeightedKappa();
        o.put("qwk", k.map(QualityService::fraction).orElse(null));
        return o;
    }

    static JsonObject distribution(MarkDistribution d) {
        JsonObject counts = new JsonObject();
        JsonObject shares = new JsonObject();
        for (Mark m : Mark.values()) {
            counts.put(m.toString(), d.count(m));
            shares.put(m.toString(), d.share(m).toDouble());
        }
        return new JsonObject().put("total", d.total()).put("counts", counts).put("shares", shares).put("mean", fraction(d.mean()));
    }

    /** Responses of a task, for choosing calibration items and seeds (no identity: ids, status, marks). */
    public Future<JsonArray> responses(String taskId, String status, int limit) {
        return pool.preparedQuery("select r.id, r.status, r.final_sixths, r.likely_blank, r.assigned, "
                        + "exists (select 1 from seeds s where s.response_id = r.id), "
                        + "exists (select 1 from calibration_items c where c.response_id = r.id) "
                        + "from responses r where r.task_id = $1 and ($2::text is null or r.status = $2) order by r.id limit $3")
                .execute(Tuple.of(taskId, status, limit))
                .map(rs -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rs) {
                        JsonObject o = new JsonObject().put("responseId", r.getString(0)).put("status", r.getString(1))
                                .put("likelyBlank", r.getBoolean(3)).put("assigned", r.getInteger(4)).put("seed", r.getBoolean(5))
                                .put("calibrationItem", r.getBoolean(6)).put("imageUrl", "/api/v1/quality/responses/" + r.getString(0) + "/image");
                        if (r.getInteger(2) != null) {
                            o.put("finalMark", Mark.ofSixths(r.getInteger(2)).toString());
                        }
                        out.add(o);
                    }
                    return out;
                });
    }
}

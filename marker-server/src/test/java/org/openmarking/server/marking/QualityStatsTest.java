package org.openmarking.server.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.openmarking.server.marking.MarkingFixture.chief;
import static org.openmarking.server.marking.MarkingFixture.chiefGet;
import static org.openmarking.server.marking.MarkingFixture.marker;
import static org.openmarking.server.marking.MarkingFixture.plain;
import static org.openmarking.server.marking.MarkingFixture.responses;
import static org.openmarking.server.marking.MarkingFixture.server;
import static org.openmarking.server.marking.MarkingFixture.sql;
import static org.openmarking.server.marking.MarkingFixture.task;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openmarking.server.marking.MarkingFixture.User;

/**
 * The server's statistics on a case worked by hand. The formulas are tested in the calibration
 * module; this checks that the server feeds them the right marks and reports their figures.
 */
class QualityStatsTest {

    private static void record(User m, String task, String response, String kind, int sixths) {
        long allocation = sql("insert into allocations (response_id, marker_id, task_id, kind, expires_at, state) "
                + "values ($1, $2::uuid, $3, $4, now(), 'marked') returning id", response, m.id(), task, kind).iterator().next().getLong(0);
        sql("insert into marks (id, allocation_id, response_id, marker_id, task_id, sixths, criteria_version, kind) "
                + "values ($1, $2, $3, $4::uuid, $5, $6, 1, $7)", UUID.randomUUID(), allocation, response, m.id(), task, (short) sixths, kind);
    }

    private static JsonObject of(JsonObject stats, User m) {
        return stats.getJsonArray("markers").stream().map(JsonObject.class::cast).filter(x -> x.getString("markerId").equals(m.id()))
                .findFirst().orElseThrow();
    }

    @Test
    void figuresMatchACaseWorkedByHand() {
        String task = task(plain());
        User chief = chief(task);
        User a = marker(task);
        User b = marker(task);
        server().get("/api/v1/marking/tasks", a.token());
        server().get("/api/v1/marking/tasks", b.token());
        // Seeds with definitive marks 1, 2/3, 0, 2/3 (sixths 6, 4, 0, 4); A gives 1, 1/2, 0, 2/3.
        List<String> seeds = responses(task, 4);
        int[] definitive = {6, 4, 0, 4};
        int[] given = {6, 3, 0, 4};
        for (int i = 0; i < 4; i++) {
            sql("update responses set status = 'reference' where id = $1", seeds.get(i));
            sql("insert into seeds (task_id, response_id, definitive_sixths) values ($1, $2, $3)", task, seeds.get(i), (short) definitive[i]);
            record(a, task, seeds.get(i), "seed", given[i]);
        }
        // Two live responses: L1 both 1 (final), L2 A 1/2, B 1/3 (sent to a senior).
        List<String> live = responses(task, 2);
        record(a, task, live.get(0), "live", 6);
        record(b, task, live.get(0), "live", 6);
        record(a, task, live.get(1), "live", 3);
        record(b, task, live.get(1), "live", 2);
        live.forEach(id -> TestAwait.reconsider(id));
        assertEquals("final", MarkingFixture.status(live.get(0)));
        assertEquals("senior", MarkingFixture.status(live.get(1)));

        JsonObject stats = chiefGet(chief, "/tasks/" + task + "/stats").json();
        JsonObject sa = of(stats, a);
        JsonObject seedsA = sa.getJsonObject("seeds");
        assertEquals(4, seedsA.getInteger("count"));
        assertEquals("3/4", seedsA.getJsonObject("exact").getString("exact"));
        assertEquals("1", seedsA.getJsonObject("withinTolerance").getString("exact"), "all within one step");
        // (0 - 1 + 0 + 0) sixths over 4 seeds = -1/24 of a point; |.| likewise 1/24.
        assertEquals("-1/24", seedsA.getJsonObject("meanSignedDeviation").getString("exact"));
        assertEquals("1/24", seedsA.getJsonObject("meanAbsoluteDeviation").getString("exact"));
        // Steps given (4,2,0,3) vs definitive (4,3,0,3): observed 1, expected 72, kappa = 1 - 4*1/72 = 17/18.
        assertEquals("17/18", seedsA.getJsonObject("qwk").getString("exact"));

        JsonObject coA = sa.getJsonObject("coMarkers");
        assertEquals(2, coA.getInteger("count"));
        assertEquals("1/2", coA.getJsonObject("exact").getString("exact"));
        assertEquals("1", coA.getJsonObject("withinTolerance").getString("exact"), "1/2 against 1/3 is adjacent");
        assertEquals("1/12", coA.getJsonObject("meanSignedDeviation").getString("exact"));
        // Steps A (4,2) vs B (4,1): observed 1, expected 9 + 4 + 1 = 14, kappa = 1 - 2/14 = 6/7.
        assertEquals("6/7", coA.getJsonObject("qwk").getString("exact"));
        assertEquals("-1/12", of(stats, b).getJsonObject("coMarkers").getJsonObject("meanSignedDeviation").getString("exact"));
        assertNull(of(stats, b).getJsonObject("seeds").getValue("qwk"), "no seeds: no kappa, not 0 or 1");

        assertEquals("6", sa.getJsonObject("marksPerHour").getString("exact"), "4 seeds and 2 live marks in the last hour");
        // A: 1 and 1/2 (half each); the task: 1, 1, 1/2, 1/3 -> distance 1/2 (0 + 1/4 + 1/4) = 1/4.
        assertEquals("1/4", sa.getJsonObject("distanceToTask").getString("exact"));
        assertEquals(1, sa.getJsonObject("distribution").getJsonObject("counts").getInteger("1/2"));
        assertEquals(2, sa.getJsonObject("thirdMarking").getInteger("resolved"));
        assertEquals("1/2", sa.getJsonObject("thirdMarking").getJsonObject("rate").getString("exact"));

        JsonObject progress = chiefGet(chief, "/tasks/" + task + "/progress").json();
        assertEquals(2, progress.getInteger("responses"), "seeds are not live work");
        assertEquals(1, progress.getInteger("final"));
        assertEquals(1, progress.getInteger("senior"));
        assertEquals(2, progress.getInteger("markedTwiceOrMore"));
        assertEquals(4, progress.getInteger("seedsServed"));
        assertEquals(4, progress.getInteger("marksPerHour"), "the 4 live marks of the last hour; the 4 seed marks finish nothing");
        assertEquals(1, progress.getInteger("marksOutstanding"), "one senior marking");
        assertEquals(900, progress.getInteger("etaSeconds"), "1 mark at 4 an hour: 3600 / 4 s");
    }
}

package org.openmarking.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmarking.domain.Fraction;
import org.openmarking.domain.Mark;

class QualityStatsTest {
    static final Instant T = Instant.parse("2026-04-20T10:00:00Z");

    static MarkRecord rec(String marker, String response, String mark) {
        return new MarkRecord(marker, "T1", response, Mark.parse(mark), T);
    }

    @Test
    void comparesEachMarkerWithDefinitiveMarksOnly() {
        List<MarkRecord> marks = List.of(
                rec("m1", "seed-1", "1/2"), rec("m1", "seed-2", "0"), rec("m1", "live-9", "1"),
                rec("m2", "seed-1", "2/3"));
        Map<String, Mark> definitive = Map.of("seed-1", Mark.ONE_HALF, "seed-2", Mark.ONE_THIRD);
        Map<MarkerTask, AgreementTable> t = QualityStats.againstDefinitive(marks, definitive);
        // m1: 1/2 vs 1/2 exact, 0 vs 1/3 one step: 2 pairs, the live mark is skipped
        AgreementTable m1 = t.get(new MarkerTask("m1", "T1"));
        assertEquals(2, m1.total());
        assertEquals(Fraction.of(1, 2), m1.exactRate());
        // m2: 2/3 vs 1/2 = +1/6 point: lenient
        assertEquals(Fraction.of(1, 6), t.get(new MarkerTask("m2", "T1")).meanSignedDeviation());
    }

    /*
     * R1: m1 1/2, m2 1/2.  R2: m1 0, m2 1/3, m3 1/3.  R3: m1 1 alone (no co-marker).
     *   m1 pairs: 1/2:1/2, 0:1/3 (m2), 0:1/3 (m3) -> 3 pairs, exact 1/3, adjacent 3/3,
     *     signed (0 - 2 - 2) sixths / 3 = -4/18 = -2/9 point.
     *   m2 pairs: 1/2:1/2, 1/3:0, 1/3:1/3 -> exact 2/3, signed (0 + 2 + 0)/6/3 = 1/9.
     *   m3 pairs: 1/3:0, 1/3:1/3 -> exact 1/2.
     *   m1's kappa: steps (2,2) (0,1) (0,1); observed 0+1+1 = 2; r: 0 x2, 2 x1; c: 1 x2, 2 x1;
     *     a=0 (x2): 1*2 + 4*1 = 6 -> 12; a=2 (x1): 1*2 + 0 = 2; total 14; kappa = 1 - 3*2/14 = 4/7.
     */
    @Test
    void comparesEachMarkerWithCoMarkersOnTheSameResponses() {
        List<MarkRecord> marks = List.of(
                rec("m1", "R1", "1/2"), rec("m2", "R1", "1/2"),
                rec("m1", "R2", "0"), rec("m2", "R2", "1/3"), rec("m3", "R2", "1/3"),
                rec("m1", "R3", "1"));
        Map<MarkerTask, AgreementTable> t = QualityStats.againstCoMarkers(marks);
        AgreementTable m1 = t.get(new MarkerTask("m1", "T1"));
        assertEquals(3, m1.total());
        assertEquals(Fraction.of(1, 3), m1.exactRate());
        assertEquals(Fraction.ONE, m1.withinRate(1));
        assertEquals(Fraction.of(-2, 9), m1.meanSignedDeviation());
        assertEquals(Fraction.of(4, 7), m1.quadraticWeightedKappa().orElseThrow());
        assertEquals(Fraction.of(2, 3), t.get(new MarkerTask("m2", "T1")).exactRate());
        assertEquals(Fraction.of(1, 9), t.get(new MarkerTask("m2", "T1")).meanSignedDeviation());
        assertEquals(Fraction.of(1, 2), t.get(new MarkerTask("m3", "T1")).exactRate());
    }

    @Test
    void aMarkersOwnSecondMarkIsNotACoMark() {
        Map<MarkerTask, AgreementTable> t = QualityStats.againstCoMarkers(List.of(rec("m1", "R1", "0"), rec("m1", "R1", "1")));
        assertFalse(t.containsKey(new MarkerTask("m1", "T1")));
    }

    /*
     * Marker m1 gives 0, 0, 1/2, 1: shares 2/4, 0, 1/4, 0, 1/4; mean (0+0+3+6)/6/4 = 9/24 = 3/8.
     * Task: m1 (0 0 1/2 1) + m2 (1/3 1/3 2/3 2/3) = 0 x2, 1/3 x2, 1/2 x1, 2/3 x2, 1 x1 -> shares 2/8 2/8 1/8 2/8 1/8.
     * Distance m1 to task: |4/8-2/8| + |0-2/8| + |2/8-1/8| + |0-2/8| + |2/8-1/8| = (2+2+1+2+1)/8 = 1; half: 1/2.
     */
    @Test
    void comparesAMarkersDistributionWithTheTasks() {
        List<MarkRecord> marks = List.of(
                rec("m1", "a", "0"), rec("m1", "b", "0"), rec("m1", "c", "1/2"), rec("m1", "d", "1"),
                rec("m2", "e", "1/3"), rec("m2", "f", "1/3"), rec("m2", "g", "2/3"), rec("m2", "h", "2/3"));
        MarkDistribution m1 = QualityStats.distributionByMarker(marks).get(new MarkerTask("m1", "T1"));
        MarkDistribution task = QualityStats.distributionByTask(marks).get("T1");
        assertEquals(Fraction.of(1, 2), m1.share(Mark.ZERO));
        assertEquals(Fraction.of(3, 8), m1.mean());
        assertEquals(8, task.total());
        assertEquals(Fraction.of(1, 4), task.share(Mark.TWO_THIRDS));
        assertEquals(Fraction.of(1, 2), m1.distanceTo(task));
        assertEquals(Fraction.ZERO, task.distanceTo(task));
        assertEquals(Fraction.ZERO, m1.distanceTo(MarkDistribution.empty()));
    }

    /*
     * Clock at 10:00. Marks at 09:29:59, 09:30:00, 09:30:01, 09:45, 10:00, 10:00:01.
     *   30-minute window = (09:30, 10:00]: 09:30:01, 09:45, 10:00 -> 3 marks / 0.5 h = 6 per hour.
     *   90-minute window = (08:30, 10:00]: 5 marks (10:00:01 is in the future) / 1.5 h = 10/3 per hour.
     *   1-minute window = (09:59, 10:00]: 1 mark / (1/60) h = 60 per hour.
     */
    @ParameterizedTest
    @CsvSource({"30, 6", "90, 10/3", "1, 60"})
    void countsMarksPerHourInTheWindowEndingNow(long minutes, String perHour) {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        List<Instant> times = List.of(T.minusSeconds(1801), T.minusSeconds(1800), T.minusSeconds(1799),
                T.minusSeconds(900), T, T.plusSeconds(1));
        assertEquals(Fraction.parse(perHour), new MarkingRate(clock, Duration.ofMinutes(minutes)).perHour(times));
    }

    @Test
    void rateWindowMustBePositive() {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        assertThrows(IllegalArgumentException.class, () -> new MarkingRate(clock, Duration.ZERO));
    }
}

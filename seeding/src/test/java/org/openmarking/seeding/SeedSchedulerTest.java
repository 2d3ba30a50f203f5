package org.openmarking.seeding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedSchedulerTest {

    static List<String> pool(int n) {
        return IntStream.range(0, n).mapToObj(i -> "S" + i).toList();
    }

    /** Serves {@code requests} requests to one marker and returns the live answers between consecutive seeds. */
    static List<Integer> gaps(SeedScheduler scheduler, int requests, List<String> pool) {
        List<Integer> gaps = new ArrayList<>();
        SeedingState state = SeedingState.start();
        for (int i = 0; i < requests; i++) {
            int before = state.liveSinceLastSeed();
            SeedDecision d = scheduler.next(state, pool);
            if (d.isSeed()) {
                gaps.add(before);
            }
            state = d.next();
        }
        return gaps;
    }

    /*
     * oneIn(20): minGap 4, maxGap 80, p = 1/(20 - 4) = 1/16. Untruncated the mean cycle is
     * 4 + 15 + 1 = 20; the cap at 80 cuts the tail: E[min(G, 76)] = 15 (1 - (15/16)^76) = 14.89,
     * a mean cycle of 19.89 and 60 000 / 19.89 = 3017 seeds expected. The count's standard
     * deviation, from renewal theory, is about sqrt(n var / mean^3) = sqrt(6e4 * 240 / 7868) = 43,
     * with var = (1 - p) / p^2 = 240 the gap's variance; the band below is 4.5 of those.
     */
    @Test
    void longRunRateIsOneInTwenty() {
        List<Integer> gaps = gaps(new SeedScheduler(SeedSchedule.oneIn(20), new SplittableRandom(20260412L)), 60_000, pool(3_500));
        assertTrue(Math.abs(gaps.size() - 3017) <= 190, "seeds served: " + gaps.size());
    }

    /*
     * A geometric gap has the same chance of ending at every length past the minimum: the hazard
     * #(gap == k) / #(gap >= k) should be about p = 1/16 = 0.0625 both for short gaps (4..13) and
     * long ones (20..39). A constant or uniform gap fails this: its hazard rises to 1 at the end.
     */
    @Test
    void gapsVaryAndCountingThemTellsNothing() {
        SeedSchedule schedule = SeedSchedule.oneIn(20);
        List<Integer> gaps = gaps(new SeedScheduler(schedule, new SplittableRandom(7L)), 100_000, pool(6_000));
        assertTrue(gaps.stream().allMatch(g -> g >= 4 && g <= 80), "gaps within [minGap, maxGap]");
        assertTrue(new HashSet<>(gaps).size() > 40, "many distinct gap lengths");
        double mean = gaps.stream().mapToInt(Integer::intValue).average().orElseThrow();
        double sd = Math.sqrt(gaps.stream().mapToDouble(g -> (g - mean) * (g - mean)).sum() / gaps.size());
        // geometric with p = 1/16: sd = sqrt(1 - p) / p = 15.5
        assertTrue(sd > 13 && sd < 18, "standard deviation " + sd);
        assertEquals(0.0625, hazard(gaps, 4, 13), 0.01);
        assertEquals(0.0625, hazard(gaps, 20, 39), 0.015);
    }

    static double hazard(List<Integer> gaps, int from, int to) {
        long ended = 0;
        long atRisk = 0;
        for (int k = from; k <= to; k++) {
            final int len = k;
            ended += gaps.stream().filter(g -> g == len).count();
            atRisk += gaps.stream().filter(g -> g >= len).count();
        }
        return (double) ended / atRisk;
    }

    @Test
    void servesEachSeedOnceAndNoneWhenAllAreSeen() {
        // one in 2, no minimum: a seed is due on half the requests, but only three exist
        SeedScheduler s = new SeedScheduler(new SeedSchedule(2, 0, 1), new SplittableRandom(1L));
        SeedingState state = SeedingState.start();
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SeedDecision d = s.next(state, List.of("A", "B", "C"));
            d.seedId().ifPresent(served::add);
            state = d.next();
        }
        assertEquals(3, served.size());
        assertEquals(Set.of("A", "B", "C"), Set.copyOf(served));
        assertEquals(Set.of("A", "B", "C"), state.seenSeedIds());
        assertFalse(s.next(state, List.of("A", "B", "C")).isSeed());
        // a new seed added to the pool is overdue and served at once
        assertEquals("D", s.next(state, List.of("A", "B", "C", "D")).seedId().orElseThrow());
    }

    /*
     * Which seed is served is uniform over the unseen ones: 4000 markers, each overdue (80 live
     * answers, the maximum gap) and with seed A already seen, get B, C or D; each about 4000/3 = 1333
     * times, with binomial sd sqrt(4000 * 1/3 * 2/3) = 30, so a band of 150 is 5 sd.
     */
    @Test
    void picksUniformlyAmongUnseenSeeds() {
        SeedScheduler s = new SeedScheduler(SeedSchedule.oneIn(20), new SplittableRandom(11L));
        Map<String, Integer> counts = new TreeMap<>();
        for (int m = 0; m < 4000; m++) {
            String id = s.next(new SeedingState(80, Set.of("A")), List.of("A", "B", "C", "D")).seedId().orElseThrow();
            counts.merge(id, 1, Integer::sum);
        }
        assertEquals(Set.of("B", "C", "D"), counts.keySet());
        counts.values().forEach(c -> assertTrue(Math.abs(c - 1333) <= 150, "counts " + counts));
    }

    /*
     * SeedSchedule(10, 8, 9): p = 1/(10 - 8) = 1/2; at 8 live answers a seed comes with chance 1/2,
     * at 9 it is forced. So every gap is 8 or 9, each about half the time.
     */
    @ParameterizedTest
    @CsvSource({"10, 8, 9", "5, 3, 4", "3, 1, 2"})
    void respectsMinimumAndMaximumGaps(int mean, int min, int max) {
        List<Integer> gaps = gaps(new SeedScheduler(new SeedSchedule(mean, min, max), new SplittableRandom(3L)), 10_000, pool(1_200));
        assertEquals(Set.of(min, max), Set.copyOf(gaps));
        long shortOnes = gaps.stream().filter(g -> g == min).count();
        assertEquals(0.5, (double) shortOnes / gaps.size(), 0.05);
    }

    @Test
    void theSameGeneratorSeedGivesTheSameSequence() {
        assertEquals(gaps(new SeedScheduler(SeedSchedule.oneIn(20), new SplittableRandom(5L)), 2_000, pool(500)),
                gaps(new SeedScheduler(SeedSchedule.oneIn(20), new SplittableRandom(5L)), 2_000, pool(500)));
    }

    @ParameterizedTest
    @CsvSource({"1, 0, 5", "20, 19, 30", "20, -1, 30", "20, 4, 4", "20, 4, 3"})
    void rejectsSchedulesWithoutRandomnessOrOrder(int mean, int min, int max) {
        assertThrows(IllegalArgumentException.class, () -> new SeedSchedule(mean, min, max));
    }

    @Test
    void oneInKeepsAMinimumBelowTheMean() {
        assertEquals(new SeedSchedule(20, 4, 80), SeedSchedule.oneIn(20));
        assertEquals(new SeedSchedule(2, 0, 8), SeedSchedule.oneIn(2));
    }
}

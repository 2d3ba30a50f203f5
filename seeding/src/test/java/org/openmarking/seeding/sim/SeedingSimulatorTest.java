package org.openmarking.seeding.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openmarking.seeding.SeedPolicy;

/** Runs the simulator small, to keep it working and to check it tells the policies apart. */
class SeedingSimulatorTest {

    @Test
    void runsSmallAndSeparatesTheKindsOfMarker() {
        Map<String, SeedPolicy> policies = Map.of(
                "standard", SeedPolicy.standard(),
                "count only", new SeedPolicy(1, 5, 2, 1, 100_000));
        List<SeedingSimulator.Row> rows = SeedingSimulator.run(40, 3000, 1L, policies);
        assertEquals(2, rows.size());
        SeedingSimulator.Row standard = rows.stream().filter(r -> r.policy().equals("standard")).findFirst().orElseThrow();
        SeedingSimulator.Row countOnly = rows.stream().filter(r -> r.policy().equals("count only")).findFirst().orElseThrow();
        // Drifting markers stay within one step, so only the CUSUM can see them.
        assertTrue(standard.driftingDetected() > 0.8, "standard catches drift: " + standard);
        assertTrue(countOnly.driftingDetected() < 0.3, "counting alone misses drift: " + countOnly);
        assertTrue(standard.accurateFalseSuspension() < 0.1, "accurate markers are left alone: " + standard);
        assertTrue(standard.carelessDetected() > standard.accurateFalseSuspension(), standard.toString());
    }

    @Test
    void sameSeedSameTable() {
        Map<String, SeedPolicy> policies = Map.of("standard", SeedPolicy.standard());
        assertEquals(SeedingSimulator.run(10, 400, 9L, policies), SeedingSimulator.run(10, 400, 9L, policies));
    }

    @Test
    void printsOneLinePerPolicy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SeedingSimulator.Row> rows = SeedingSimulator.run(5, 200, 3L, SeedingSimulator.policies());
        SeedingSimulator.print(rows, 5, 200, 3L, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String policy : SeedingSimulator.policies().keySet()) {
            assertTrue(out.contains(policy), out);
        }
    }
}

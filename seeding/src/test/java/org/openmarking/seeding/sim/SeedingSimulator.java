package org.openmarking.seeding.sim;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.openmarking.domain.Mark;
import org.openmarking.seeding.SeedDecision;
import org.openmarking.seeding.SeedPolicy;
import org.openmarking.seeding.SeedResult;
import org.openmarking.seeding.SeedSchedule;
import org.openmarking.seeding.SeedScheduler;
import org.openmarking.seeding.SeedingState;
import org.openmarking.seeding.Verdict;

/**
 * The seeding simulator: replays synthetic markers (accurate, careless, drifting) through the real
 * {@link SeedScheduler} and several {@link SeedPolicy} settings, with a fixed random seed, and
 * prints how soon each policy suspends the bad markers and how often it suspends good ones.
 *
 * <p>Every policy judges the same marker histories, so the rows differ only by policy. Run it
 * with {@code scripts/simulate-seeding.sh [markersPerKind] [liveAnswersPerMarker] [randomSeed]}.
 */
public final class SeedingSimulator {
    /** Share of each definitive mark among seeds: a plausible spread for a written answer. */
    private static final double[] DEFINITIVE_SHARES = {0.15, 0.20, 0.25, 0.20, 0.20};
    private static final int SEED_POOL = 600;
    private static final Instant START = Instant.parse("2026-04-20T08:00:00Z");

    /** The policies compared, by label. */
    static Map<String, SeedPolicy> policies() {
        Map<String, SeedPolicy> p = new LinkedHashMap<>();
        p.put("standard: tol 1, 2 of 5, CUSUM k=1 h=4", SeedPolicy.standard());
        p.put("count only: tol 1, 2 of 5", new SeedPolicy(1, 5, 2, 1, 100_000));
        p.put("count only: tol 1, 2 of 10", new SeedPolicy(1, 10, 2, 1, 100_000));
        p.put("tol 1, 2 of 5, CUSUM k=1 h=3", new SeedPolicy(1, 5, 2, 1, 3));
        p.put("tol 1, 2 of 5, CUSUM k=1 h=8", new SeedPolicy(1, 5, 2, 1, 8));
        p.put("tol 1, 2 of 5, CUSUM k=0 h=8", new SeedPolicy(1, 5, 2, 0, 8));
        p.put("tol 1, 2 of 5, CUSUM k=0 h=12", new SeedPolicy(1, 5, 2, 0, 12));
        p.put("tol 1, 2 of 10, CUSUM k=1 h=4", new SeedPolicy(1, 10, 2, 1, 4));
        p.put("tol 1, 3 of 10, CUSUM k=1 h=4", new SeedPolicy(1, 10, 3, 1, 4));
        return p;
    }

    /** One marker's simulated stream: its seed results and the live answers made before each. */
    record History(SyntheticMarker kind, List<SeedResult> seeds, int[] liveBeforeSeed) {
    }

    /** One row of the table. */
    record Row(String policy, double accurateFalseSuspension, double carelessDetected, double carelessMedianDelay,
               double driftingDetected, double driftingMedianDelay, double driftingEarly) {
    }

    private SeedingSimulator() {
    }

    public static void main(String[] args) {
        int markers = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int live = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20260412L;
        print(run(markers, live, seed, policies()), markers, live, seed, System.out);
    }

    /** Simulates {@code markers} markers of each kind, each for {@code live} live answers, and judges them by each policy. */
    static List<Row> run(int markers, int live, long randomSeed, Map<String, SeedPolicy> policies) {
        SplittableRandom root = new SplittableRandom(randomSeed);
        List<String> pool = IntStream.range(0, SEED_POOL).mapToObj(i -> "seed-" + i).toList();
        Mark[] definitive = new Mark[SEED_POOL];
        for (int i = 0; i < SEED_POOL; i++) {
            definitive[i] = drawDefinitive(root);
        }
        Map<SyntheticMarker, List<History>> histories = new LinkedHashMap<>();
        for (SyntheticMarker kind : SyntheticMarker.values()) {
            List<History> list = new ArrayList<>();
            for (int m = 0; m < markers; m++) {
                list.add(simulate(kind, live, pool, definitive, root.split()));
            }
            histories.put(kind, list);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, SeedPolicy> e : policies.entrySet()) {
            rows.add(judge(e.getKey(), e.getValue(), histories));
        }
        return rows;
    }

    private static History simulate(SyntheticMarker kind, int live, List<String> pool, Mark[] definitive, SplittableRandom rng) {
        SeedScheduler scheduler = new SeedScheduler(SeedSchedule.oneIn(20), rng.split());
        SeedingState state = SeedingState.start();
        List<SeedResult> seeds = new ArrayList<>();
        List<Integer> liveBefore = new ArrayList<>();
        int liveDone = 0;
        long minute = 0;
        while (liveDone < live) {
            SeedDecision d = scheduler.next(state, pool);
            state = d.next();
            minute++;
            if (d.isSeed()) {
                String id = d.seedId().orElseThrow();
                Mark truth = definitive[Integer.parseInt(id.substring("seed-".length()))];
                seeds.add(new SeedResult(id, kind.mark(truth, liveDone, rng), truth, START.plusSeconds(60 * minute)));
                liveBefore.add(liveDone);
            } else {
                // A live answer: its mark does not matter here, only that the marker's state moves on.
                kind.mark(drawDefinitive(rng), liveDone, rng);
                liveDone++;
            }
        }
        return new History(kind, seeds, liveBefore.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Row judge(String label, SeedPolicy policy, Map<SyntheticMarker, List<History>> histories) {
        double accurate = suspendedShare(policy, histories.get(SyntheticMarker.ACCURATE));
        List<History> careless = histories.get(SyntheticMarker.CARELESS);
        List<Integer> carelessDelays = delays(policy, careless, 0);
        List<History> drifting = histories.get(SyntheticMarker.DRIFTING);
        List<Integer> driftDelays = delays(policy, drifting, SyntheticMarker.DRIFT_ONSET);
        long early = drifting.stream().filter(h -> suspendedAt(policy, h) >= 0
                && h.liveBeforeSeed()[suspendedAt(policy, h)] < SyntheticMarker.DRIFT_ONSET).count();
        return new Row(label, accurate,
                (double) carelessDelays.size() / careless.size(), median(carelessDelays),
                (double) driftDelays.size() / drifting.size(), median(driftDelays),
                (double) early / drifting.size());
    }

    /** The seed index at which the policy suspends this history, or -1. */
    private static int suspendedAt(SeedPolicy policy, History h) {
        Verdict v = policy.evaluate(h.seeds());
        return v.level() == Verdict.Level.SUSPEND ? v.decidedAtIndex().getAsInt() : -1;
    }

    private static double suspendedShare(SeedPolicy policy, List<History> hs) {
        return (double) hs.stream().filter(h -> suspendedAt(policy, h) >= 0).count() / hs.size();
    }

    /** Live answers from {@code onset} to suspension, for the markers suspended at or after onset. */
    private static List<Integer> delays(SeedPolicy policy, List<History> hs, int onset) {
        List<Integer> out = new ArrayList<>();
        for (History h : hs) {
            int at = suspendedAt(policy, h);
            if (at >= 0 && h.liveBeforeSeed()[at] >= onset) {
                out.add(h.liveBeforeSeed()[at] - onset);
            }
        }
        return out;
    }

    private static double median(List<Integer> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        int[] a = xs.stream().mapToInt(Integer::intValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
    }

    private static Mark drawDefinitive(SplittableRandom rng) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < DEFINITIVE_SHARES.length; i++) {
            acc += DEFINITIVE_SHARES[i];
            if (u < acc) {
                return Mark.ofStep(i);
            }
        }
        return Mark.FULL;
    }

    static void print(List<Row> rows, int markers, int live, long seed, PrintStream out) {
        out.printf("Seeding simulation: %d markers of each kind, %d live answers each, seeds 1 in 20, random seed %d%n",
                markers, live, seed);
        out.printf("Careless: +-1..2 steps on %.0f%% of answers. Drifting: one step severe, from 0 to 80%% of answers over live answers %d..%d.%n",
                SyntheticMarker.CARELESS_RATE * 100, SyntheticMarker.DRIFT_ONSET, SyntheticMarker.DRIFT_ONSET + SyntheticMarker.DRIFT_RAMP);
        out.println("Delays are medians in live answers: careless from the start, drifting from the drift onset.");
        out.println();
        String header = String.format("%-42s %10s %10s %10s %10s %10s %10s", "policy", "accurate", "careless", "careless", "drifting",
                "drifting", "drifting");
        out.println(header);
        out.printf("%-42s %10s %10s %10s %10s %10s %10s%n", "", "false susp", "detected", "delay", "detected", "delay", "too early");
        char[] rule = new char[header.length()];
        Arrays.fill(rule, '-');
        out.println(new String(rule));
        for (Row r : rows) {
            out.printf("%-42s %9.1f%% %9.1f%% %10.0f %9.1f%% %10.0f %9.1f%%%n", r.policy(), 100 * r.accurateFalseSuspension(),
                    100 * r.carelessDetected(), r.carelessMedianDelay(), 100 * r.driftingDetected(), r.driftingMedianDelay(),
                    100 * r.driftingEarly());
        }
    }
}

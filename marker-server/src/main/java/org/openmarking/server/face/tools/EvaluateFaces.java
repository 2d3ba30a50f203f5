package org.openmarking.server.face.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.openmarking.server.face.BadImageException;
import org.openmarking.server.face.DetectedFace;
import org.openmarking.server.face.FaceCheckConfig;
import org.openmarking.server.face.FaceEngine;
import org.openmarking.server.face.FaceImage;
import org.openmarking.server.face.FaceModels;
import org.openmarking.server.face.ModelCard;
import org.openmarking.server.face.ModelRegistry;

/**
 * Measures the recognizer on a folder in LFW layout ({@code DIR/Person/*.jpg}): embeds every
 * photo (the detected face nearest the image centre among faces scoring at least 0.5, as in
 * shared/models/SOURCES.md), scores all genuine pairs and a random sample of impostor pairs
 * (fixed seed), and prints FNMR at FMR 1e-2, 1e-3 and 1e-4 with their thresholds, the EER, the
 * error rates at the card's own thresholds, and detection failures.
 *
 * <p>Usage: {@code EvaluateFaces DIR [--models MODELDIR] [--impostors N] [--seed S]}; run it
 * through {@code scripts/eval-face.sh}.
 */
public final class EvaluateFaces {
    private EvaluateFaces() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EvaluateFaces DIR [--models MODELDIR] [--impostors N] [--seed S]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path models = Path.of(System.getProperty("openmarking.models", "../shared/models"));
        int impostors = 2_000_000;
        long seed = 20260412L;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--models" -> models = Path.of(args[i + 1]);
                case "--impostors" -> impostors = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FaceModels fm = ModelRegistry.open(models).faceCheckModels(null);
        FaceCheckConfig config = new FaceCheckConfig(640, 0.5, 20 << 20, 40_000_000L, 20, 0.5, 1, 1e-3, 1e-2,
                5, 30, 0.6, 1, 0.15, 12, 0.8);

        List<Path> people;
        try (Stream<Path> s = Files.list(dir)) {
            people = s.filter(Files::isDirectory).sorted().toList();
        }
        List<float[]> embeddings = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        int photos = 0;
        int failures = 0;
        long start = System.nanoTime();
        try (FaceEngine engine = new FaceEngine(fm, config)) {
            for (int p = 0; p < people.size(); p++) {
                List<Path> files;
                try (Stream<Path> s = Files.list(people.get(p))) {
                    files = s.filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted().toList();
                }
                for (Path f : files) {
                    photos++;
                    float[] e = embed(engine, f);
                    if (e == null) {
                        failures++;
                        continue;
                    }
                    embeddings.add(e);
                    owner.add(p);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Double> genuineList = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            for (int j = i + 1; j < embeddings.size() && owner.get(j).equals(owner.get(i)); j++) {
                genuineList.add(FaceEngine.cosine(embeddings.get(i), embeddings.get(j)));
            }
        }
        double[] genuine = genuineList.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] impostor = new double[impostors];
        SplittableRandom random = new SplittableRandom(seed);
        int n = embeddings.size();
        for (int k = 0; k < impostors; k++) {
            int i;
            int j;
            do {
                i = random.nextInt(n);
                j = random.nextInt(n);
            } while (owner.get(i).equals(owner.get(j)));
            impostor[k] = FaceEngine.cosine(embeddings.get(i), embeddings.get(j));
        }
        Arrays.sort(impostor);

        ModelCard card = fm.recognizer().card();
        System.out.printf(Locale.ROOT, "Face evaluation of %s%n", dir);
        System.out.printf(Locale.ROOT, "recognizer %s, detector %s (faces scoring >= 0.5, the one nearest the centre)%n",
                fm.recognizer().id(), fm.detector().card().name());
        System.out.printf(Locale.ROOT, "people %d, photos %d, detection failures %d (%.2f%%), embedded in %.1f s (%.1f ms/photo)%n",
                people.size(), photos, failures, 100.0 * failures / Math.max(1, photos), seconds,
                1000 * seconds / Math.max(1, photos));
        System.out.printf(Locale.ROOT, "genuine pairs %d (all), impostor pairs %d (random sample, seed %d)%n",
                genuine.length, impostor.length, seed);
        System.out.println();
        System.out.println("target FMR   threshold   FNMR      (impostors above)");
        for (double fmr : new double[] {1e-2, 1e-3, 1e-4}) {
            double t = thresholdAt(impostor, fmr);
            System.out.printf(Locale.ROOT, "%-12s %-11.3f %-9s (%d)%s%n", String.format(Locale.ROOT, "%.0e", fmr), t,
                    pct(below(genuine, t), genuine.length), impostor.length - below(impostor, t),
                    impostor.length * fmr < 10 ? "  [too few impostor pairs for this FMR]" : "");
        }
        double[] eer = eer(genuine, impostor);
        System.out.printf(Locale.ROOT, "EER %.2f%% at threshold %.3f%n", 100 * eer[0], eer[1]);
        System.out.println();
        System.out.println("card " + card.name() + " thresholds on this data:");
        for (ModelCard.OperatingPoint op : card.operatingPoints()) {
            double t = op.threshold();
            System.out.printf(Locale.ROOT, "  card FMR %.0e threshold %.3f -> measured FMR %s, FNMR %s%n", op.fmr(), t,
                    pct(impostor.length - below(impostor, t), impostor.length), pct(below(genuine, t), genuine.length));
        }
    }

    private static float[] embed(FaceEngine engine, Path file) throws IOException {
        try (FaceImage image = engine.decode(Files.readAllBytes(file))) {
            List<DetectedFace> faces = engine.detect(image);
            if (faces.isEmpty()) {
                return null;
            }
            double cx = image.width() / 2.0;
            double cy = image.height() / 2.0;
            DetectedFace best = faces.get(0);
            double bestD = Double.MAX_VALUE;
            for (DetectedFace f : faces) {
                double d = Math.hypot(f.x() + f.width() / 2 - cx, f.y() + f.height() / 2 - cy);
                if (d < bestD) {
                    bestD = d;
                    best = f;
                }
            }
            return engine.embed(image, engine.refine(image, best));
        } catch (BadImageException e) {
            return null;
        }
    }

    /** Smallest threshold t (score >= t matches) letting at most fmr of the impostors match. */
    static double thresholdAt(double[] sortedImpostor, double fmr) {
        int allowed = (int) Math.floor(fmr * sortedImpostor.length);
        int idx = sortedImpostor.length - 1 - allowed;
        return idx < 0 ? sortedImpostor[0] : Math.nextUp(sortedImpostor[idx]);
    }

    /** Number of sorted values strictly below t. */
    static int below(double[] sorted, double t) {
        int i = Arrays.binarySearch(sorted, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == t) {
            i--;
        }
        return i;
    }

    /** Equal error rate and its threshold, by scanning the genuine scores as thresholds. */
    static double[] eer(double[] genuine, double[] impostor) {
        double best = Double.MAX_VALUE;
        double at = 0;
        double rate = 1;
        for (int i = 0; i < genuine.length; i++) {
            double t = genuine[i];
            double fnmr = (double) below(genuine, t) / genuine.length;
            double fmr = (double) (impostor.length - below(impostor, t)) / impostor.length;
            double gap = Math.abs(fnmr - fmr);
            if (gap < best) {
                best = gap;
                at = t;
                rate = (fnmr + fmr) / 2;
            }
        }
        return new double[] {rate, at};
    }

    private static String pct(long count, long total) {
        return String.format(Locale.ROOT, "%.2f%%", 100.0 * count / Math.max(1, total));
    }
}

package org.openmarking.server.ingest;


import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.opencv.core.Mat;
import org.openmarking.server.crypto.DirectoryBlobStore;
import org.openmarking.server.crypto.EncryptedBlobStore;
import org.openmarking.server.crypto.EnvelopeCipher;
import org.openmarking.server.crypto.KeyRing;

/**
 * Measures ingest against its baseline in one run (single thread): decode-only
 * pages/s on generated A4 300-dpi JPEG scans, full ingest pages/s on the same
 * files (decode, locate, read code, warp, crop, compress, encrypt, store to a temp
 * folder), their per-page ratio, and the envelope's AES-GCM MB/s against the JDK's
 * raw AES/GCM. Medians of repetitions, after one warm-up. Files are read into memory
 * first so disk reads count in neither. Run with {@code scripts/bench-ingest.sh [N]}.
 */
public final class ScanBench {
    private ScanBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("bench-ingest");
        try {
            run(n, reps, dir);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(int n, int reps, Path dir) throws Exception {
        BookletTemplate t = BookletTemplate.sample();
        long g0 = System.nanoTime();
        ScanManifest m = SampleScans.generate(t, dir.resolve("gen"), new SampleScans.Options(0, 42, false, n));
        System.out.printf("generated %d A4 300-dpi JPEG pages in %.1f s%n", n, (System.nanoTime() - g0) / 1e9);
        List<byte[]> files = new ArrayList<>();
        long bytes = 0;
        for (ScanManifest.FileEntry f : m.files()) {
            byte[] b = Files.readAllBytes(dir.resolve("gen/scans").resolve(f.file()));
            files.add(b);
            bytes += b.length;
        }
        System.out.printf("mean file size %.0f KB; %d repetitions, medians; 1 thread; blobs sealed with %s%n",
                bytes / 1024.0 / n, reps, EnvelopeCipher.implementation());
        BookletCatalog catalog = BookletCatalog.load(dir.resolve("gen/templates"), dir.resolve("gen/booklets.json"));
        SecureRandom random = new SecureRandom();
        KeyRing keys = KeyRing.random(random);

        // One page per thread, as the server's worker pool runs it: no OpenCV-internal threads,
        // so this thread's CPU time is the whole cost (and other load on the machine does not count).
        org.opencv.core.Core.setNumThreads(1);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] decode = new double[reps];
        double[] full = new double[reps];
        double[] decodeCpu = new double[reps];
        double[] fullCpu = new double[reps];
        for (int r = -1; r < reps; r++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (byte[] f : files) {
                try (ScanDecoder.Pages p = ScanDecoder.open(f)) {
                    Mat page = p.page(0);
                    page.release();
                }
            }
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            Path store = Files.createDirectories(dir.resolve("store" + r));
            IngestPipeline pipeline = new IngestPipeline(t.frame(), catalog, new FileIngestLedger(),
                    new FileIdentitySink(), new EncryptedBlobStore(new EnvelopeCipher(keys, random),
                            new DirectoryBlobStore(store)), random);
            long c2 = cpu.getCurrentThreadCpuTime();
            long t2 = System.nanoTime();
            int ingested = 0;
            for (int i = 0; i < files.size(); i++) {
                IngestReport rep = pipeline.ingest("f" + i, files.get(i), false);
                ingested += rep.pages().stream().filter(p -> p.outcome() == IngestReport.Outcome.INGESTED).count();
            }
            long t3 = System.nanoTime();
            long c3 = cpu.getCurrentThreadCpuTime();
            if (ingested != n) {
                throw new IllegalStateException("only " + ingested + " of " + n + " pages ingested");
            }
            if (r >= 0) {
                decode[r] = n / ((t1 - t0) / 1e9);
                full[r] = n / ((t3 - t2) / 1e9);
                decodeCpu[r] = (c1 - c0) / 1e6 / n;
                fullCpu[r] = (c3 - c2) / 1e6 / n;
            }
        }
        double d = median(decode);
        double f = median(full);
        double dc = median(decodeCpu);
        double fc = median(fullCpu);
        System.out.printf("decode only : %7.2f pages/s wall (%6.1f ms/page); %6.1f ms CPU/page%n", d, 1000 / d, dc);
        System.out.printf("full ingest : %7.2f pages/s wall (%6.1f ms/page); %6.1f ms CPU/page%n", f, 1000 / f, fc);
        System.out.printf("ratio       : %7.2f x decode-only per page, wall; %.2f x by CPU time (goal <= 3)%n",
                d / f, fc / dc);
        aes(random, keys, reps);
    }

    private static void aes(SecureRandom random, KeyRing keys, int reps) throws Exception {
        EnvelopeCipher envelope = new EnvelopeCipher(keys, random);
        byte[] key = new byte[32];
        random.nextBytes(key);
        for (int size : new int[] {64 * 1024, 1024 * 1024}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            int count = Math.max(4, (64 << 20) / size);
            double[] env = new double[reps];
            double[] jdk = new double[reps];
            for (int r = -1; r < reps; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    envelope.seal("blob" + i, data);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    byte[] nonce = new byte[12];
                    random.nextBytes(nonce);
                    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                    c.updateAAD(("blob" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    c.doFinal(data);
                }
                long t2 = System.nanoTime();
                if (r >= 0) {
                    double mb = (double) size * count / (1 << 20);
                    env[r] = mb / ((t1 - t0) / 1e9);
                    jdk[r] = mb / ((t2 - t1) / 1e9);
                }
            }
            System.out.printf("AES-256-GCM %4d KB blobs: envelope (BouncyCastle) %7.1f MB/s (%.1f x the JDK), JDK raw AES/GCM %7.1f MB/s%n",
                    size / 1024, median(env), median(env) / median(jdk), median(jdk));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}

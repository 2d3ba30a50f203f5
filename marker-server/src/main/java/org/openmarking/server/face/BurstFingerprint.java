package org.openmarking.server.face;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * What the server keeps of a burst to recognise it again: per frame the sha256 of its bytes and
 * a 256-bit perceptual hash (difference hash of a 17x16 grey thumbnail). It holds no image.
 *
 * <p>A new burst is a replay of an earlier one when any frame is byte-identical to an earlier
 * frame, or when at least a set share of its frames are perceptually near-identical (Hamming
 * distance at most a set number of bits) to frames of that earlier burst, which also catches
 * re-encoded or lightly edited copies.
 */
public record BurstFingerprint(List<Frame> frames) {
    private static final int MAGIC = 0x4F4D4246; // "OMBF"

    /** One frame's exact and perceptual hashes. */
    public record Frame(byte[] sha256, long[] perceptual) {
        public Frame {
            if (sha256.length != 32 || perceptual.length != 4) {
                throw new IllegalArgumentException("a frame fingerprint is 32 + 32 bytes");
            }
            sha256 = sha256.clone();
            perceptual = perceptual.clone();
        }

        /** Number of differing perceptual bits (0..256). */
        public int distance(Frame other) {
            int d = 0;
            for (int i = 0; i < 4; i++) {
                d += Long.bitCount(perceptual[i] ^ other.perceptual[i]);
            }
            return d;
        }

        public boolean sameBytes(Frame other) {
            return Arrays.equals(sha256, other.sha256);
        }
    }

    public BurstFingerprint {
        frames = List.copyOf(frames);
    }

    /** True when any frame is byte-identical to a frame of {@code earlier}. */
    public boolean sharesBytesWith(BurstFingerprint earlier) {
        return frames.stream().anyMatch(f -> earlier.frames.stream().anyMatch(f::sameBytes));
    }

    /** True when at least {@code minFraction} of the frames are within {@code maxHamming} bits of a frame of {@code earlier}. */
    public boolean looksLike(BurstFingerprint earlier, int maxHamming, double minFraction) {
        if (frames.isEmpty()) {
            return false;
        }
        long near = frames.stream()
                .filter(f -> earlier.frames.stream().anyMatch(e -> f.distance(e) <= maxHamming))
                .count();
        return near >= Math.ceil(minFraction * frames.size());
    }

    /** Size of the grey thumbnail the difference hash is taken from: 17 columns give 16 steps a row. */
    static final int THUMB_WIDTH = 17;
    static final int THUMB_HEIGHT = 16;

    /** 256-bit difference hash of a BGR image: grey, 17x16 thumbnail, one bit per horizontal step. */
    public static long[] perceptualHash(Mat bgr) {
        long[] bits = new long[4];
        int[] thumb;
        try (Mat grey = new Mat()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            thumb = thumbnail(grey);
        }
        int bit = 0;
        for (int y = 0; y < THUMB_HEIGHT; y++) {
            for (int x = 0; x < THUMB_WIDTH - 1; x++, bit++) {
                if (thumb[y * THUMB_WIDTH + x + 1] > thumb[y * THUMB_WIDTH + x]) {
                    bits[bit >> 6] |= 1L << (bit & 63);
                }
            }
        }
        return bits;
    }

    /**
     * The 17x16 INTER_AREA thumbnail of a grey image, row-major, bit for bit what
     * {@code cv::resize(grey, thumb, Size(17, 16), 0, 0, INTER_AREA)} gives, so fingerprints stored
     * before stay comparable. For a frame shrinking by a non-integer factor (every webcam size)
     * OpenCV takes its generic area path, which costs about 1 ms on a 640x480 frame; the same
     * float arithmetic in the same order runs here in a fraction of that. Other cases (integer
     * factors both ways, or enlarging) still go to OpenCV.
     */
    static int[] thumbnail(Mat grey) {
        int sw = grey.cols();
        int sh = grey.rows();
        // cv::resize's own scale computation, so the weight tables come out identical.
        double scaleX = 1.0 / ((double) THUMB_WIDTH / sw);
        double scaleY = 1.0 / ((double) THUMB_HEIGHT / sh);
        boolean areaFast = Math.abs(scaleX - Math.rint(scaleX)) < Math.ulp(1.0)
                && Math.abs(scaleY - Math.rint(scaleY)) < Math.ulp(1.0);
        int[] out = new int[THUMB_WIDTH * THUMB_HEIGHT];
        if (scaleX < 1 || scaleY < 1 || areaFast || !grey.isContinuous()) {
            try (Mat thumb = new Mat()) {
                resize(grey, thumb, new Size(THUMB_WIDTH, THUMB_HEIGHT), 0, 0, INTER_AREA);
                try (UByteIndexer idx = thumb.createIndexer()) {
                    for (int y = 0; y < THUMB_HEIGHT; y++) {
                        for (int x = 0; x < THUMB_WIDTH; x++) {
                            out[y * THUMB_WIDTH + x] = idx.get(y, x);
                        }
                    }
                }
            }
            return out;
        }
        byte[] pixels = new byte[sw * sh];
        grey.data().get(pixels);
        AreaTable xs = AreaTable.of(sw, THUMB_WIDTH, scaleX);
        AreaTable ys = AreaTable.of(sh, THUMB_HEIGHT, scaleY);
        float[] rows = rowSums(pixels, sw, sh, xs);
        float[] sum = new float[THUMB_WIDTH];
        int prevDy = ys.di[0];
        // OpenCV's ResizeArea_Invoker<uchar, float>, second half: weighted sums of the row sums.
        for (int j = 0; j < ys.size; j++) {
            float beta = ys.alpha[j];
            int dy = ys.di[j];
            int row = ys.si[j] * THUMB_WIDTH;
            if (dy != prevDy) {
                for (int dx = 0; dx < THUMB_WIDTH; dx++) {
                    out[prevDy * THUMB_WIDTH + dx] = saturate(sum[dx]);
                    sum[dx] = beta * rows[row + dx];
                }
                prevDy = dy;
            } else {
                for (int dx = 0; dx < THUMB_WIDTH; dx++) {
                    sum[dx] += beta * rows[row + dx];
                }
            }
        }
        for (int dx = 0; dx < THUMB_WIDTH; dx++) {
            out[prevDy * THUMB_WIDTH + dx] = saturate(sum[dx]);
        }
        return out;
    }

    /**
     * Each source row's weighted sums per thumbnail column (OpenCV's {@code buf}), added in
     * OpenCV's order within each sum. Four rows are summed side by side: their sums are
     * independent, so the processor overlaps them instead of waiting on one chain of additions.
     */
    private static float[] rowSums(byte[] pixels, int sw, int sh, AreaTable xs) {
        float[] rows = new float[sh * THUMB_WIDTH];
        // The table lists each column's entries together, in column order, and when shrinking
        // every column has at least one: first[dx]..first[dx + 1] are column dx's entries.
        int[] first = new int[THUMB_WIDTH + 1];
        for (int k = xs.size - 1; k >= 0; k--) {
            first[xs.di[k]] = k;
        }
        first[THUMB_WIDTH] = xs.size;
        int sy = 0;
        for (; sy + 4 <= sh; sy += 4) {
            for (int dx = 0; dx < THUMB_WIDTH; dx++) {
                sum4(pixels, sy * sw, sw, xs, first[dx], first[dx + 1], rows, sy * THUMB_WIDTH + dx);
            }
        }
        for (; sy < sh; sy++) {
            int r0 = sy * sw;
            for (int dx = 0; dx < THUMB_WIDTH; dx++) {
                float a0 = 0f;
                for (int k = first[dx]; k < first[dx + 1]; k++) {
                    a0 += (pixels[r0 + xs.si[k]] & 0xFF) * xs.alpha[k];
                }
                rows[sy * THUMB_WIDTH + dx] = a0;
            }
        }
        return rows;
    }

    /**
     * One thumbnail column's sums over four consecutive source rows starting at offset
     * {@code r0}, written to {@code rows[out]} and the three rows below. A small method on
     * purpose: called about 2,000 times a frame, the JIT compiles it fully within the first
     * frames, where one long loop ran at a fraction of the speed (or not) depending on when its
     * on-stack replacement was compiled (the hash of a burst took 5 or 27 ms from run to run).
     */
    private static void sum4(byte[] pixels, int r0, int sw, AreaTable xs, int from, int to, float[] rows, int out) {
        int r1 = r0 + sw;
        int r2 = r1 + sw;
        int r3 = r2 + sw;
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        for (int k = from; k < to; k++) {
            float alpha = xs.alpha[k];
            int x = xs.si[k];
            a0 += (pixels[r0 + x] & 0xFF) * alpha;
            a1 += (pixels[r1 + x] & 0xFF) * alpha;
            a2 += (pixels[r2 + x] & 0xFF) * alpha;
            a3 += (pixels[r3 + x] & 0xFF) * alpha;
        }
        rows[out] = a0;
        rows[out + THUMB_WIDTH] = a1;
        rows[out + 2 * THUMB_WIDTH] = a2;
        rows[out + 3 * THUMB_WIDTH] = a3;
    }

    /** saturate_cast<uchar>(float): round half to even, clamp to 0..255. */
    private static int saturate(float v) {
        return (int) Math.max(0, Math.min(255, Math.rint(v)));
    }

    /** OpenCV's computeResizeAreaTab for one axis (one channel): source index, target index, weight. */
    private record AreaTable(int[] si, int[] di, float[] alpha, int size) {
        static AreaTable of(int ssize, int dsize, double scale) {
            int[] si = new int[ssize * 2];
            int[] di = new int[ssize * 2];
            float[] alpha = new float[ssize * 2];
            int k = 0;
            for (int dx = 0; dx < dsize; dx++) {
                double fsx1 = dx * scale;
                double fsx2 = fsx1 + scale;
                double cellWidth = Math.min(scale, ssize - fsx1);
                int sx1 = (int) Math.ceil(fsx1);
                int sx2 = (int) Math.floor(fsx2);
                sx2 = Math.min(sx2, ssize - 1);
                sx1 = Math.min(sx1, sx2);
                if (sx1 - fsx1 > 1e-3) {
                    di[k] = dx;
                    si[k] = sx1 - 1;
                    alpha[k++] = (float) ((sx1 - fsx1) / cellWidth);
                }
                for (int sx = sx1; sx < sx2; sx++) {
                    di[k] = dx;
                    si[k] = sx;
                    alpha[k++] = (float) (1.0 / cellWidth);
                }
                if (fsx2 - sx2 > 1e-3) {
                    di[k] = dx;
                    si[k] = sx2;
                    alpha[k++] = (float) (Math.min(Math.min(fsx2 - sx2, 1.0), cellWidth) / cellWidth);
                }
            }
            return new AreaTable(si, di, alpha, k);
        }
    }

    /** Binary form for storage. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(frames.size());
            for (Frame f : frames) {
                out.write(f.sha256());
                for (long l : f.perceptual()) {
                    out.writeLong(l);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()}'s form. */
    public static BurstFingerprint fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a burst fingerprint");
            }
            int n = in.readInt();
            if (n < 0 || data.length != 8 + 64L * n) {
                throw new IllegalArgumentException("burst fingerprint is truncated or malformed");
            }
            List<Frame> frames = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] sha = in.readNBytes(32);
                long[] p = new long[4];
                for (int k = 0; k < 4; k++) {
                    p[k] = in.readLong();
                }
                frames.add(new Frame(sha, p));
            }
            return new BurstFingerprint(frames);
        } catch (IOException e) {
            throw new IllegalArgumentException("burst fingerprint is truncated", e);
        }
    }
}

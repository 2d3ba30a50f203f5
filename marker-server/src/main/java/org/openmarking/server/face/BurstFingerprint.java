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

    /** 256-bit difference hash of a BGR image: grey, 17x16 thumbnail, one bit per horizontal step. */
    public static long[] perceptualHash(Mat bgr) {
        long[] bits = new long[4];
        try (Mat grey = new Mat(); Mat thumb = new Mat()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            resize(grey, thumb, new Size(17, 16), 0, 0, INTER_AREA);
            try (UByteIndexer idx = thumb.createIndexer()) {
                int bit = 0;
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++, bit++) {
                        if (idx.get(y, x + 1) > idx.get(y, x)) {
                            bits[bit >> 6] |= 1L << (bit & 63);
                        }
                    }
                }
            }
        }
        return bits;
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

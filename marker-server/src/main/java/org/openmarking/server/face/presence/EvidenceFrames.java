package org.openmarking.server.face.presence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The frames of a failed burst as one blob (sealed by the blob store): magic, count, then length and bytes of each. */
final class EvidenceFrames {
    private static final int MAGIC = 0x4F4D4556; // "OMEV"

    private EvidenceFrames() {
    }

    static byte[] pack(List<byte[]> frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(frames.size());
            for (byte[] f : frames) {
                out.writeInt(f.length);
                out.write(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<byte[]> unpack(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not an evidence blob");
            }
            int n = in.readInt();
            if (n < 0 || n > 120) {
                throw new IllegalArgumentException("evidence blob is malformed");
            }
            List<byte[]> frames = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int len = in.readInt();
                if (len < 0 || len > blob.length) {
                    throw new IllegalArgumentException("evidence blob is malformed");
                }
                frames.add(in.readNBytes(len));
            }
            return frames;
        } catch (IOException e) {
            throw new IllegalArgumentException("evidence blob is truncated", e);
        }
    }
}

package org.openmarking.server.face;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A marker's enrolled face templates: L2-normalised embeddings and the recognizer that made them
 * ({@code card@sha256}). Templates of one recognizer are meaningless to another, so a check
 * refuses templates of a different model (the marker re-enrols).
 *
 * <p>{@link #toBytes()} gives a compact binary form for the server to encrypt and store; it holds
 * no image data.
 */
public record FaceTemplates(String modelId, List<float[]> embeddings) {
    private static final int MAGIC = 0x4F4D4654; // "OMFT"
    private static final int VERSION = 1;

    public FaceTemplates {
        Objects.requireNonNull(modelId, "modelId");
        if (embeddings == null || embeddings.isEmpty()) {
            throw new IllegalArgumentException("templates need at least one embedding");
        }
        int dim = embeddings.get(0).length;
        if (dim == 0 || embeddings.stream().anyMatch(e -> e.length != dim)) {
            throw new IllegalArgumentException("embeddings must be non-empty and of one size");
        }
        embeddings = embeddings.stream().map(float[]::clone).toList();
    }

    /** The best cosine similarity of {@code probe} to any template. */
    public double bestSimilarity(float[] probe) {
        double best = -1;
        for (float[] t : embeddings) {
            best = Math.max(best, FaceEngine.cosine(t, probe));
        }
        return best;
    }

    /** Binary form: magic, version, model id, count, dimension, floats. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(modelId);
            out.writeInt(embeddings.size());
            out.writeInt(embeddings.get(0).length);
            for (float[] e : embeddings) {
                for (float f : e) {
                    out.writeFloat(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()}'s form; rejects anything else. */
    public static FaceTemplates fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IllegalArgumentException("not face templates (bad magic or version)");
            }
            String model = in.readUTF();
            int count = in.readInt();
            int dim = in.readInt();
            if (count < 1 || count > 64 || dim < 1 || dim > 4096 || data.length != expectedLength(model, count, dim)) {
                throw new IllegalArgumentException("face templates are truncated or malformed");
            }
            List<float[]> embeddings = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                float[] e = new float[dim];
                for (int k = 0; k < dim; k++) {
                    e[k] = in.readFloat();
                }
                embeddings.add(e);
            }
            return new FaceTemplates(model, embeddings);
        } catch (IOException e) {
            throw new IllegalArgumentException("face templates are truncated", e);
        }
    }

    private static long expectedLength(String model, int count, int dim) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeUTF(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 8L + b.size() + 8L + 4L * count * dim;
    }
}

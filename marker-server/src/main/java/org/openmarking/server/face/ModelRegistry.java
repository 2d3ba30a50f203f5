package org.openmarking.server.face;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The face models found in a configured directory, each checked against its card.
 *
 * <p>For every card the registry looks for the card's file in the directory, reads it and compares
 * its sha256 with the card. A file that does not match is REFUSED: it is never loaded, and while
 * any file is refused {@link #faceCheckModels} fails, because a tampered model directory is a
 * security incident rather than a fallback case. Missing files are normal (SFace is optional).
 *
 * <p>Immutable and thread-safe once opened.
 */
public final class ModelRegistry {

    /** What was found for one card. */
    public enum Availability { AVAILABLE, MISSING, REFUSED }

    /** The outcome for one card, with a message a person can act on. */
    public record ModelStatus(ModelCard card, Availability availability, String message) {}

    private static final long MAX_MODEL_BYTES = 256L << 20;

    private final Path directory;
    private final List<ModelStatus> statuses;
    private final List<VerifiedModel> verified;

    private ModelRegistry(Path directory, List<ModelStatus> statuses, List<VerifiedModel> verified) {
        this.directory = directory;
        this.statuses = List.copyOf(statuses);
        this.verified = List.copyOf(verified);
    }

    /** Opens {@code directory} with the built-in cards. */
    public static ModelRegistry open(Path directory) throws IOException {
        return open(directory, ModelCard.builtIn());
    }

    /** Opens {@code directory} with the given cards. */
    public static ModelRegistry open(Path directory, List<ModelCard> cards) throws IOException {
        Objects.requireNonNull(directory, "model directory");
        List<ModelStatus> statuses = new ArrayList<>();
        List<VerifiedModel> verified = new ArrayList<>();
        for (ModelCard card : cards) {
            Path path = directory.resolve(card.file());
            if (!Files.isRegularFile(path)) {
                statuses.add(new ModelStatus(card, Availability.MISSING,
                        card.file() + " not found in " + directory + " (see scripts/fetch-face-models.sh and docs/face.md)"));
                continue;
            }
            long size = Files.size(path);
            if (size > MAX_MODEL_BYTES) {
                statuses.add(new ModelStatus(card, Availability.REFUSED, "refusing " + path + ": " + size
                        + " bytes, the card " + card.name() + " expects " + card.sizeBytes()));
                continue;
            }
            byte[] bytes = Files.readAllBytes(path);
            String actual = sha256Hex(bytes);
            if (!actual.equals(card.sha256())) {
                statuses.add(new ModelStatus(card, Availability.REFUSED, "refusing " + path
                        + ": its sha256 is " + actual + " but the card " + card.name() + " requires "
                        + card.sha256() + "; replace the file with the one the card names (origin: "
                        + card.origin() + ")"));
                continue;
            }
            verified.add(new VerifiedModel(card, path, bytes));
            statuses.add(new ModelStatus(card, Availability.AVAILABLE, path + " matches card " + card.name()));
        }
        return new ModelRegistry(directory, statuses, verified);
    }

    /** The directory this registry was opened on. */
    public Path directory() {
        return directory;
    }

    /** One status per card, in card order. */
    public List<ModelStatus> statuses() {
        return statuses;
    }

    /** The verified model of the card named {@code name}, if its file is present and matches. */
    public Optional<VerifiedModel> model(String name) {
        return verified.stream().filter(m -> m.card().name().equals(name)).findFirst();
    }

    /** True when {@link #faceCheckModels(String)} would succeed with no preference. */
    public boolean faceChecksAvailable() {
        try {
            faceCheckModels(null);
            return true;
        } catch (FaceModelsUnavailableException e) {
            return false;
        }
    }

    /**
     * The detector and recognizer for face checks: the named recognizer when {@code recognizer}
     * is not null, otherwise the available one with the highest card preference (SFace before
     * fr-feature).
     *
     * @throws FaceModelsUnavailableException when a file was refused, or no usable detector or
     *     recognizer exists; the message lists every card's status
     */
    public FaceModels faceCheckModels(String recognizer) throws FaceModelsUnavailableException {
        List<ModelStatus> refused = statuses.stream()
                .filter(s -> s.availability() == Availability.REFUSED).toList();
        if (!refused.isEmpty()) {
            throw unavailable("a model file does not match its card, face checks are refused");
        }
        Optional<VerifiedModel> detector = best(ModelRole.DETECTOR, null);
        Optional<VerifiedModel> recog = best(ModelRole.RECOGNIZER, recognizer);
        if (detector.isEmpty() || recog.isEmpty()) {
            throw unavailable("no usable " + (detector.isEmpty() ? "face detector" : "face recognizer")
                    + (recognizer != null && recog.isEmpty() ? " named " + recognizer : "")
                    + ", face-checked sessions cannot start");
        }
        return new FaceModels(detector.get(), recog.get(), best(ModelRole.LANDMARKS, null));
    }

    /** Every card's status, one per line, for logs and startup errors. */
    public String describe() {
        return statuses.stream()
                .map(s -> "  " + s.card().name() + " [" + s.card().role() + "] " + s.availability() + ": " + s.message())
                .collect(Collectors.joining("\n"));
    }

    private FaceModelsUnavailableException unavailable(String what) {
        return new FaceModelsUnavailableException(
                "Face models in " + directory + ": " + what + ".\n" + describe());
    }

    private Optional<VerifiedModel> best(ModelRole role, String name) {
        return verified.stream()
                .filter(m -> m.card().role() == role)
                .filter(m -> name == null || m.card().name().equals(name))
                .max(Comparator.comparingInt(m -> m.card().preference()));
    }

    /** Lower-case hex sha256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /** Raw sha256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}

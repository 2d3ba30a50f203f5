package org.openmarking.server.face;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of enrolling a marker from reference photos: a verdict per photo, and templates
 * when enough photos were accepted.
 */
public record Enrollment(List<PhotoVerdict> photos, Optional<FaceTemplates> templates) {

    /** Why a reference photo was not accepted. */
    public enum Problem {
        /** Not a decodable image, or too large. */
        BAD_INPUT,
        /** No face found. */
        NO_FACE,
        /** More than one face: the photo must show the marker alone. */
        SEVERAL_FACES,
        /** The face is smaller than the configured height. */
        FACE_TOO_SMALL,
        /** The detector is not confident enough (blur, occlusion, poor light). */
        LOW_QUALITY,
        /** The face does not match the marker's other photos. */
        NOT_SAME_PERSON
    }

    /** One photo's verdict; {@code problem} is null when the photo was accepted. */
    public record PhotoVerdict(int index, Problem problem, String reason, double faceHeight, double score) {
        public boolean accepted() {
            return problem == null;
        }
    }

    public Enrollment {
        photos = List.copyOf(photos);
    }

    /** True when templates were produced. */
    public boolean succeeded() {
        return templates.isPresent();
    }

    /** Enrols from encoded photos on one engine (not thread-safe: see {@link FaceChecks#enroll}). */
    static Enrollment enroll(FaceEngine engine, FaceCheckConfig config, List<byte[]> photos) {
        List<PhotoVerdict> verdicts = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            try (FaceImage image = engine.decode(photos.get(i))) {
                List<DetectedFace> faces = engine.detect(image).stream()
                        .filter(f -> f.height() >= config.minCountedFaceHeight()).toList();
                if (faces.isEmpty()) {
                    verdicts.add(new PhotoVerdict(i, Problem.NO_FACE, "no face found", 0, 0));
                    continue;
                }
                if (faces.size() > 1) {
                    verdicts.add(new PhotoVerdict(i, Problem.SEVERAL_FACES,
                            faces.size() + " faces found; the photo must show one person", 0, 0));
                    continue;
                }
                DetectedFace face = engine.refine(image, faces.get(0));
                if (face.height() < config.enrolMinFaceHeight()) {
                    verdicts.add(new PhotoVerdict(i, Problem.FACE_TOO_SMALL, String.format(
                            "face is %.0f px tall, needs %d", face.height(), config.enrolMinFaceHeight()),
                            face.height(), face.score()));
                    continue;
                }
                if (face.score() < config.enrolMinScore()) {
                    verdicts.add(new PhotoVerdict(i, Problem.LOW_QUALITY, String.format(
                            "detector score %.2f below %.2f (blur, light or occlusion)", face.score(),
                            config.enrolMinScore()), face.height(), face.score()));
                    continue;
                }
                embeddings.add(engine.embed(image, face));
                owners.add(i);
                verdicts.add(new PhotoVerdict(i, null, "accepted", face.height(), face.score()));
            } catch (BadImageException e) {
                verdicts.add(new PhotoVerdict(i, Problem.BAD_INPUT, e.getMessage(), 0, 0));
            }
        }
        rejectOddOnesOut(engine.threshold(config.operatingFmr()), embeddings, owners, verdicts);
        List<float[]> kept = new ArrayList<>();
        for (int k = 0; k < owners.size(); k++) {
            if (verdicts.get(owners.get(k)).accepted()) {
                kept.add(embeddings.get(k));
            }
        }
        Optional<FaceTemplates> templates = kept.size() >= config.enrolMinPhotos()
                ? Optional.of(new FaceTemplates(engine.recognizerId(), kept)) : Optional.empty();
        return new Enrollment(verdicts, templates);
    }

    /** With two or more accepted photos, each must match at least one other. */
    private static void rejectOddOnesOut(double threshold, List<float[]> embeddings, List<Integer> owners,
                                         List<PhotoVerdict> verdicts) {
        if (embeddings.size() < 2) {
            return;
        }
        for (int k = 0; k < embeddings.size(); k++) {
            double best = -1;
            for (int j = 0; j < embeddings.size(); j++) {
                if (j != k) {
                    best = Math.max(best, FaceEngine.cosine(embeddings.get(k), embeddings.get(j)));
                }
            }
            if (best < threshold) {
                PhotoVerdict v = verdicts.get(owners.get(k));
                verdicts.set(owners.get(k), new PhotoVerdict(v.index(), Problem.NOT_SAME_PERSON, String.format(
                        "matches none of the other photos (best cosine %.3f < %.3f)", best, threshold),
                        v.faceHeight(), v.score()));
            }
        }
    }
}

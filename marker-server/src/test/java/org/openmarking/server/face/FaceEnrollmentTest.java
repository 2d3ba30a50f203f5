package org.openmarking.server.face;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaceEnrollmentTest {
    private static FaceChecks checks;
    private static FaceEngine engine;

    @BeforeAll
    static void load() {
        engine = FaceTestData.engine();
        checks = new FaceChecks(FaceTestData.faceModels(), FaceCheckConfig.defaults(), Clock.systemUTC(), 1);
    }

    @AfterAll
    static void close() {
        if (checks != null) {
            checks.close();
        }
    }

    private static List<Enrollment.Problem> problems(Enrollment e) {
        return e.photos().stream().map(Enrollment.PhotoVerdict::problem).toList();
    }

    @Test
    void goodPhotosGiveTemplatesThatSurviveSerialisation() {
        Enrollment e = checks.enroll(List.of(FaceTestData.photoBytes("obama", "obama.jpg"),
                FaceTestData.photoBytes("obama", "obama2.jpg")));
        assertTrue(e.photos().stream().allMatch(Enrollment.PhotoVerdict::accepted), e.photos().toString());
        FaceTemplates t = e.templates().orElseThrow();
        assertEquals(2, t.embeddings().size());
        assertEquals(checks.recognizerId(), t.modelId());
        FaceTemplates back = FaceTemplates.fromBytes(t.toBytes());
        assertEquals(t.modelId(), back.modelId());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(t.embeddings().get(i), back.embeddings().get(i));
        }
        byte[] bytes = t.toBytes();
        assertThrows(IllegalArgumentException.class, () -> FaceTemplates.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> FaceTemplates.fromBytes(new byte[] {1, 2, 3}));
    }

    @Test
    void eachUnusablePhotoGetsItsReason() throws Exception {
        byte[] obama = FaceTestData.photoBytes("obama", "obama.jpg");
        byte[] tiny;
        try (FaceImage img = engine.decode(obama); Mat small = new Mat()) {
            resize(img.full(), small, new Size(img.width() / 8, img.height() / 8), 0, 0, INTER_AREA);
            tiny = SyntheticFrames.jpeg(small, 95);
        }
        Enrollment e = checks.enroll(List.of(
                obama,
                SyntheticFrames.texture(3),
                SyntheticFrames.sideBySide(engine, obama, FaceTestData.photoBytes("rose_leslie", "img1.jpg")),
                tiny,
                new byte[] {1, 2, 3}));
        assertEquals(Arrays.asList(null, Enrollment.Problem.NO_FACE, Enrollment.Problem.SEVERAL_FACES,
                Enrollment.Problem.FACE_TOO_SMALL, Enrollment.Problem.BAD_INPUT), problems(e), e.photos().toString());
        assertTrue(e.succeeded(), "one good photo is enough by default");
        assertTrue(e.photos().get(3).reason().contains("needs 80"), e.photos().get(3).reason());
    }

    @Test
    void aPoorDetectorScoreIsLowQuality() {
        try (FaceChecks strict = new FaceChecks(FaceTestData.faceModels(),
                new FaceCheckConfig(640, Double.NaN, 5 << 20, 40_000_000L, 80, 0.99, 1, 1e-3, 1e-2, 5, 30, 0.6,
                        24, 0.15, 12, 0.8), Clock.systemUTC(), 1)) {
            Enrollment e = strict.enroll(List.of(FaceTestData.photoBytes("obama", "obama.jpg")));
            assertEquals(List.of(Enrollment.Problem.LOW_QUALITY), problems(e));
            assertFalse(e.succeeded());
        }
    }

    @Test
    void photosOfDifferentPeopleAreNotEnrolledTogether() {
        Enrollment two = checks.enroll(List.of(FaceTestData.photoBytes("obama", "obama.jpg"),
                FaceTestData.photoBytes("biden", "biden.jpg")));
        assertEquals(List.of(Enrollment.Problem.NOT_SAME_PERSON, Enrollment.Problem.NOT_SAME_PERSON), problems(two));
        assertFalse(two.succeeded());

        Enrollment three = checks.enroll(List.of(FaceTestData.photoBytes("obama", "obama.jpg"),
                FaceTestData.photoBytes("biden", "biden.jpg"), FaceTestData.photoBytes("obama", "obama2.jpg")));
        assertEquals(Arrays.asList(null, Enrollment.Problem.NOT_SAME_PERSON, null), problems(three));
        assertEquals(2, three.templates().orElseThrow().embeddings().size());
    }

    @Test
    void enrolmentNeedsTheConfiguredNumberOfPhotos() {
        try (FaceChecks needTwo = new FaceChecks(FaceTestData.faceModels(),
                FaceCheckConfig.defaults().withEnrolMinPhotos(2), Clock.systemUTC(), 1)) {
            assertFalse(needTwo.enroll(List.of(FaceTestData.photoBytes("obama", "obama.jpg"))).succeeded());
        }
    }
}

package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaceEngineTest {
    private static FaceEngine engine;

    @BeforeAll
    static void load() {
        engine = FaceTestData.engine();
    }



    private float[] embedOnly(String person, String file) throws Exception {
        try (FaceImage img = engine.decode(FaceTestData.photoBytes(person, file))) {
            List<DetectedFace> faces = engine.detect(img);
            assertEquals(1, faces.size(), person + "/" + file + ": " + faces);
            return engine.embed(img, faces.get(0));
        }
    }

    @Test
    void everyTrainingPhotoHasOneFrontalFace() throws Exception {
        for (String person : List.of("alex_lacamoire", "biden", "kit_harington", "obama", "rose_leslie")) {
            for (var p : FaceTestData.photos(person)) {
                try (FaceImage img = engine.decode(FaceTestData.bytes(p))) {
                    List<DetectedFace> faces = engine.detect(img);
                    assertEquals(1, faces.size(), p + ": " + faces);
                    assertTrue(Math.abs(faces.get(0).yaw()) < 0.2, p + " is not frontal: " + faces.get(0));
                }
            }
        }
    }

    @Test
    void samePersonIsCloserThanOthers() throws Exception {
        double threshold = engine.threshold(1e-3);
        double genuine = FaceEngine.cosine(embedOnly("obama", "obama.jpg"), embedOnly("obama", "obama2.jpg"));
        double impostor = FaceEngine.cosine(embedOnly("obama", "obama.jpg"), embedOnly("biden", "biden.jpg"));
        assertTrue(genuine >= threshold, "genuine " + genuine);
        assertTrue(impostor < threshold, "impostor " + impostor);
    }

    @Test
    void similarityRecoversAKnownTransform() {
        double[][] src = {{0, 0}, {10, 0}, {5, 5}, {1, 9}, {9, 9}};
        double a = 2 * Math.cos(0.3), b = 2 * Math.sin(0.3);
        double[][] dst = new double[5][2];
        for (int i = 0; i < 5; i++) {
            dst[i][0] = a * src[i][0] - b * src[i][1] + 7;
            dst[i][1] = b * src[i][0] + a * src[i][1] - 3;
        }
        double[] m = FaceEngine.similarity(src, dst);
        double[] expected = {a, -b, 7, b, a, -3};
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], m[i], 1e-9);
        }
    }

    @Test
    void garbageBytesAreABadImage() {
        assertThrows(BadImageException.class, () -> engine.decode(new byte[] {1, 2, 3, 4}));
        assertThrows(BadImageException.class, () -> engine.decode(new byte[0]));
    }
}

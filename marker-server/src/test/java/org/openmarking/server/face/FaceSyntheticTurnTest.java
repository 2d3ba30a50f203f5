package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the test fixture itself: that the synthetic head turn moves YuNet's landmarks as the
 * depth model predicts (nose toward the turned side, relative to the eyes), keeps the identity,
 * and that rigid moves and a tilted flat photo do not move the yaw proxy.
 */
class FaceSyntheticTurnTest {
    private static FaceEngine engine;

    @BeforeAll
    static void load() {
        engine = FaceTestData.engine();
    }



    static List<Double> yaws(List<byte[]> frames) throws Exception {
        return yawsWith(engine, frames);
    }

    static List<Double> yawsWith(FaceEngine engine, List<byte[]> frames) throws Exception {
        List<Double> out = new ArrayList<>();
        for (byte[] f : frames) {
            try (FaceImage img = engine.decode(f)) {
                out.add(SyntheticFrames.onlyFace(engine, img).yaw());
            }
        }
        return out;
    }

    @Test
    void syntheticTurnMovesTheNoseAsPredictedAndKeepsIdentity() throws Exception {
        double[] angles = {0, 20, 30, -20, -30};
        for (String[] photo : new String[][] {{"obama", "obama2.jpg"}, {"biden", "biden2.jpg"},
                {"rose_leslie", "img2.jpg"}, {"kit_harington", "john2.jpeg"}}) {
            byte[] still = FaceTestData.photoBytes(photo[0], photo[1]);
            List<byte[]> frames = SyntheticFrames.headTurn(engine, still, angles);
            List<Double> yaw = yaws(frames);
            StringBuilder report = new StringBuilder(photo[1]);
            for (int i = 1; i < angles.length; i++) {
                double measured = yaw.get(i) - yaw.get(0);
                double predicted = SyntheticFrames.predictedYawChange(Math.toRadians(angles[i]));
                report.append(String.format(" | %+.0f deg: measured %+.3f predicted %+.3f", angles[i], measured, predicted));
                assertTrue(Math.signum(measured) == Math.signum(predicted)
                        && Math.abs(measured) > 0.4 * Math.abs(predicted)
                        && Math.abs(measured) < 2.5 * Math.abs(predicted), report.toString());
            }
            System.out.println(report);
            float[] base;
            try (FaceImage img = engine.decode(still)) {
                base = engine.embed(img, SyntheticFrames.onlyFace(engine, img));
            }
            for (int i = 0; i < frames.size(); i++) {
                try (FaceImage img = engine.decode(frames.get(i))) {
                    double sim = FaceEngine.cosine(base, engine.embed(img, SyntheticFrames.onlyFace(engine, img)));
                    assertTrue(sim > engine.threshold(1e-3), photo[1] + " at " + angles[i] + " deg: identity lost " + sim);
                }
            }
        }
    }

    @Test
    void rigidMovesAndATiltedFlatPhotoBarelyMoveTheYaw() throws Exception {
        byte[] still = FaceTestData.photoBytes("obama", "obama2.jpg");
        List<Double> rigid = yaws(SyntheticFrames.rigidShifts(still, engine, 6));
        List<Double> tilt = yaws(SyntheticFrames.planarTilt(still, engine, 0, 15, 30, -15, -30));
        double rigidRange = rigid.stream().mapToDouble(d -> d).max().getAsDouble()
                - rigid.stream().mapToDouble(d -> d).min().getAsDouble();
        double tiltRange = tilt.stream().mapToDouble(d -> d).max().getAsDouble()
                - tilt.stream().mapToDouble(d -> d).min().getAsDouble();
        System.out.printf("rigid yaw %s range %.3f; planar tilt yaw %s range %.3f%n", rigid, rigidRange, tilt, tiltRange);
        // Single frames jitter (YuNet's landmarks): below the threshold, which the verifier applies
        // to robust statistics over the burst (FaceVerifier.Liveness), not to single frames.
        assertTrue(rigidRange < FaceCheckConfig.defaults().minYawChange(), "rigid moves changed yaw by " + rigidRange);
        assertTrue(tiltRange < FaceCheckConfig.defaults().minYawChange(), "flat tilt changed yaw by " + tiltRange);
    }
}

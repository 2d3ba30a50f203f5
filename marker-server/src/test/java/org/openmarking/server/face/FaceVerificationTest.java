package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Presence checks end to end on the shared photos, with synthetic bursts (see
 * {@link SyntheticFrames}): genuine turns pass; impostors, empty frames, two faces, still
 * photos, replays, late and malformed bursts fail with their reason.
 */
class FaceVerificationTest {
    private static final Instant NOW = Instant.parse("2026-04-20T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Degrees per frame of a burst turning to the subject's left (negate for right). */
    private static final double[] TURN = {0, 2, 0, 10, 20, 30, 35, 35};

    private static FaceChecks checks;
    private static FaceEngine engine;

    @BeforeAll
    static void load() {
        engine = FaceTestData.engine();
        checks = new FaceChecks(FaceTestData.faceModels(), FaceCheckConfig.defaults(), CLOCK, 2);
    }

    @AfterAll
    static void close() {
        if (checks != null) {
            checks.close();
        }
    }

    static Challenge challenge(Challenge.Direction d) {
        return new Challenge(d, NOW.minusSeconds(10), NOW.plusSeconds(50));
    }

    static FaceTemplates enrol(String person, String... files) {
        List<byte[]> photos = Arrays.stream(files).map(f -> FaceTestData.photoBytes(person, f)).toList();
        Enrollment e = checks.enroll(photos);
        assertTrue(e.succeeded(), "enrolment of " + person + " failed: " + e.photos());
        return e.templates().orElseThrow();
    }

    static List<byte[]> turn(String person, String file, Challenge.Direction d) throws Exception {
        double[] angles = Arrays.stream(TURN).map(a -> a * d.sign()).toArray();
        return SyntheticFrames.headTurn(engine, FaceTestData.photoBytes(person, file), angles);
    }

    static CheckResult verify(List<byte[]> frames, FaceTemplates t, Challenge.Direction d, BurstFingerprint... earlier) {
        CheckResult r = checks.verify(new CheckRequest(frames, t, challenge(d), List.of(earlier)));
        System.out.println(r.outcome() + " " + r.reason() + ": " + r.detail());
        return r;
    }

    @ParameterizedTest(name = "{0}: enrol {1}, check {2} turning {3}")
    @CsvSource({
        "obama, obama.jpg, obama2.jpg, TURN_LEFT",
        "obama, obama.jpg, obama2.jpg, TURN_RIGHT",
        "rose_leslie, img1.jpg, img2.jpg, TURN_LEFT",
        "rose_leslie, img2.jpg, img1.jpg, TURN_RIGHT",
        "kit_harington, john1.jpeg, john2.jpeg, TURN_RIGHT",
        "biden, biden2.jpg, biden.jpg, TURN_LEFT",
    })
    void genuineTurnOfTheEnrolledPersonPasses(String person, String enrolled, String probe, Challenge.Direction d)
            throws Exception {
        CheckResult r = verify(turn(person, probe, d), enrol(person, enrolled), d);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.similarity() >= r.threshold());
        assertEquals(TURN.length, r.framesWithOneFace());
    }

    @ParameterizedTest(name = "enrolled {0}, {2} turns")
    @CsvSource({
        "obama, obama.jpg, biden, biden.jpg",
        "obama, obama2.jpg, kit_harington, john1.jpeg",
        "rose_leslie, img1.jpg, alex_lacamoire, img1.jpg",
        "biden, biden.jpg, obama, obama.jpg",
    })
    void anotherPersonFailsAsDifferentPerson(String person, String enrolled, String impostor, String file)
            throws Exception {
        CheckResult r = verify(turn(impostor, file, Challenge.Direction.TURN_LEFT), enrol(person, enrolled),
                Challenge.Direction.TURN_LEFT);
        assertEquals(CheckResult.Reason.DIFFERENT_PERSON, r.reason(), r.toString());
        assertTrue(r.similarity() < r.threshold());
    }

    @Test
    void framesWithoutAFaceFailAsNoFace() {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(SyntheticFrames.texture(i));
        }
        CheckResult r = verify(frames, enrol("obama", "obama.jpg"), Challenge.Direction.TURN_LEFT);
        assertEquals(CheckResult.Reason.NO_FACE, r.reason(), r.toString());
    }

    @Test
    void aSecondPersonInTheFrameFailsAsSeveralFaces() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        byte[] other = FaceTestData.photoBytes("rose_leslie", "img2.jpg");
        for (byte[] f : turn("obama", "obama2.jpg", Challenge.Direction.TURN_LEFT)) {
            frames.add(SyntheticFrames.sideBySide(engine, f, other));
        }
        CheckResult r = verify(frames, enrol("obama", "obama.jpg"), Challenge.Direction.TURN_LEFT);
        assertEquals(CheckResult.Reason.SEVERAL_FACES, r.reason(), r.toString());
    }

    @Test
    void theSamePhotoRepeatedFailsLiveness() {
        byte[] still = FaceTestData.photoBytes("obama", "obama2.jpg");
        CheckResult r = verify(List.of(still, still, still, still, still, still), enrol("obama", "obama.jpg"),
                Challenge.Direction.TURN_LEFT);
        assertEquals(CheckResult.Reason.LIVENESS_FAILED, r.reason(), r.toString());
    }

    @ParameterizedTest
    @CsvSource({"obama, obama2.jpg, obama.jpg", "rose_leslie, img2.jpg, img1.jpg", "biden, biden.jpg, biden2.jpg"})
    void aStillPhotoMovedOrTiltedFailsLiveness(String person, String probe, String enrolled) throws Exception {
        FaceTemplates t = enrol(person, enrolled);
        byte[] still = FaceTestData.photoBytes(person, probe);
        for (Challenge.Direction d : Challenge.Direction.values()) {
            CheckResult shifted = verify(SyntheticFrames.rigidShifts(still, engine, 8), t, d);
            assertEquals(CheckResult.Reason.LIVENESS_FAILED, shifted.reason(), shifted.toString());
            double s = d.sign();
            CheckResult tilted = verify(SyntheticFrames.planarTilt(still, engine, 0, 0, 5 * s, 15 * s, 25 * s, 35 * s), t, d);
            assertEquals(CheckResult.Reason.LIVENESS_FAILED, tilted.reason(), tilted.toString());
        }
    }

    @Test
    void turningTheWrongWayFailsLiveness() throws Exception {
        CheckResult r = verify(turn("obama", "obama2.jpg", Challenge.Direction.TURN_LEFT), enrol("obama", "obama.jpg"),
                Challenge.Direction.TURN_RIGHT);
        assertEquals(CheckResult.Reason.LIVENESS_FAILED, r.reason(), r.toString());
    }

    @Test
    void aReplayedBurstFailsAsReplayEvenReEncoded() throws Exception {
        FaceTemplates t = enrol("obama", "obama.jpg");
        List<byte[]> burst = turn("obama", "obama2.jpg", Challenge.Direction.TURN_LEFT);
        CheckResult first = verify(burst, t, Challenge.Direction.TURN_LEFT);
        assertTrue(first.passed(), first.toString());
        BurstFingerprint stored = BurstFingerprint.fromBytes(first.fingerprint().toBytes());

        CheckResult again = verify(burst, t, Challenge.Direction.TURN_LEFT, stored);
        assertEquals(CheckResult.Reason.REPLAY, again.reason(), again.toString());

        List<byte[]> reEncoded = new ArrayList<>();
        for (byte[] f : burst) {
            try (FaceImage img = engine.decode(f)) {
                reEncoded.add(SyntheticFrames.jpeg(img.full(), 75));
            }
        }
        CheckResult copy = verify(reEncoded, t, Challenge.Direction.TURN_LEFT, stored);
        assertEquals(CheckResult.Reason.REPLAY, copy.reason(), copy.toString());

        CheckResult fresh = verify(turn("obama", "obama.jpg", Challenge.Direction.TURN_RIGHT), t,
                Challenge.Direction.TURN_RIGHT, stored);
        assertTrue(fresh.passed(), "a new burst is not a replay: " + fresh);
    }

    @Test
    void aLateBurstFailsAsTimeout() throws Exception {
        List<byte[]> burst = turn("obama", "obama2.jpg", Challenge.Direction.TURN_LEFT);
        Challenge expired = new Challenge(Challenge.Direction.TURN_LEFT, NOW.minus(Duration.ofMinutes(2)),
                NOW.minusSeconds(1));
        CheckResult r = checks.verify(new CheckRequest(burst, enrol("obama", "obama.jpg"), expired, List.of()));
        assertEquals(CheckResult.Reason.TIMEOUT, r.reason(), r.toString());
    }

    @Test
    void malformedBurstsFailAsBadInput() throws Exception {
        FaceTemplates t = enrol("obama", "obama.jpg");
        List<byte[]> burst = turn("obama", "obama2.jpg", Challenge.Direction.TURN_LEFT);
        assertEquals(CheckResult.Reason.BAD_INPUT, verify(burst.subList(0, 2), t, Challenge.Direction.TURN_LEFT).reason());
        List<byte[]> broken = new ArrayList<>(burst);
        broken.set(3, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        assertEquals(CheckResult.Reason.BAD_INPUT, verify(broken, t, Challenge.Direction.TURN_LEFT).reason());
        FaceTemplates otherModel = new FaceTemplates("sface-2021dec@" + "0".repeat(64), t.embeddings());
        assertEquals(CheckResult.Reason.BAD_INPUT, verify(burst, otherModel, Challenge.Direction.TURN_LEFT).reason());
    }
}

package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.FaceDetectorYN;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaceEngineTest {
    private static FaceEngine engine;

    @BeforeAll
    static void load() {
        engine = FaceTestData.engine();
    }

    /**
     * Our YuNet decoding (blob, outputs, NMS: {@link YuNet}) gives FaceDetectorYN's faces: every
     * shared photo, a frame with two faces side by side and one with none, each at three sizes
     * (long side 640, 487 and 333 px: the last two not multiples of 32, so padding is used). At
     * the engine's threshold through {@link FaceEngine#detect}, and at 0.5 straight on
     * {@link YuNet} so that weak and overlapping detections go through NMS too.
     */
    @Test
    void detectorEqualsFaceDetectorYN() throws Exception {
        List<Mat> frames = new ArrayList<>();
        for (String person : List.of("alex_lacamoire", "biden", "kit_harington", "obama", "rose_leslie")) {
            for (Path p : FaceTestData.photos(person)) {
                frames.add(imread(p.toString(), IMREAD_COLOR));
            }
        }
        Mat two = new Mat();
        try (Mat a = sized(imread(FaceTestData.photo("obama", "obama.jpg").toString(), IMREAD_COLOR), 480);
             Mat b = sized(imread(FaceTestData.photo("rose_leslie", "img2.jpg").toString(), IMREAD_COLOR), 480)) {
            hconcat(a, b, two);
        }
        frames.add(two);
        Mat none = new Mat(480, 640, org.bytedeco.opencv.global.opencv_core.CV_8UC3);
        byte[] noise = new byte[640 * 480 * 3];
        new Random(7).nextBytes(noise);
        none.data().put(noise);
        GaussianBlur(none, none, new Size(9, 9), 0);
        frames.add(none);

        byte[] model = engine.models().detector().bytes();
        float score = (float) engine.detectorScore();
        FaceDetectorYN atEngine = FaceDetectorYN.create("onnx", model, new byte[0], new Size(320, 320), score,
                FaceEngine.NMS_THRESHOLD, 5000, 0, 0);
        FaceDetectorYN atHalf = FaceDetectorYN.create("onnx", model, new byte[0], new Size(320, 320), 0.5f,
                FaceEngine.NMS_THRESHOLD, 5000, 0, 0);
        int compared = 0;
        int faces = 0;
        try (YuNet ours = new YuNet(model, 0.5f, FaceEngine.NMS_THRESHOLD, 5000)) {
            for (int f = 0; f < frames.size(); f++) {
                for (int side : new int[] {640, 487, 333}) {
                    Mat frame = sized(frames.get(f).clone(), side);
                    String what = "frame " + f + " at " + frame.cols() + "x" + frame.rows();
                    List<float[]> reference = reference(atHalf, frame);
                    assertSameFaces(reference, ours.detect(frame), what + ", threshold 0.5");
                    List<float[]> expected = reference(atEngine, frame);
                    try (FaceImage image = engine.fromBgr(frame)) {
                        List<DetectedFace> got = engine.detect(image);
                        List<float[]> rows = new ArrayList<>();
                        for (DetectedFace d : got) {
                            float[] r = new float[YuNet.ROW];
                            r[0] = (float) d.x();
                            r[1] = (float) d.y();
                            r[2] = (float) d.width();
                            r[3] = (float) d.height();
                            for (int k = 0; k < 10; k++) {
                                r[4 + k] = (float) d.landmarks()[k];
                            }
                            r[14] = (float) d.score();
                            rows.add(r);
                        }
                        expected.sort((x, y) -> Float.compare(y[14], x[14]));
                        assertSameFaces(expected, rows, what + ", engine");
                        if (f == frames.size() - 2) {
                            assertEquals(2, got.size(), what + ": two faces side by side");
                        } else if (f == frames.size() - 1) {
                            assertEquals(0, got.size(), what + ": noise has no face");
                        }
                        faces += got.size();
                    }
                    compared++;
                }
            }
        } finally {
            atEngine.close();
            atHalf.close();
            frames.forEach(Mat::close);
        }
        assertEquals(3 * 11, compared);
        assertTrue(faces >= 3 * 10, "faces found " + faces);
    }

    /**
     * The perceptual hash's thumbnail, computed in Java for speed, is pixel for pixel
     * cv::resize's INTER_AREA result (fingerprints stored before must stay comparable): grey
     * shared photos and noise at many sizes, including webcam sizes, odd sizes, integer factors
     * (OpenCV's fast path) and images smaller than the thumbnail.
     */
    @Test
    void thumbnailEqualsOpenCvAreaResize() throws Exception {
        List<Mat> greys = new ArrayList<>();
        for (String person : List.of("alex_lacamoire", "biden", "kit_harington", "obama", "rose_leslie")) {
            for (Path p : FaceTestData.photos(person)) {
                greys.add(imread(p.toString(), org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE));
            }
        }
        Mat noise = new Mat(720, 1280, org.bytedeco.opencv.global.opencv_core.CV_8UC1);
        byte[] bytes = new byte[720 * 1280];
        new Random(11).nextBytes(bytes);
        noise.data().put(bytes);
        greys.add(noise);
        int[][] sizes = {{640, 480}, {1280, 720}, {320, 240}, {639, 479}, {800, 600}, {333, 187}, {68, 64}, {17, 16},
            {40, 33}, {10, 9}, {1001, 1999}};
        Random random = new Random(5);
        int compared = 0;
        try {
            for (Mat grey : greys) {
                for (int s = 0; s < sizes.length + 4; s++) {
                    int w = s < sizes.length ? sizes[s][0] : 18 + random.nextInt(1200);
                    int h = s < sizes.length ? sizes[s][1] : 17 + random.nextInt(900);
                    try (Mat sized = new Mat(); Mat expected = new Mat()) {
                        resize(grey, sized, new Size(w, h), 0, 0, org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR);
                        resize(sized, expected, new Size(BurstFingerprint.THUMB_WIDTH, BurstFingerprint.THUMB_HEIGHT), 0, 0, INTER_AREA);
                        int[] got = BurstFingerprint.thumbnail(sized);
                        try (org.bytedeco.javacpp.indexer.UByteIndexer idx = expected.createIndexer()) {
                            for (int y = 0; y < BurstFingerprint.THUMB_HEIGHT; y++) {
                                for (int x = 0; x < BurstFingerprint.THUMB_WIDTH; x++) {
                                    assertEquals(idx.get(y, x), got[y * BurstFingerprint.THUMB_WIDTH + x],
                                            w + "x" + h + " pixel " + x + "," + y);
                                }
                            }
                        }
                    }
                    compared++;
                }
            }
        } finally {
            greys.forEach(Mat::close);
        }
        assertEquals(10 * (sizes.length + 4), compared);
    }

    /** {@code image} resized (INTER_AREA) so that its long side is {@code side}; closes {@code image}. */
    private static Mat sized(Mat image, int side) {
        double scale = (double) side / Math.max(image.cols(), image.rows());
        Mat out = new Mat();
        resize(image, out, new Size((int) Math.round(image.cols() * scale), (int) Math.round(image.rows() * scale)),
                0, 0, INTER_AREA);
        image.close();
        return out;
    }

    private static List<float[]> reference(FaceDetectorYN detector, Mat frame) {
        detector.setInputSize(new Size(frame.cols(), frame.rows()));
        List<float[]> rows = new ArrayList<>();
        try (Mat out = new Mat()) {
            detector.detect(frame, out);
            if (out.empty()) {
                return rows;
            }
            try (FloatIndexer idx = out.createIndexer()) {
                for (int r = 0; r < out.rows(); r++) {
                    float[] row = new float[YuNet.ROW];
                    for (int k = 0; k < YuNet.ROW; k++) {
                        row[k] = idx.get(r, k);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Same number of faces, in the same order; boxes and landmarks within 0.5 px, scores within 1e-4. */
    private static void assertSameFaces(List<float[]> expected, List<float[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": number of faces");
        for (int i = 0; i < expected.size(); i++) {
            for (int k = 0; k < 14; k++) {
                assertEquals(expected.get(i)[k], actual.get(i)[k], 0.5, what + ": face " + i + " value " + k);
            }
            assertEquals(expected.get(i)[14], actual.get(i)[14], 1e-4, what + ": face " + i + " score");
        }
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

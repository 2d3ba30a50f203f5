package org.openmarking.server.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceModelRegistryTest {

    @Test
    void builtInCardsCarryTheMeasuredOperatingPoints() {
        var cards = ModelCard.builtIn();
        assertEquals(4, cards.size());
        ModelCard fr = cards.stream().filter(c -> c.name().equals("fr-feature")).findFirst().orElseThrow();
        assertEquals(0.256, fr.threshold(1e-2));
        assertEquals(0.348, fr.threshold(1e-3));
        assertEquals(0.424, fr.threshold(1e-4));
        assertEquals(0.348, fr.defaultThreshold());
        assertEquals(ModelCard.ColourOrder.RGB, fr.input().colourOrder());
        assertEquals(127.0, fr.input().mean());
        assertEquals(1 / 128.0, fr.input().scale());
        assertEquals(38.2946, fr.alignment().points()[0][0]);
        assertThrows(IllegalArgumentException.class, () -> fr.threshold(1e-5));
    }

    @Test
    void theSharedDirectoryServesYunetAndFrFeature() throws Exception {
        ModelRegistry registry = ModelRegistry.open(FaceTestData.models());
        FaceModels models = registry.faceCheckModels(null);
        assertEquals("yunet-2023mar", models.detector().card().name());
        assertEquals("fr-feature", models.recognizer().card().name(), "SFace is absent, fr-feature is next");
        assertTrue(models.landmarks().isPresent());
        assertTrue(registry.describe().contains("sface-2021dec [RECOGNIZER] MISSING"), registry.describe());
        assertTrue(registry.faceChecksAvailable());
    }

    @Test
    void aTamperedModelFileIsRefused(@TempDir Path dir) throws Exception {
        Path shared = FaceTestData.models();
        Files.copy(shared.resolve("face_detection_yunet_2023mar.onnx"), dir.resolve("face_detection_yunet_2023mar.onnx"));
        byte[] model = Files.readAllBytes(shared.resolve("fr_feature.onnx"));
        model[model.length / 2] ^= 0x01;
        Files.write(dir.resolve("fr_feature.onnx"), model);

        ModelRegistry registry = ModelRegistry.open(dir);
        assertTrue(registry.model("fr-feature").isEmpty());
        ModelRegistry.ModelStatus status = registry.statuses().stream()
                .filter(s -> s.card().name().equals("fr-feature")).findFirst().orElseThrow();
        assertEquals(ModelRegistry.Availability.REFUSED, status.availability());
        assertTrue(status.message().contains("87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581"),
                status.message());
        FaceModelsUnavailableException e = assertThrows(FaceModelsUnavailableException.class,
                () -> registry.faceCheckModels(null));
        assertTrue(e.getMessage().contains("does not match its card"), e.getMessage());
        assertTrue(e.getMessage().contains("fr_feature.onnx"), e.getMessage());
        assertFalse(registry.faceChecksAvailable());
        assertThrows(FaceModelsUnavailableException.class,
                () -> FaceChecks.open(dir, FaceCheckConfig.defaults(), Clock.systemUTC(), 1));
    }

    @Test
    void missingModelsAreReportedByRole(@TempDir Path dir) throws Exception {
        FaceModelsUnavailableException none = assertThrows(FaceModelsUnavailableException.class,
                () -> ModelRegistry.open(dir).faceCheckModels(null));
        assertTrue(none.getMessage().contains("no usable face detector"), none.getMessage());

        Files.copy(FaceTestData.models().resolve("face_detection_yunet_2023mar.onnx"),
                dir.resolve("face_detection_yunet_2023mar.onnx"));
        FaceModelsUnavailableException noRecognizer = assertThrows(FaceModelsUnavailableException.class,
                () -> ModelRegistry.open(dir).faceCheckModels(null));
        assertTrue(noRecognizer.getMessage().contains("no usable face recognizer"), noRecognizer.getMessage());
        assertTrue(noRecognizer.getMessage().contains("fr_feature.onnx not found"), noRecognizer.getMessage());
    }

    @Test
    void malformedCardsAreRejected() {
        String card = "{\"name\":\"x\",\"role\":\"DETECTOR\",\"file\":\"x.onnx\",\"sha256\":\"abc\","
                + "\"input\":{\"width\":0,\"height\":0,\"colourOrder\":\"BGR\",\"mean\":0,\"scale\":1},"
                + "\"output\":{\"decoding\":\"YUNET_ROWS\"},\"defaultScoreThreshold\":0.8}";
        assertThrows(Exception.class, () -> ModelCard.read(bytes(card)), "short sha256");
        String good = card.replace("\"abc\"", "\"" + "a".repeat(64) + "\"");
        ModelCard ok = assertDoesNotThrowRead(good);
        assertEquals(ModelRole.DETECTOR, ok.role());
        assertThrows(Exception.class, () -> ModelCard.read(bytes(good.replace("\"name\"", "\"nmae\":1,\"name\""))),
                "unknown field");
        assertThrows(Exception.class, () -> ModelCard.read(bytes(good.replace("x.onnx", "../x.onnx"))), "path in file");
    }

    private static ModelCard assertDoesNotThrowRead(String json) {
        try {
            return ModelCard.read(bytes(json));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}

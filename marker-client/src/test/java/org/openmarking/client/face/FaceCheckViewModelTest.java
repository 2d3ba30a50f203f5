package org.openmarking.client.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.Wire.FaceResult;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.ManualExecutor;
import org.openmarking.client.testing.MutableClock;
import org.openmarking.client.testing.TestFaces;

/** The face check films the burst the server asked for, sends it as captured, and offers a retry only when the server allows one. */
class FaceCheckViewModelTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-22T08:00:00Z"));
    private final ManualExecutor bg = new ManualExecutor(clock);

    @Test
    void theBurstHasTheAskedNumberOfFramesTheAskedIntervalApartAndPassing() throws Exception {
        FakeMarkerApi api = new FakeMarkerApi(clock);
        api.login(FakeMarkerApi.USER, FakeMarkerApi.PASSWORD);
        Path obama = TestFaces.person("obama");
        List<Long> sleeps = new ArrayList<>();
        FaceCheckViewModel vm = new FaceCheckViewModel(api, bg, () -> {
            try {
                return new FolderCamera(obama);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, sleeps::add);
        List<String> passed = new ArrayList<>();
        vm.onPassed(() -> passed.add("passed"));
        vm.begin(null);
        assertEquals(FaceCheckViewModel.Phase.READY, vm.phaseProperty().get());
        assertEquals("Look at the camera, then turn your head slowly to the left", vm.instructionProperty().get());
        vm.film();
        assertEquals(FaceCheckViewModel.Phase.PASSED, vm.phaseProperty().get());
        assertEquals(List.of("passed"), passed);
        List<byte[]> burst = api.bursts().get(0);
        assertEquals(8, burst.size());
        assertEquals(List.of(150L, 150L, 150L, 150L, 150L, 150L, 150L), sleeps, "8 frames, 150 ms apart");
        byte[] first = Files.readAllBytes(obama.resolve("obama.jpg"));
        byte[] second = Files.readAllBytes(obama.resolve("obama2.jpg"));
        assertArrayEquals(first, burst.get(0), "JPEG frames are sent as captured, not re-encoded or mirrored");
        assertArrayEquals(second, burst.get(1));
    }

    @Test
    void aFailureOffersARetryOnlyWhenTheServerAllowsOne() throws Exception {
        FakeMarkerApi api = new FakeMarkerApi(clock);
        api.login(FakeMarkerApi.USER, FakeMarkerApi.PASSWORD);
        api.faceResults(new FaceResult(false, "LIVENESS_FAILED", true), new FaceResult(false, "DIFFERENT_PERSON", false));
        Path obama = TestFaces.person("obama");
        FaceCheckViewModel vm = new FaceCheckViewModel(api, bg, () -> {
            try {
                return new FolderCamera(obama);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, ms -> { });
        vm.begin(null);
        vm.film();
        assertEquals(FaceCheckViewModel.Phase.FAILED, vm.phaseProperty().get());
        assertTrue(vm.retryAllowedProperty().get());
        assertEquals("The face check did not pass: LIVENESS_FAILED. Press Retry to try again.", vm.statusProperty().get());
        vm.retry();
        assertEquals("Look at the camera, then turn your head slowly to the right", vm.instructionProperty().get(), "a new challenge");
        vm.film();
        assertFalse(vm.retryAllowedProperty().get());
        assertEquals("The face check did not pass: DIFFERENT_PERSON. Please contact your chief examiner.", vm.statusProperty().get());
        vm.retry();
        assertEquals(FaceCheckViewModel.Phase.FAILED, vm.phaseProperty().get(), "no retry once the server refuses one");
    }

    @Test
    void aCheckSettledElsewhereEndsTheCheckInsteadOfOfferingARetryThatCannotWork() throws Exception {
        FakeMarkerApi api = new FakeMarkerApi(clock);
        api.login(FakeMarkerApi.USER, FakeMarkerApi.PASSWORD);
        api.settleChecksElsewhere();
        FaceCheckViewModel vm = new FaceCheckViewModel(api, bg, () -> {
            throw new IllegalStateException("nothing to film: no check is due");
        }, ms -> { });
        List<String> passed = new ArrayList<>();
        vm.onPassed(() -> passed.add("passed"));
        vm.begin(null);
        assertEquals(FaceCheckViewModel.Phase.PASSED, vm.phaseProperty().get());
        assertEquals("No face check is due now.", vm.statusProperty().get());
        assertEquals(List.of("passed"), passed);
    }
}

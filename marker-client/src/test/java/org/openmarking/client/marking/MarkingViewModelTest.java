package org.openmarking.client.marking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openmarking.client.api.Wire.EscalationReason;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.session.SessionViewModel.Standing;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.Harness;
import org.openmarking.domain.Mark;

/** The marking screen's behaviour without a toolkit: prefetch, confirm, escalate, leases, connection loss, presence. */
class MarkingViewModelTest {

    @Test
    void theFirstAnswerIsShownAndTheNextIsAlreadyFetched() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, true);
        assertEquals("resp-1", vm.currentProperty().get().allocation().responseId());
        assertEquals(ImageIO.read(new ByteArrayInputStream(h.api.answer("resp-1").image())).getRGB(40, 60),
                vm.currentProperty().get().image().getPixelReader().getArgb(40, 60), "the answer's own page, decoded");
        assertTrue(vm.nextReadyProperty().get(), "the second answer is fetched behind the first");
        assertEquals(2, h.api.calls("next"));
        assertEquals(2, h.api.calls("image"));
        assertEquals(1, vm.criteriaProperty().get().version());
        assertTrue(vm.watermarkProperty().get().startsWith("marker1 #7f3c2a10  2026-06-22"), vm.watermarkProperty().get());
    }

    @Test
    void withTheConfirmStepAMarkIsSentOnlyAfterConfirmationAndTheNextAnswerIsAlreadyThere() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, true);
        vm.choose(Mark.ONE_HALF);
        assertEquals(Mark.ONE_HALF, vm.pendingMarkProperty().get());
        assertTrue(h.api.marks().isEmpty(), "nothing is sent before the marker confirms");
        vm.choose(Mark.TWO_THIRDS); // changed their mind
        assertEquals(Mark.TWO_THIRDS, vm.pendingMarkProperty().get());
        assertTrue(h.api.marks().isEmpty());
        int nextCallsBefore = h.api.calls("next");
        vm.confirm();
        List<MarkSubmission> marks = h.api.marks();
        assertEquals(1, marks.size());
        assertEquals("resp-1", marks.get(0).responseId());
        assertEquals(Mark.TWO_THIRDS, marks.get(0).mark());
        assertEquals(1, marks.get(0).criteriaVersion());
        assertEquals(h.clock.instant(), marks.get(0).markedAt());
        assertEquals("resp-2", vm.currentProperty().get().allocation().responseId(), "the prefetched answer is shown");
        assertEquals(nextCallsBefore + 1, h.api.calls("next"), "one call, to prefetch the third answer");
        assertEquals(1, vm.markedThisSessionProperty().get());
        assertNull(vm.pendingMarkProperty().get());
    }

    @Test
    void pressingTheSameMarkTwiceConfirmsItAndEscapeCancels() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, true);
        vm.choose(Mark.FULL);
        vm.cancelPending();
        assertNull(vm.pendingMarkProperty().get());
        vm.confirm(); // nothing pending: nothing happens
        assertTrue(h.api.marks().isEmpty());
        vm.choose(Mark.FULL);
        vm.choose(Mark.FULL);
        assertEquals(Mark.FULL, h.api.marks().get(0).mark());
    }

    @Test
    void withoutTheConfirmStepEachChoiceIsAMarkAndEveryMarkHasItsOwnId() throws Exception {
        Harness h = new Harness(4);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        for (Mark m : List.of(Mark.ZERO, Mark.ONE_THIRD, Mark.ONE_HALF, Mark.FULL)) {
            vm.choose(m);
        }
        List<MarkSubmission> marks = h.api.marks();
        assertEquals(List.of("resp-1", "resp-2", "resp-3", "resp-4"), marks.stream().map(MarkSubmission::responseId).toList());
        assertEquals(List.of(Mark.ZERO, Mark.ONE_THIRD, Mark.ONE_HALF, Mark.FULL), marks.stream().map(MarkSubmission::mark).toList());
        assertEquals(4, marks.stream().map(MarkSubmission::id).collect(Collectors.toSet()).size());
        assertEquals(4, vm.markedThisSessionProperty().get());
        assertNull(vm.currentProperty().get(), "no answers left");
        assertTrue(vm.statusProperty().get().contains("No answers are waiting"), vm.statusProperty().get());
    }

    @Test
    void escalationSendsTheReasonAndNoteAndMovesOn() throws Exception {
        Harness h = new Harness(3);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, true);
        vm.escalate(EscalationReason.ILLEGIBLE, "  second half is smudged ");
        assertEquals(1, h.api.escalations().size());
        var e = h.api.escalations().get(0);
        assertEquals("resp-1", e.responseId());
        assertEquals(EscalationReason.ILLEGIBLE, e.reason());
        assertEquals("second half is smudged", e.note());
        assertTrue(h.api.marks().isEmpty(), "an escalated answer is not marked");
        assertEquals("resp-2", vm.currentProperty().get().allocation().responseId());
        assertEquals(1, vm.escalatedThisSessionProperty().get());
        assertEquals(0, vm.markedThisSessionProperty().get());
    }

    @Test
    void anAnswerWhoseLeaseRanOutIsWithdrawnFromTheScreenAndItsBytesWiped() throws Exception {
        Harness h = new Harness(3);
        h.api.setLease(Duration.ofMinutes(5));
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, true);
        MarkingViewModel.Answer first = vm.currentProperty().get();
        h.bg.advance(Duration.ofMinutes(4));
        assertEquals("1:00 left for this answer", vm.leaseTextProperty().get());
        vm.choose(Mark.ONE_HALF); // pending confirmation when the lease runs out
        h.bg.advance(Duration.ofSeconds(61));
        assertNotEquals(first, vm.currentProperty().get());
        assertNull(vm.pendingMarkProperty().get(), "a pending mark goes with its answer");
        assertTrue(allZero(first.image()), "the withdrawn image's pixels are overwritten");
        assertTrue(h.api.marks().isEmpty());
        assertTrue(vm.statusProperty().get().contains("withdrawn"), vm.statusProperty().get());
        // The prefetched answer's lease ran out too; the screen shows a freshly leased answer (the
        // server may hand the same answer out again, under a new lease).
        assertNotNull(vm.currentProperty().get());
        assertTrue(vm.currentProperty().get().allocation().leaseExpiresAt().isAfter(h.clock.instant()));
    }

    @Test
    void marksMadeWhileOfflineAreKeptAndSentWithTheirIdsWhenTheConnectionReturns() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.api.setOffline(true);
        vm.choose(Mark.ONE_THIRD); // resp-1, on screen
        vm.choose(Mark.TWO_THIRDS); // resp-2, prefetched before the loss
        assertFalse(h.session.onlineProperty().get(), "the marker sees the connection is down");
        assertEquals(2, h.session.uploads().pendingCountProperty().get());
        assertNull(vm.currentProperty().get(), "nothing more can be fetched offline");
        List<MarkSubmission> kept = h.session.uploads().pending().stream()
                .map(u -> ((UploadQueue.MarkUpload) u).mark()).toList();
        h.bg.advance(Duration.ofSeconds(30));
        assertTrue(h.api.marks().isEmpty());
        h.api.setOffline(false);
        h.bg.advance(Duration.ofSeconds(3)); // the next probe finds the server
        assertTrue(h.session.onlineProperty().get());
        assertEquals(kept, h.api.marks(), "the same marks, with the ids chosen when they were made");
        assertEquals(0, h.session.uploads().pendingCountProperty().get());
        assertEquals("resp-3", vm.currentProperty().get().allocation().responseId(), "marking resumes with the next answer");
    }

    @Test
    void aMarkWhoseReplyWasLostIsSentAgainWithTheSameIdAndCountedOnce() throws Exception {
        Harness h = new Harness(3);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.api.loseNextMarkReply();
        vm.choose(Mark.ONE_HALF); // the reply is lost; the next request (the prefetch) finds the server again and the mark is resent
        assertEquals(2, h.api.markRequests());
        assertEquals(1, h.api.marks().size());
        assertEquals(0, h.session.uploads().pendingCountProperty().get());
    }

    @Test
    void aDueFaceCheckWithdrawsTheAnswersAndMarkingResumesAfterItPasses() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        MarkingViewModel.Answer shown = vm.currentProperty().get();
        h.api.setPresence("CHECK_DUE");
        h.api.push("face-check", FakeMarkerApi.data().put("challenge", "TURN_LEFT"));
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("face-check",
                FakeMarkerApi.data().put("challenge", "TURN_LEFT")));
        assertEquals(Standing.FACE_CHECK_DUE, h.session.standingProperty().get());
        assertNull(vm.currentProperty().get(), "the answer leaves the screen at once");
        assertTrue(allZero(shown.image()));
        h.api.setPresence("OK");
        h.session.faceCheckPassed();
        assertNotNull(vm.currentProperty().get());
    }

    @Test
    void aPresenceRefusalOfTheNextAnswerBringsTheFaceCheck() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.api.setPresence("CHECK_DUE");
        vm.choose(Mark.FULL); // resp-1; resp-2 comes from the prefetch; the next prefetch is refused
        assertEquals(Standing.FACE_CHECK_DUE, h.session.standingProperty().get());
        assertNull(vm.currentProperty().get());
        h.api.setPresence("SUSPENDED");
        vm.choose(Mark.FULL);
        assertEquals(Standing.FACE_CHECK_DUE, h.session.standingProperty().get(), "nothing on screen to mark");
    }

    @Test
    void pausedAndSuspendedPushesWithdrawAnswersAndReinstatementBringsThemBack() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("suspended",
                FakeMarkerApi.data().put("reason", "two failed face checks")));
        assertNull(vm.currentProperty().get());
        assertEquals("Your marking is suspended: two failed face checks.", h.session.bannerProperty().get());
        vm.choose(Mark.FULL);
        assertTrue(h.api.marks().isEmpty());
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("reinstated", FakeMarkerApi.data()));
        assertNotNull(vm.currentProperty().get());
    }

    @Test
    void aPausedPushWithdrawsBothAnswersWithTheReasonAndMarkingResumesAfterTheFaceCheck() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        MarkingViewModel.Answer shown = vm.currentProperty().get();
        assertTrue(vm.nextReadyProperty().get());
        h.api.setPresence("PAUSED");
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("paused",
                FakeMarkerApi.data().put("reason", "the face check did not match")));
        assertEquals(Standing.PAUSED, h.session.standingProperty().get());
        assertNull(vm.currentProperty().get(), "the answer leaves the screen");
        assertFalse(vm.nextReadyProperty().get(), "and the one fetched ahead with it");
        assertTrue(allZero(shown.image()));
        assertEquals("Your marking is paused: the face check did not match; a face check is needed to continue.",
                h.session.bannerProperty().get());
        assertEquals("Marking is paused; answers are withdrawn from the screen.", vm.statusProperty().get());
        vm.choose(Mark.FULL);
        int calls = h.api.calls("next");
        h.bg.advance(Duration.ofMinutes(1));
        assertEquals(calls, h.api.calls("next"), "no answers are asked for while paused");
        assertTrue(h.api.marks().isEmpty());
        h.api.setPresence("OK");
        h.session.faceCheckPassed();
        assertNotNull(vm.currentProperty().get());
        vm.choose(Mark.FULL);
        assertEquals(1, h.api.marks().size());
    }

    @Test
    void aRecalibrationRequiredPushForThisTaskEndsLiveMarkingWhileOneForAnotherTaskDoesNot() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("recalibration-required",
                FakeMarkerApi.data().put("taskId", Harness.CALIBRATION)));
        assertNotNull(vm.currentProperty().get(), "another task's recalibration leaves this one alone");
        MarkingViewModel.Answer shown = vm.currentProperty().get();
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("recalibration-required",
                FakeMarkerApi.data().put("taskId", Harness.LIVE).put("note", "criteria clause 2 changed")));
        assertNull(vm.currentProperty().get());
        assertFalse(vm.nextReadyProperty().get());
        assertTrue(allZero(shown.image()));
        assertEquals("Recalibration is required before you mark this task again.", vm.statusProperty().get());
        assertEquals("Recalibration is required for " + Harness.LIVE + " before marking it again (criteria clause 2 changed).",
                h.session.bannerProperty().get());
        assertEquals(Standing.ACTIVE, h.session.standingProperty().get(), "the marker may still mark other tasks");
        int calls = h.api.calls("next");
        h.bg.advance(Duration.ofMinutes(1));
        vm.choose(Mark.FULL);
        assertEquals(calls, h.api.calls("next"), "the task's live answers are no longer asked for");
        assertTrue(h.api.marks().isEmpty());
    }

    @Test
    void aSuspensionFromThisTaskWithdrawsItsAnswersWhileOneFromAnotherTaskDoesNot() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("suspended",
                FakeMarkerApi.data().put("taskId", Harness.CALIBRATION).put("message", "You are suspended from this task.")));
        assertNotNull(vm.currentProperty().get(), "another task's suspension leaves this one alone");
        assertEquals(Standing.ACTIVE, h.session.standingProperty().get(), "a task suspension is not the marker's presence");
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("suspended",
                FakeMarkerApi.data().put("taskId", Harness.LIVE).put("message", "You are suspended from this task.")));
        assertNull(vm.currentProperty().get());
        assertEquals("You are suspended from this task. (" + Harness.LIVE + ")", h.session.bannerProperty().get());
        int calls = h.api.calls("next");
        h.bg.advance(Duration.ofMinutes(1));
        assertEquals(calls, h.api.calls("next"), "no more answers are asked for");
    }

    @Test
    void theMarkersOwnPauseIgnoresMarkKeys() throws Exception {
        Harness h = new Harness(3);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        vm.togglePause();
        vm.choose(Mark.FULL);
        assertTrue(h.api.marks().isEmpty());
        vm.togglePause();
        vm.choose(Mark.FULL);
        assertEquals(1, h.api.marks().size());
    }

    @Test
    void newerCriteriaArePushedAndShownAndTheMarkCarriesTheirVersion() throws Exception {
        Harness h = new Harness(3);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        var old = vm.criteriaProperty().get();
        h.api.setCriteria(new org.openmarking.client.api.Wire.CriteriaInForce(Harness.LIVE, 2, "Clause 3 clarified", old.clauses(),
                false));
        h.session.handle(new org.openmarking.client.api.EventStream.ServerEvent("criteria-updated",
                FakeMarkerApi.data().put("taskId", Harness.LIVE).put("version", 2)));
        assertEquals(2, vm.criteriaProperty().get().version());
        assertEquals("The criteria for " + Harness.LIVE + " were updated to version 2.", h.session.bannerProperty().get());
        vm.choose(Mark.ZERO);
        assertEquals(2, h.api.marks().get(0).criteriaVersion());
    }

    @Test
    void aMarkCarriesTheCriteriaVersionOnScreenAndAnOutdatedOneBringsTheAnswerBackUnderTheNewCriteria() throws Exception {
        Harness h = new Harness(5);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        var v1 = vm.criteriaProperty().get();
        h.api.setCriteria(new org.openmarking.client.api.Wire.CriteriaInForce(Harness.LIVE, 2, "Clause 3 clarified", v1.clauses(), false));
        vm.escalate(EscalationReason.ILLEGIBLE, ""); // resp-2 comes on screen; resp-3 is fetched ahead under version 2
        h.api.setOffline(true);
        vm.escalate(EscalationReason.ILLEGIBLE, ""); // resp-3 comes on screen; the new criteria cannot be loaded offline
        assertEquals("resp-3", vm.currentProperty().get().allocation().responseId());
        assertEquals(2, vm.currentProperty().get().allocation().criteriaVersion());
        assertEquals(1, vm.criteriaProperty().get().version(), "the marker still sees version 1");
        vm.choose(Mark.FULL);
        MarkSubmission waiting = h.session.uploads().pending().stream().filter(u -> u instanceof UploadQueue.MarkUpload)
                .map(u -> ((UploadQueue.MarkUpload) u).mark()).findFirst().orElseThrow();
        assertEquals(1, waiting.criteriaVersion(), "the version the marker saw, not the allocation's");

        h.api.setOffline(false);
        h.bg.advance(Duration.ofSeconds(3)); // the connection returns; the server refuses the mark as outdated
        assertTrue(h.api.marks().isEmpty(), "a mark made under old criteria is not counted");
        assertEquals(2, vm.criteriaProperty().get().version(), "the new criteria are shown");
        assertEquals("resp-3", vm.currentProperty().get().allocation().responseId(), "the answer is back to be marked again");
        assertTrue(vm.statusProperty().get().contains("mark this answer again"), vm.statusProperty().get());
        vm.choose(Mark.ONE_HALF);
        assertEquals(1, h.api.marks().size());
        assertEquals("resp-3", h.api.marks().get(0).responseId());
        assertEquals(2, h.api.marks().get(0).criteriaVersion());
        assertEquals("resp-4", vm.currentProperty().get().allocation().responseId(), "the answer kept behind it comes next");
    }

    @Test
    void aCalibrationSetEndsWithFeedbackOnceEveryMarkReachedTheServer() throws Exception {
        Harness h = new Harness(2);
        MarkingViewModel vm = h.open(Harness.CALIBRATION, MarkingViewModel.Mode.CALIBRATION, false);
        assertEquals("cal-1", vm.currentProperty().get().allocation().calibrationItemId().orElseThrow());
        vm.choose(Mark.FULL);
        vm.choose(Mark.ONE_HALF);
        h.api.setOffline(true);
        vm.choose(Mark.ONE_THIRD); // definitive 0: one disagreement, within the fake's rule
        assertFalse(vm.calibrationDoneProperty().get(), "not done while a mark is still on its way");
        h.api.setOffline(false);
        h.bg.advance(Duration.ofSeconds(3));
        assertTrue(vm.calibrationDoneProperty().get(), vm.statusProperty().get() + " / marks " + h.api.marks().size() + " pending "
                + h.session.uploads().pendingCountProperty().get());
        assertEquals(0, vm.markedThisSessionProperty().get(), "calibration items are not counted as live marks");
        assertTrue(h.task(Harness.CALIBRATION).calibrated());
        var fb = new org.openmarking.client.calibration.CalibrationFeedbackViewModel(h.api, h.bg);
        fb.load(Harness.CALIBRATION);
        assertEquals(3, fb.items().size());
        assertEquals(Set.of("cal-1", "cal-2", "cal-3"), fb.items().stream().map(i -> i.itemId()).collect(Collectors.toSet()));
        assertEquals(Mark.ONE_THIRD, fb.items().get(2).yourMark());
        assertEquals(Mark.ZERO, fb.items().get(2).definitiveMark());
        assertEquals("Calibration passed for " + Harness.CALIBRATION + ": 2 of 3 within tolerance.",
                fb.headlineProperty().get());
    }

    @Test
    void answersAreDecodedInTheBackgroundSoTheUiThreadOnlyShowsThem() throws Exception {
        Harness h = new Harness(3);
        MarkingViewModel vm = h.open(Harness.LIVE, MarkingViewModel.Mode.LIVE, false);
        List<MarkingViewModel.Answer> handedOver = h.bg.results().stream().filter(r -> r instanceof java.util.Optional<?> o
                && o.isPresent() && o.get() instanceof MarkingViewModel.Answer).map(r -> (MarkingViewModel.Answer) ((java.util.Optional<?>) r).get())
                .toList();
        assertEquals(2, handedOver.size(), "the answer on screen and the one fetched ahead");
        BufferedImage page = ImageIO.read(new ByteArrayInputStream(h.api.answer("resp-1").image()));
        assertEquals(page.getWidth(), (int) handedOver.get(0).image().getWidth(), "already decoded when the background work ended");
        assertEquals(page.getHeight(), (int) handedOver.get(0).image().getHeight());
        assertEquals(handedOver.get(0), vm.currentProperty().get());
    }

    @Test
    void decodingZeroesTheBytesItWasGiven() throws Exception {
        byte[] bytes = org.openmarking.client.testing.AnswerImages.page("Answer x", 7);
        var image = AnswerDecoding.decode(bytes);
        assertTrue(image.getWidth() > 0);
        for (byte b : bytes) {
            assertEquals(0, b, "only the decoded image holds the answer");
        }
        AnswerDecoding.wipe(image);
        assertTrue(allZero(image));
    }

    static boolean allZero(javafx.scene.image.Image image) {
        var r = image.getPixelReader();
        for (int y = 0; y < (int) image.getHeight(); y++) {
            for (int x = 0; x < (int) image.getWidth(); x++) {
                if (r.getArgb(x, y) != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}

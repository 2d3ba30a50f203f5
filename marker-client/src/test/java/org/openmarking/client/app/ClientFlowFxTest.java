package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.api.Wire.EscalationReason;
import org.openmarking.client.api.Wire.MarkSubmission;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.face.FolderCamera;
import org.openmarking.client.marking.AnswerImageView;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.ScreenDump;
import org.openmarking.client.testing.TestFaces;
import org.openmarking.domain.Mark;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole client, headless, driven from the keyboard against the in-memory server: log in,
 * face check from photos, calibration with feedback, marking, escalation, a lost connection,
 * and server messages. {@code RealServerFxTest} repeats the flow against a real server.
 */
@ExtendWith(ApplicationExtension.class)
class ClientFlowFxTest {
    private FakeMarkerApi api;
    private ClientShell shell;
    private FxBackgroundExecutor bg;
    private final Settings settings = Settings.inMemory();

    private static java.nio.file.Path faces;

    /**
     * The face check films photos from {@code ../shared/data/faces}: without them the test is
     * skipped here, before the UI starts, rather than failing on a worker thread mid-flow.
     */
    @org.junit.jupiter.api.BeforeAll
    static void faces() {
        faces = TestFaces.person("obama");
    }

    @Start
    void start(Stage stage) {
        api = FakeMarkerApi.standard(Clock.systemUTC(), 6);
        api.requireFaceCheckAtLogin();
        bg = new FxBackgroundExecutor();
        shell = new ClientShell(new ClientShell.Environment(settings, (server, ca, pin) -> api, bg, Clock.systemUTC(), () -> {
            try {
                return new FolderCamera(faces);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, ms -> { }, true, null, Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(500)));
        stage.setScene(new Scene(shell.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
    }

    @Test
    void aMarkerWorksThroughTheWholeFlowWithTheKeyboardOnly(FxRobot robot) throws Exception {
        // Log in: focus starts in the user name.
        robot.write(FakeMarkerApi.USER).type(KeyCode.TAB).write(FakeMarkerApi.PASSWORD).type(KeyCode.ENTER);
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false));
        assertTrue(text(robot, "#faceInstruction").startsWith("Look at the camera, then turn your head"));
        robot.type(KeyCode.ENTER);
        await(() -> robot.lookup("#taskListView").tryQuery().isPresent());
        assertEquals(1, api.bursts().size());
        assertEquals(8, api.bursts().get(0).size(), "the burst the server asked for: 8 frames");

        // Calibration for the first task, then its feedback.
        await(() -> robot.lookup("#open-demo26_mathematics_21").tryQuery().isPresent());
        assertEquals("Calibrate", text(robot, "#open-demo26_mathematics_21"));
        robot.type(KeyCode.ENTER);
        awaitAnswer(robot, "calresp-cal-1");
        robot.type(KeyCode.DIGIT5).type(KeyCode.ENTER); // 1, confirmed with Enter
        awaitAnswer(robot, "calresp-cal-2");
        robot.type(KeyCode.DIGIT3).type(KeyCode.DIGIT3); // 1/2, confirmed by the same key again
        awaitAnswer(robot, "calresp-cal-3");
        robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER); // 1/3 where the definitive mark is 0
        await(() -> robot.lookup("#calibrationFeedbackView").tryQuery().isPresent() && !text(robot, "#feedbackHeadline").startsWith("Loading"));
        assertEquals("Calibration passed for demo26.mathematics.21: 2 of 3 within tolerance.",
                text(robot, "#feedbackHeadline"));
        assertEquals(3, robot.lookup("#feedbackItems").queryTableView().getItems().size());
        for (String why : List.of("Complete method, units given.", "Only the answer, no justification.")) {
            assertTrue(robot.lookup("#feedbackItems .table-cell").queryAll().stream().anyMatch(n -> n instanceof Labeled l && why.equals(l.getText())
                    && n.isVisible()), "the rationale is shown: " + why);
        }
        robot.type(KeyCode.ENTER); // back to the tasks

        // Live marking on the second task.
        await(() -> robot.lookup("#open-demo26_mathematics_21").tryQuery().map(n -> "Mark".equals(((Labeled) n).getText())).orElse(false));
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        awaitAnswer(robot, "resp-1");
        assertTrue(robot.lookup(".watermark").queryAll().stream().allMatch(n -> ((Text) n).getText().startsWith("marker1 #7f3c2a10  ")),
                "the watermark names the marker");
        assertTrue(robot.lookup(".watermark").queryAll().stream().anyMatch(Node::isVisible));
        assertEquals("Criteria, version 1", text(robot, "#criteriaVersion"));
        AnswerImageView image = robot.lookup("#answerImage").queryAs(AnswerImageView.class);
        robot.type(KeyCode.R);
        assertEquals(1, image.quarterTurns(), "R turns the answer a quarter turn");
        double fitted = image.zoom();
        robot.type(KeyCode.PLUS);
        assertEquals(fitted * 1.25, image.zoom(), 1e-9);
        robot.type(KeyCode.W);
        assertEquals(fitted, image.zoom(), 1e-9, "W fits the width again");
        robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER); // 1/3 for resp-1
        awaitAnswer(robot, "resp-2");
        robot.type(KeyCode.E).type(KeyCode.DOWN).type(KeyCode.ENTER); // escalate resp-2: blank page
        awaitAnswer(robot, "resp-3");
        assertEquals(1, api.escalations().size());
        assertEquals(EscalationReason.BLANK, api.escalations().get(0).reason());
        assertEquals("resp-2", api.escalations().get(0).responseId());

        // The connection drops: the marker keeps marking what is on screen; nothing is lost.
        api.setOffline(true);
        robot.type(KeyCode.DIGIT4).type(KeyCode.ENTER); // 2/3 for resp-3
        await(() -> text(robot, "#connection").startsWith("Offline"));
        await(() -> text(robot, "#uploads").equals("1 mark waiting to be sent"));
        api.setOffline(false);
        await(() -> text(robot, "#uploads").equals("all marks sent"));
        await(() -> text(robot, "#connection").equals("Connected"));
        awaitAnswer(robot, "resp-4");

        List<MarkSubmission> live = api.marks().stream().filter(m -> m.responseId().startsWith("resp-")).toList();
        assertEquals(List.of("resp-1", "resp-3"), live.stream().map(MarkSubmission::responseId).toList());
        assertEquals(List.of(Mark.ONE_THIRD, Mark.TWO_THIRDS), live.stream().map(MarkSubmission::mark).toList());
        assertEquals("2 marked this session, 1 escalated", text(robot, "#counter"));

        // A message from the server shows at once; a pushed face check covers the answer.
        await(api::streamOpen);
        api.push("criteria-updated", FakeMarkerApi.data().put("taskId", "demo26.native-language.5").put("version", 1));
        await(() -> text(robot, "#banner").equals("The criteria for demo26.native-language.5 were updated to version 1."));
        api.setPresence("CHECK_DUE");
        api.push("face-check", FakeMarkerApi.data().put("challenge", "TURN_RIGHT"));
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false));
        assertTrue(!image.hasImage(), "the answer leaves the screen during the face check");
        robot.type(KeyCode.ENTER);
        await(() -> api.bursts().size() == 2 && robot.lookup("#faceCheckView").tryQuery().isEmpty());
        await(image::hasImage);
        Set<String> ids = api.marks().stream().map(m -> m.id().toString()).collect(Collectors.toSet());
        assertEquals(api.marks().size(), ids.size());

        // The confirm toggle on the marking screen is remembered for the next run.
        robot.clickOn("#confirmMarks");
        await(() -> settings.get(Settings.CONFIRM_MARKS).equals(java.util.Optional.of("false")));
    }

    @Test
    void anUnavailableFaceServiceAtLogInShowsWhyAndOffersRetryInsteadOfTheTasks(FxRobot robot) throws Exception {
        api.failFaceStatus(new org.openmarking.client.api.ApiException(503, "face-checks-unavailable", "the face models are not installed"));
        robot.write(FakeMarkerApi.USER).type(KeyCode.TAB).write(FakeMarkerApi.PASSWORD).type(KeyCode.ENTER);
        await(() -> robot.lookup("#presenceProblemView").tryQuery().isPresent());
        assertTrue(text(robot, "#presenceProblem").contains("the face models are not installed"), text(robot, "#presenceProblem"));
        assertTrue(robot.lookup("#taskListView").tryQuery().isEmpty(), "no task list while presence is unknown");
        api.failFaceStatus(null);
        robot.type(KeyCode.ENTER); // Retry
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false)); // the server's answer: a check is due
    }

    @Test
    void marksUnsentWhenTheSessionEndsAreSentAfterTheNextLogInWithTheirIds(FxRobot robot) throws Exception {
        robot.write(FakeMarkerApi.USER).type(KeyCode.TAB).write(FakeMarkerApi.PASSWORD).type(KeyCode.ENTER);
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false));
        robot.type(KeyCode.ENTER);
        await(() -> robot.lookup("#open-demo26_native-language_5").tryQuery().isPresent());
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        awaitAnswer(robot, "resp-1");
        api.setOffline(true);
        robot.type(KeyCode.DIGIT5).type(KeyCode.ENTER);
        await(() -> text(robot, "#uploads").equals("1 mark waiting to be sent"));
        java.util.UUID kept = WaitForAsyncUtils.asyncFx(() -> shell.session().uploads().pending().get(0).id()).get();
        // Closing the window now would lose the mark: the marker is asked, and keeps trying.
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        assertTrue(!WaitForAsyncUtils.asyncFx(() -> shell.requestClose(() -> closed.set(true))).get(), "the window stays open");
        await(() -> robot.lookup("#closeQuit").tryQuery().isPresent());
        assertEquals("Quit and lose 1 mark", text(robot, "#closeQuit"));
        robot.clickOn("#closeKeepTrying");
        await(() -> robot.lookup("#closeQuestion").tryQuery().isEmpty());
        assertTrue(!closed.get());
        api.expireSession();
        api.setOffline(false);
        await(() -> robot.lookup("#connectView").tryQuery().isPresent()); // 401: log in again
        assertTrue(api.marks().isEmpty());
        robot.clickOn("#password").write(FakeMarkerApi.PASSWORD).type(KeyCode.ENTER);
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false));
        assertTrue(api.marks().isEmpty(), "the server takes no mark before the new session's face check");
        robot.type(KeyCode.ENTER);
        await(() -> api.marks().size() == 1);
        assertEquals(kept, api.marks().get(0).id());
        assertEquals("resp-1", api.marks().get(0).responseId());
        assertEquals(Mark.FULL, api.marks().get(0).mark());
    }

    private static void awaitAnswer(FxRobot robot, String responseId) throws Exception {
        await(() -> {
            var root = robot.lookup("#markingView").tryQuery();
            return root.isPresent() && currentResponse(robot).equals(responseId)
                    && robot.lookup("#answerImage").queryAs(AnswerImageView.class).hasImage();
        });
    }

    private static String currentResponse(FxRobot robot) {
        return robot.lookup("#markingView").tryQuery().map(v -> ((org.openmarking.client.marking.MarkingView) v).currentResponseId())
                .orElse("");
    }

    static String text(FxRobot robot, String query) {
        Node n = robot.lookup(query).query();
        return n instanceof Labeled l ? l.getText() : ((Text) n).getText();
    }

    static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; on screen: " + ScreenDump.visibleText(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }
}

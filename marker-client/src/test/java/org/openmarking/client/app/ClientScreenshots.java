package org.openmarking.client.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.face.FolderCamera;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.TestFaces;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Not a test: {@code scripts/client-screenshots.sh} runs it (surefire's default includes skip
 * it) to take a PNG of each main screen, headless, so anyone can look at the client without a
 * display. It drives the client with the keyboard as a marker would, over the in-memory
 * server, whose answers are generated pages (no real answer is ever written).
 */
@ExtendWith(ApplicationExtension.class)
class ClientScreenshots {
    private FakeMarkerApi api;
    private ClientShell shell;
    private FxBackgroundExecutor bg;
    private Stage stage;
    private final List<Path> written = new ArrayList<>();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        api = FakeMarkerApi.standard(Clock.systemUTC(), 8);
        api.requireFaceCheckAtLogin();
        bg = new FxBackgroundExecutor();
        Settings settings = Settings.inMemory();
        settings.put(Settings.SERVER_URL, "https://localhost:8443");
        settings.put(Settings.CA_FILE, "data/demo/tls/ca.pem");
        shell = new ClientShell(new ClientShell.Environment(settings, (server, ca, pin) -> api, bg, Clock.systemUTC(), () -> {
            try {
                return new FolderCamera(TestFaces.person("obama"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, ms -> Thread.sleep(ms / 3), true, null, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2)));
        stage.setScene(new Scene(shell.root(), 1280, 820));
        stage.show();
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
    }

    @Test
    void takeScreenshots(FxRobot robot) throws Exception {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);

        robot.write(FakeMarkerApi.USER).type(KeyCode.TAB).write("password");
        shot(dir, "01-connect");
        robot.eraseText(8).write(FakeMarkerApi.PASSWORD).type(KeyCode.ENTER);
        ClientFlowFxTest.await(() -> robot.lookup("#faceStart").tryQuery().map(javafx.scene.Node::isVisible).orElse(false));
        shot(dir, "02-face-check");
        robot.type(KeyCode.ENTER);
        ClientFlowFxTest.await(() -> robot.lookup("#taskListView").tryQuery().isPresent()
                && robot.lookup("#open-demo26_mathematics_21").tryQuery().isPresent());
        shot(dir, "03-tasks");

        robot.type(KeyCode.ENTER);
        awaitAnswer(robot, "calresp-cal-1");
        shot(dir, "04-calibration");
        robot.type(KeyCode.DIGIT5).type(KeyCode.ENTER);
        awaitAnswer(robot, "calresp-cal-2");
        robot.type(KeyCode.DIGIT3).type(KeyCode.ENTER);
        awaitAnswer(robot, "calresp-cal-3");
        robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER);
        ClientFlowFxTest.await(() -> robot.lookup("#calibrationFeedbackView").tryQuery().isPresent()
                && robot.lookup("#feedbackItems").queryTableView().getItems().size() == 3);
        shot(dir, "05-calibration-feedback");
        robot.type(KeyCode.ENTER);

        ClientFlowFxTest.await(() -> robot.lookup("#taskListView").tryQuery().isPresent()
                && robot.lookup("#open-demo26_native-language_5").tryQuery().isPresent());
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        awaitAnswer(robot, "resp-1");
        robot.type(KeyCode.DIGIT4);
        shot(dir, "06-marking-confirm");
        robot.type(KeyCode.ENTER);
        awaitAnswer(robot, "resp-2");
        robot.type(KeyCode.E).type(KeyCode.DOWN);
        robot.clickOn("#escalationNote").write("page 2 appears to be missing");
        shot(dir, "07-escalate");
        robot.type(KeyCode.ENTER);
        awaitAnswer(robot, "resp-3");
        robot.type(KeyCode.R).type(KeyCode.PLUS);
        api.setOffline(true);
        robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER);
        awaitAnswer(robot, "resp-4");
        ClientFlowFxTest.await(() -> ClientFlowFxTest.text(robot, "#connection").startsWith("Offline"));
        shot(dir, "08-marking-offline");
        api.setOffline(false);
        ClientFlowFxTest.await(() -> ClientFlowFxTest.text(robot, "#uploads").equals("all marks sent"));
        ClientFlowFxTest.await(api::streamOpen);
        api.push("criteria-updated", FakeMarkerApi.data().put("taskId", "demo26.native-language.5").put("version", 1));
        ClientFlowFxTest.await(() -> !ClientFlowFxTest.text(robot, "#banner").isEmpty());
        shot(dir, "09-marking-message");
        api.setPresence("SUSPENDED");
        api.push("suspended", FakeMarkerApi.data().put("reason", "two face checks failed"));
        ClientFlowFxTest.await(() -> robot.lookup("#suspendedView").tryQuery().isPresent());
        shot(dir, "10-suspended");
        System.out.println("screenshots:");
        written.forEach(p -> System.out.println("  " + p.toAbsolutePath()));
    }

    private static void awaitAnswer(FxRobot robot, String responseId) throws Exception {
        ClientFlowFxTest.await(() -> responseId.equals(robot.lookup("#markingView").tryQuery()
                .map(v -> ((org.openmarking.client.marking.MarkingView) v).currentResponseId()).orElse("")));
    }

    private void shot(Path dir, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), IntBuffer.wrap(argb), w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        Path file = dir.resolve(name + ".png");
        ImageIO.write(out, "png", file.toFile());
        written.add(file);
    }
}

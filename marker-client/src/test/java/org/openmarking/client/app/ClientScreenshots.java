package org.openmarking.client.app;

import static org.openmarking.client.app.ClientFlowFxTest.await;
import static org.openmarking.client.app.ClientFlowFxTest.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.marking.MarkingView;
import org.openmarking.client.realserver.ScreenshotData;
import org.openmarking.client.tasks.TaskListView;
import org.openmarking.client.testing.TcpProxy;
import org.openmarking.domain.Mark;
import org.openmarking.server.marking.MarkingFixture;
import org.openmarking.server.marking.MarkingFixture.User;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Not a test: {@code scripts/client-screenshots.sh} runs it (surefire's default includes skip
 * it) to take a PNG of each main screen, headless, so anyone can look at the client without a
 * display. It starts a real server node (embedded database), gives it a task with two
 * calibration sets and generated answer pages, and drives the client with the keyboard as a
 * marker would. The face check and the suspension are pushed by the node (it runs without the
 * face models, so the check is shown, not filmed).
 */
@ExtendWith(ApplicationExtension.class)
class ClientScreenshots {
    private static final String[][] SETS = {{"1", "1/2", "0"}, {"2/3", "1/3", "1"}};
    private static String task;
    private static User marker;
    private static final Map<String, String> DEFINITIVE = new HashMap<>();

    private TcpProxy proxy;
    private ClientShell shell;
    private FxBackgroundExecutor bg;
    private Stage stage;
    private final List<Path> written = new ArrayList<>();

    @BeforeAll
    static void server() {
        task = MarkingFixture.task(new JsonObject().put("calibration", new JsonObject().put("required", true).put("itemsPerSet", 3)
                .put("minExact", 2).put("maxStepsOff", 1)).put("seeding", new JsonObject().put("meanInterval", 0))
                .put("exclusions", new JsonArray()));
        ScreenshotData.criteria(task);
        User chief = MarkingFixture.chief(task);
        for (String[] marks : SETS) {
            List<String> ids = ScreenshotData.pages(task, 3, "Calibration answer");
            JsonArray items = new JsonArray();
            for (int i = 0; i < 3; i++) {
                items.add(new JsonObject().put("responseId", ids.get(i)).put("mark", marks[i])
                        .put("rationale", new String[] {"Main idea with a fitting quotation (clause 1).",
                            "Main idea, no support (clause 3).", "Unrelated to the text (clause 5)."}[i]));
                DEFINITIVE.put(ids.get(i), marks[i]);
            }
            MarkingFixture.chiefPost(chief, "/tasks/" + task + "/calibration-sets", new JsonObject().put("items", items));
        }
        ScreenshotData.pages(task, 10, "Answer");
        marker = MarkingFixture.marker(task);
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        proxy = new TcpProxy(MarkingFixture.server().app().port());
        Settings settings = Settings.inMemory();
        settings.put(Settings.SERVER_URL, "https://localhost:" + proxy.port());
        settings.put(Settings.CA_FILE, MarkingFixture.server().app().tls().caCert().toString());
        bg = new FxBackgroundExecutor();
        shell = new ClientShell(new ClientShell.Environment(settings, ClientApp.apiFactory(0), bg, Clock.systemUTC(), () -> {
            throw new IllegalStateException("no camera for screenshots");
        }, ms -> { }, true, marker.name(), Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2)));
        stage.setScene(new Scene(shell.root(), 1280, 820));
        stage.show();
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
        proxy.close();
    }

    @Test
    void takeScreenshots(FxRobot robot) throws Exception {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);

        robot.clickOn("#password").write("password");
        shot(dir, "01-connect");
        robot.eraseText(8).write("password-of-" + marker.name()).type(KeyCode.ENTER);
        String open = "#open-" + TaskListView.cssId(task);
        await(() -> robot.lookup(open).tryQuery().isPresent());
        shot(dir, "02-tasks");

        robot.type(KeyCode.ENTER);
        for (int i = 0; i < 3; i++) {
            int n = i;
            await(() -> !shown(robot).isEmpty() && shown(robot).startsWith("R"));
            String id = shown(robot);
            if (i == 0) {
                shot(dir, "03-calibration");
            }
            Mark m = Mark.parse(DEFINITIVE.get(id));
            if (i == 2) {
                m = m == Mark.ZERO ? Mark.ONE_THIRD : Mark.ofStep(m.step() - 1);
            }
            KeyCode key = KeyCode.getKeyCode(Integer.toString(m.step() + 1));
            robot.type(key).type(key);
            await(() -> !id.equals(shown(robot)) || n == 2);
        }
        await(() -> robot.lookup("#calibrationFeedbackView").tryQuery().isPresent()
                && robot.lookup("#feedbackItems").queryTableView().getItems().size() == 3);
        shot(dir, "04-calibration-feedback");
        robot.type(KeyCode.ENTER);

        await(() -> robot.lookup(open).tryQuery().map(x -> "Mark".equals(text(robot, open))).orElse(false));
        robot.type(KeyCode.ENTER);
        await(() -> !shown(robot).isEmpty());
        robot.type(KeyCode.DIGIT4);
        shot(dir, "05-marking-confirm");
        String first = shown(robot);
        robot.type(KeyCode.ENTER);
        await(() -> !shown(robot).isEmpty() && !shown(robot).equals(first));
        String second = shown(robot);
        robot.type(KeyCode.E).type(KeyCode.DOWN);
        robot.clickOn("#escalationNote").write("the second page seems to be missing");
        shot(dir, "06-escalate");
        robot.type(KeyCode.ENTER);
        await(() -> !shown(robot).isEmpty() && !shown(robot).equals(second));
        String third = shown(robot);
        robot.type(KeyCode.R).type(KeyCode.PLUS);
        proxy.setDown(true);
        robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER);
        await(() -> !shown(robot).isEmpty() && !shown(robot).equals(third) && text(robot, "#connection").startsWith("Offline"));
        shot(dir, "07-marking-offline");
        proxy.setDown(false);
        await(() -> text(robot, "#uploads").equals("all marks sent") && text(robot, "#connection").equals("Connected"));

        UUID id = UUID.fromString(marker.id());
        var push = MarkingFixture.server().app().context().push();
        ScreenshotData.criteria(task); // version 3, announced as the marking engine announces it
        push.toUser(id, "criteria-updated", new JsonObject().put("taskId", task).put("criteriaVersion", 3));
        await(() -> text(robot, "#banner").startsWith("The criteria for"));
        shot(dir, "08-marking-message");
        push.toUser(id, "face-check", new JsonObject().put("checkId", UUID.randomUUID().toString()).put("challenge", "TURN_LEFT")
                .put("deadline", Instant.now().plusSeconds(120).toString()));
        await(() -> robot.lookup("#faceStart").tryQuery().map(javafx.scene.Node::isVisible).orElse(false));
        shot(dir, "09-face-check");
        push.toUser(id, "reinstated", new JsonObject());
        await(() -> robot.lookup("#faceCheckView").tryQuery().isEmpty());
        push.toUser(id, "suspended", new JsonObject().put("reason", "two face checks failed"));
        await(() -> robot.lookup("#suspendedView").tryQuery().isPresent());
        shot(dir, "10-suspended");
        System.out.println("screenshots:");
        written.forEach(p -> System.out.println("  " + p.toAbsolutePath()));
    }

    private static String shown(FxRobot robot) {
        return robot.lookup("#markingView").tryQuery().map(v -> ((MarkingView) v).currentResponseId()).orElse("");
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

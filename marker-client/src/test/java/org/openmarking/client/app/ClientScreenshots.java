package org.openmarking.client.app;

import static org.openmarking.client.app.ClientFlowFxTest.await;
import static org.openmarking.client.app.ClientFlowFxTest.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.net.URI;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import javafx.scene.Node;
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
import org.openmarking.client.face.CameraSource;
import org.openmarking.client.marking.MarkingView;
import org.openmarking.client.realserver.ScreenshotData;
import org.openmarking.client.tasks.TaskListView;
import org.openmarking.client.testing.SimulatedFaces;
import org.openmarking.client.testing.TcpProxy;
import org.openmarking.client.testing.TestFaces;
import org.openmarking.client.testing.TurningCamera;
import org.openmarking.domain.Mark;
import org.openmarking.server.face.sim.DemoFaces;
import org.openmarking.server.marking.MarkingFixture;
import org.openmarking.server.marking.MarkingFixture.User;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Not a test: {@code scripts/client-screenshots.sh} runs it (surefire's default includes skip
 * it) to take a PNG of each main screen, headless, driving the client with the keyboard as a
 * marker would. Two targets, one tour:
 *
 * <ul>
 *   <li>a running server ({@code -Dscreenshots.server=URL -Dscreenshots.ca=CA.pem
 *       -Dscreenshots.user=marker1}, the password in the environment as
 *       {@code SCREENSHOTS_PASSWORD}, never on the command line): the demo. The tour gives no
 *       mark there (the confirm step and the escalation are photographed, then cancelled) and
 *       does not calibrate; a face check at log-in is answered by a camera filming the
 *       marker's demo face ({@link DemoFaces}) when the face models are at hand;</li>
 *   <li>otherwise a throwaway node started here (embedded database) with a task of two
 *       calibration sets and generated answer pages, where the tour also calibrates, marks,
 *       and has the node push a message, a face check and a suspension (it runs without the
 *       face models, so the check is shown, not filmed).</li>
 * </ul>
 */
@ExtendWith(ApplicationExtension.class)
class ClientScreenshots {
    private static final String[][] SETS = {{"1", "1/2", "0"}, {"2/3", "1/3", "1"}};
    private static final Map<String, String> DEFINITIVE = new HashMap<>();

    /** Where the screens are photographed: a running server, or the throwaway node (which may be changed at will). */
    private record Target(URI server, Path ca, String user, String password, boolean throwaway) {
    }

    private static Target target;
    private static String task; // the throwaway node's task
    private static User marker;

    private TcpProxy proxy; // between client and server, to cut the connection; only for a server on this machine
    private ClientShell shell;
    private FxBackgroundExecutor bg;
    private Stage stage;
    private final List<Path> written = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    @BeforeAll
    static void target() {
        String server = System.getProperty("screenshots.server", "");
        if (!server.isBlank()) {
            String password = System.getenv("SCREENSHOTS_PASSWORD");
            if (password == null || password.isBlank()) {
                throw new IllegalStateException("set SCREENSHOTS_PASSWORD to the password of " + System.getProperty("screenshots.user"));
            }
            target = new Target(URI.create(server), Path.of(System.getProperty("screenshots.ca")).toAbsolutePath(),
                    System.getProperty("screenshots.user", "marker1"), password, false);
            return;
        }
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
        var app = MarkingFixture.server().app();
        target = new Target(URI.create("https://localhost:" + app.port()), app.tls().caCert(), marker.name(),
                "password-of-" + marker.name(), true);
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        URI server = target.server();
        boolean local = "localhost".equals(server.getHost()) || "127.0.0.1".equals(server.getHost());
        proxy = local ? new TcpProxy(server.getPort() < 0 ? 443 : server.getPort()) : null;
        Settings settings = Settings.inMemory();
        settings.put(Settings.SERVER_URL, local ? "https://localhost:" + proxy.port() : server.toString());
        settings.put(Settings.CA_FILE, target.ca().toString());
        bg = new FxBackgroundExecutor();
        shell = new ClientShell(new ClientShell.Environment(settings, ClientApp.apiFactory(0), bg, Clock.systemUTC(),
                ClientScreenshots::camera, Thread::sleep, true, target.user(), Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(2)));
        stage.setScene(new Scene(shell.root(), 1280, 820));
        stage.show();
    }

    /** The demo marker's own face, turning as asked; without the photos or the models the check shows why it cannot film. */
    private static CameraSource camera() {
        try {
            List<Path> photos = DemoFaces.assign(TestFaces.shared().resolve("data/faces")).get(target.user());
            if (target.throwaway() || photos == null) {
                throw new IllegalStateException("no camera for " + target.user() + " in the screenshots");
            }
            // A new seed each run: the server refuses a burst identical to one it has seen (REPLAY).
            SimulatedFaces simulated = SimulatedFaces.open(TestFaces.shared().resolve("models"), System.nanoTime());
            return new TurningCamera(simulated, List.of(Files.readAllBytes(photos.get(photos.size() - 1))));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("no camera: " + e.getMessage(), e);
        }
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void takeScreenshots(FxRobot robot) throws Exception {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        System.out.println("screenshots: " + (target.throwaway() ? "a throwaway in-process node at " : "the running server ")
                + target.server() + ", as " + target.user());
        try {
            tour(robot, dir);
        } finally {
            System.out.println("screenshots:");
            written.forEach(p -> System.out.println("  " + p.toAbsolutePath()));
            skipped.forEach(s -> System.out.println("  not taken: " + s));
        }
    }

    private void tour(FxRobot robot, Path dir) throws Exception {
        robot.clickOn("#password").write(target.password());
        shot(dir, "connect");
        robot.type(KeyCode.ENTER);
        await(() -> present(robot, "#taskListView") || visible(robot, "#faceStart") || present(robot, "#suspendedView")
                || present(robot, "#presenceProblemView"));
        if (visible(robot, "#faceStart")) { // the server wants a face check before any work
            shot(dir, "face-check");
            robot.type(KeyCode.ENTER);
            boolean passed = awaitQuietly(() -> present(robot, "#taskListView") && !present(robot, "#faceCheckView"));
            if (!passed && visible(robot, "#faceRetry")) {
                // Once more with a new challenge: on the demo the simulated marker of the same name may
                // have answered the check first.
                robot.type(KeyCode.ENTER);
                await(() -> visible(robot, "#faceStart") || !present(robot, "#faceCheckView")); // a new check, or none due
                if (visible(robot, "#faceStart")) {
                    robot.type(KeyCode.ENTER);
                }
                passed = awaitQuietly(() -> present(robot, "#taskListView") && !present(robot, "#faceCheckView"));
            }
            if (!passed) {
                shot(dir, "face-check-result");
                skipped.add("everything after the log-in face check: " + text(robot, "#faceStatus"));
                return;
            }
        }
        if (!present(robot, "#taskListView")) {
            shot(dir, present(robot, "#suspendedView") ? "suspended" : "face-checks-unavailable");
            skipped.add("everything after log-in: the server gives " + target.user() + " no work now");
            return;
        }
        await(() -> firstTask(robot).isPresent());
        shot(dir, "tasks");

        // The throwaway node's one task; elsewhere one this marker may mark, if any, else the first.
        String open = target.throwaway() ? firstTask(robot).orElseThrow() : markableTask(robot).orElse(firstTask(robot).orElseThrow());
        String feedback = open.replace("#open-", "#feedback-");
        if (target.throwaway()) {
            robot.type(KeyCode.ENTER); // the first task: its calibration set
            calibrate(robot, dir);
            await(() -> "Mark".equals(label(robot, open)));
            robot.type(KeyCode.ENTER);
        } else if (!"Mark".equals(label(robot, open))) {
            robot.clickOn(open);
            boolean item = awaitQuietly(() -> !shown(robot).isEmpty());
            shot(dir, "calibration");
            String why = text(robot, "#markingStatus");
            robot.clickOn("#backToTasks");
            skipped.add((item ? "" : "a calibration item (" + why + "); ")
                    + "calibration marks, their feedback and marking: " + target.user() + " may mark no task yet, and the tour"
                    + " gives no calibration marks on " + target.server());
            return; // calibrating with made-up marks would change the marker's standing on that server
        } else {
            if (visible(robot, feedback)) { // the feedback on the set this marker passed
                robot.clickOn(feedback);
                await(() -> present(robot, "#calibrationFeedbackView") && !text(robot, "#feedbackHeadline").startsWith("Loading"));
                shot(dir, "calibration-feedback");
                robot.clickOn("#feedbackBack");
                await(() -> firstTask(robot).isPresent());
            }
            robot.clickOn(open);
        }
        mark(robot, dir);
        if (target.throwaway()) {
            pushed(robot, dir);
        } else {
            skipped.add("a pushed message, face check and suspension: only the throwaway node is told to push them");
        }
    }

    /** The throwaway node's calibration set, marked to pass but for one, and its feedback. */
    private void calibrate(FxRobot robot, Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            int n = i;
            await(() -> !shown(robot).isEmpty() && shown(robot).startsWith("R"));
            String id = shown(robot);
            if (i == 0) {
                shot(dir, "calibration");
            }
            Mark m = Mark.parse(DEFINITIVE.get(id));
            if (i == 2) {
                m = m == Mark.ZERO ? Mark.ONE_THIRD : Mark.ofStep(m.step() - 1);
            }
            KeyCode key = KeyCode.getKeyCode(Integer.toString(m.step() + 1));
            robot.type(key).type(key);
            await(() -> !id.equals(shown(robot)) || n == 2);
        }
        await(() -> present(robot, "#calibrationFeedbackView") && robot.lookup("#feedbackItems").queryTableView().getItems().size() == 3);
        shot(dir, "calibration-feedback");
        robot.type(KeyCode.ENTER);
        await(() -> present(robot, "#taskListView"));
    }

    /**
     * Live marking: the confirm step, an escalation, the connection cut. On the throwaway node
     * each is carried through; elsewhere the mark and the escalation are photographed and cancelled.
     */
    private void mark(FxRobot robot, Path dir) throws Exception {
        boolean give = target.throwaway();
        if (!awaitQuietly(() -> !shown(robot).isEmpty())) {
            shot(dir, "marking-nothing-waiting");
            skipped.add("marking: no answer was waiting (" + text(robot, "#markingStatus") + ")");
            return;
        }
        robot.type(KeyCode.DIGIT4);
        shot(dir, "marking-confirm");
        String first = shown(robot);
        robot.type(give ? KeyCode.ENTER : KeyCode.ESCAPE);
        if (give) {
            await(() -> !shown(robot).isEmpty() && !shown(robot).equals(first));
        }
        String second = shown(robot);
        robot.type(KeyCode.E).type(KeyCode.DOWN);
        robot.clickOn("#escalationNote").write("the second page seems to be missing");
        shot(dir, "escalate");
        if (give) {
            robot.type(KeyCode.ENTER);
            await(() -> !shown(robot).isEmpty() && !shown(robot).equals(second));
        } else {
            robot.type(KeyCode.ESCAPE);
        }
        String third = shown(robot);
        robot.type(KeyCode.R).type(KeyCode.PLUS);
        if (proxy == null) {
            skipped.add("marking offline: the connection can only be cut to a server on this machine");
            return;
        }
        proxy.setDown(true);
        if (give) {
            robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER);
            await(() -> !shown(robot).isEmpty() && !shown(robot).equals(third));
        }
        await(() -> text(robot, "#connection").startsWith("Offline"));
        shot(dir, "marking-offline");
        proxy.setDown(false);
        await(() -> text(robot, "#uploads").equals("all marks sent") && text(robot, "#connection").equals("Connected"));
    }

    /** The throwaway node pushes a criteria update, a face check and a suspension, as its services would. */
    private void pushed(FxRobot robot, Path dir) throws Exception {
        UUID id = UUID.fromString(marker.id());
        var push = MarkingFixture.server().app().context().push();
        ScreenshotData.criteria(task); // version 3, announced as the marking engine announces it
        push.toUser(id, "criteria-updated", new JsonObject().put("taskId", task).put("criteriaVersion", 3));
        await(() -> text(robot, "#banner").startsWith("The criteria for"));
        shot(dir, "marking-message");
        push.toUser(id, "face-check", new JsonObject().put("checkId", UUID.randomUUID().toString()).put("challenge", "TURN_LEFT")
                .put("deadline", Instant.now().plusSeconds(120).toString()));
        await(() -> visible(robot, "#faceStart"));
        shot(dir, "face-check");
        push.toUser(id, "reinstated", new JsonObject()); // the node's status says OK, so the check is lifted
        await(() -> !present(robot, "#faceCheckView"));
        push.toUser(id, "suspended", new JsonObject().put("reason", "two face checks failed"));
        await(() -> present(robot, "#suspendedView"));
        shot(dir, "suspended");
    }

    /** The first task's open button ({@code #open-...}), once the list is loaded. */
    private static Optional<String> firstTask(FxRobot robot) {
        return robot.lookup(n -> n.getId() != null && n.getId().startsWith("open-")).tryQuery().map(n -> "#" + n.getId());
    }

    /** A task's open button that says Mark (calibration passed), if any. */
    private static Optional<String> markableTask(FxRobot robot) {
        return robot.lookup(n -> n.getId() != null && n.getId().startsWith("open-") && "Mark".equals(((javafx.scene.control.Labeled) n).getText()))
                .tryQuery().map(n -> "#" + n.getId());
    }

    /** A button's or label's text, or empty while it is not on screen (the task list re-renders as it loads). */
    private static String label(FxRobot robot, String query) {
        return robot.lookup(query).tryQuery().map(n -> ((javafx.scene.control.Labeled) n).getText()).orElse("");
    }

    private static boolean present(FxRobot robot, String query) {
        return robot.lookup(query).tryQuery().isPresent();
    }

    private static boolean visible(FxRobot robot, String query) {
        return robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false);
    }

    /** Waits as {@code await} does, but says whether it came rather than failing the tour. */
    private static boolean awaitQuietly(Callable<Boolean> condition) throws Exception {
        try {
            await(condition);
            return true;
        } catch (AssertionError timedOut) {
            return false;
        }
    }

    private static String shown(FxRobot robot) {
        return robot.lookup("#markingView").tryQuery().map(v -> ((MarkingView) v).currentResponseId()).orElse("");
    }

    /** Writes the window as {@code NN-name.png}, numbered in the order taken. */
    private void shot(Path dir, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), IntBuffer.wrap(argb), w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        Path file = dir.resolve(String.format("%02d-%s.png", written.size() + 1, name));
        ImageIO.write(out, "png", file.toFile());
        written.add(file);
    }
}

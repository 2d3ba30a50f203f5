package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.client.app.ClientFlowFxTest.await;
import static org.openmarking.client.app.ClientFlowFxTest.text;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.marking.MarkingView;
import org.openmarking.client.realserver.ScreenshotData;
import org.openmarking.client.tasks.TaskListView;
import org.openmarking.client.testing.SimulatedFaces;
import org.openmarking.client.testing.TestFaces;
import org.openmarking.client.testing.TurningCamera;
import org.openmarking.server.TestServer;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The log-in face check against a real node with face checks required and the face models of
 * {@code ../shared/models}: the marker is enrolled from a photo in {@code ../shared/data/faces},
 * the client films the burst the server asks for (a camera that turns the photo's head as
 * challenged, as marker-server's own simulated markers do), the server's verifier passes it,
 * and only then does the server hand out answers.
 */
@ExtendWith(ApplicationExtension.class)
class RealServerFaceFxTest {
    private static TestServer server;
    private static String task;
    private static String marker;
    private static byte[] photo;
    private static byte[] someoneElse;

    private ClientShell shell;
    private FxBackgroundExecutor bg;
    private SimulatedFaces simulated;

    @BeforeAll
    static void node() throws Exception {
        Path obama = TestFaces.person("obama");
        photo = Files.readAllBytes(obama.resolve("obama.jpg"));
        someoneElse = Files.readAllBytes(TestFaces.person("biden").resolve("biden.jpg"));
        server = TestServer.shared(); // face checks required, the models of ../shared/models
        String admin = server.adminToken();
        String exam = "face" + Long.toString(System.nanoTime() % 100000, 36);
        var created = server.post("/api/v1/exams", admin, new JsonObject().put("id", exam).put("scheme", "state-language-2026"));
        assertEquals(201, created.status(), created.error());
        task = created.json().getJsonArray("tasks").getString(0);
        ScreenshotData.criteria(server, task);
        var settings = server.call(HttpMethod.PUT, "/api/v1/quality/tasks/" + task + "/settings", admin, new JsonObject()
                .put("calibration", new JsonObject().put("required", false)).put("seeding", new JsonObject().put("meanInterval", 0))
                .put("exclusions", new JsonArray()));
        assertEquals(200, settings.status(), settings.error());
        ScreenshotData.pages(server, task, 3, "Answer");
        marker = "face-marker";
        server.createUser(marker, "marker", task);
        var enrolled = server.post("/api/v1/face/enrollments/" + marker, admin, new JsonObject()
                .put("photos", new JsonArray().add(Base64.getEncoder().encodeToString(photo))));
        assertEquals(201, enrolled.status(), enrolled.error());
    }

    @Start
    void start(Stage stage) throws Exception {
        simulated = SimulatedFaces.open(TestFaces.shared().resolve("models"), 20260622);
        Settings settings = Settings.inMemory();
        settings.put(Settings.SERVER_URL, "https://localhost:" + server.app().port());
        settings.put(Settings.CA_FILE, server.app().tls().caCert().toString());
        bg = new FxBackgroundExecutor();
        TurningCamera camera = new TurningCamera(simulated, List.of(someoneElse, photo)); // someone else first, then the marker
        shell = new ClientShell(new ClientShell.Environment(settings, ClientApp.apiFactory(0), bg, Clock.systemUTC(), () -> camera,
                Thread::sleep, false, marker, Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(1)));
        stage.setScene(new Scene(shell.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
        simulated.close();
    }

    @Test
    void someoneElseFailsTheLogInCheckTheMarkerPassesTheRetryAndOnlyThenIsThereWork(FxRobot robot) throws Exception {
        robot.clickOn("#password").write("password-of-" + marker).type(KeyCode.ENTER);
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false));
        assertTrue(text(robot, "#faceInstruction").startsWith("Look at the camera, then turn your head slowly to the"));
        String token = server.login(marker, "password-of-" + marker);
        assertEquals(409, server.post("/api/v1/marking/tasks/" + task + "/next", token, new JsonObject()).status(),
                "no work before the check");
        robot.type(KeyCode.ENTER); // someone else in front of the camera
        await(() -> robot.lookup("#faceRetry").tryQuery().map(Node::isVisible).orElse(false));
        assertEquals("The face check did not pass: DIFFERENT_PERSON. Press Retry to try again.", text(robot, "#faceStatus"));
        assertEquals("PAUSED", server.get("/api/v1/face/status", token).json().getString("state"));
        robot.type(KeyCode.ENTER); // Retry: a new challenge
        await(() -> robot.lookup("#faceStart").tryQuery().map(Node::isVisible).orElse(false));
        robot.type(KeyCode.ENTER); // the marker
        await(() -> robot.lookup("#faceCheckView").tryQuery().isEmpty() && robot.lookup("#open-" + TaskListView.cssId(task)).tryQuery().isPresent());
        assertEquals("OK", server.get("/api/v1/face/status", token).json().getString("state"));
        robot.type(KeyCode.ENTER);
        await(() -> robot.lookup("#markingView").tryQuery().map(v -> !((MarkingView) v).currentResponseId().isEmpty()).orElse(false));
        robot.type(KeyCode.DIGIT5);
        await(() -> text(robot, "#counter").startsWith("1 marked"));
        await(() -> text(robot, "#uploads").equals("all marks sent"));
    }
}

package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.client.app.ClientFlowFxTest.await;
import static org.openmarking.client.app.ClientFlowFxTest.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.marking.MarkingView;
import org.openmarking.client.marking.MarkingViewModel;
import org.openmarking.client.marking.UploadQueue;
import org.openmarking.client.tasks.TaskListView;
import org.openmarking.client.testing.TcpProxy;
import org.openmarking.domain.Mark;
import org.openmarking.server.TestServer.Reply;
import org.openmarking.server.marking.MarkingFixture;
import org.openmarking.server.marking.MarkingFixture.User;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The client against a real server node on the embedded database, over HTTPS verified against
 * the node's CA, through a relay the test can cut: log in, calibrate (with the feedback), mark
 * with the keyboard only, escalate one answer, and lose and regain the connection without
 * losing a mark. What the server recorded is read back from its database.
 */
@ExtendWith(ApplicationExtension.class)
class RealServerFxTest {
    private static final String[] DEFINITIVE = {"1", "1/2", "0"};
    private static final String[] SECOND_SET = {"2/3", "1/3", "1"};

    private static String task;
    private static User marker;
    private static Map<String, String> definitive;
    private TcpProxy proxy;
    private ClientShell shell;
    private FxBackgroundExecutor bg;

    /** The node, the task, its calibration set and answers, and the marker (before the toolkit's start, which has a time limit). */
    @BeforeAll
    static void server() {
        task = MarkingFixture.task(new JsonObject().put("calibration", new JsonObject().put("required", true).put("itemsPerSet", 3)
                .put("minExact", 2).put("maxStepsOff", 1)).put("seeding", new JsonObject().put("meanInterval", 0))
                .put("exclusions", new JsonArray()));
        User chief = MarkingFixture.chief(task);
        definitive = new HashMap<>();
        for (String[] marks : new String[][] {DEFINITIVE, SECOND_SET}) { // the server wants two sets before anyone calibrates
            List<String> items = MarkingFixture.responses(task, 3);
            JsonArray set = new JsonArray();
            for (int i = 0; i < 3; i++) {
                set.add(new JsonObject().put("responseId", items.get(i)).put("mark", marks[i]).put("rationale", "clause " + (i + 1)));
                definitive.put(items.get(i), marks[i]);
            }
            Reply created = MarkingFixture.chiefPost(chief, "/tasks/" + task + "/calibration-sets", new JsonObject().put("items", set));
            assertEquals(201, created.status(), created.error());
        }
        MarkingFixture.responses(task, 6);
        marker = MarkingFixture.marker(task);
    }

    @Start
    void start(Stage stage) throws Exception {
        proxy = new TcpProxy(MarkingFixture.server().app().port());
        Settings settings = Settings.inMemory();
        settings.put(Settings.SERVER_URL, "https://localhost:" + proxy.port());
        settings.put(Settings.CA_FILE, MarkingFixture.server().app().tls().caCert().toString());
        bg = new FxBackgroundExecutor();
        shell = new ClientShell(new ClientShell.Environment(settings, ClientApp.apiFactory(0), bg, Clock.systemUTC(), () -> {
            throw new IllegalStateException("this server runs without face checks");
        }, ms -> { }, true, marker.name(), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(1)));
        stage.setScene(new Scene(shell.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
        proxy.close();
    }

    @Test
    void calibrateMarkEscalateAndSurviveALostConnection(FxRobot robot) throws Exception {
        // The user name is filled in (--user); the password is typed, and Enter logs in.
        robot.clickOn("#password").write("password-of-" + marker.name()).type(KeyCode.ENTER);
        String open = "#open-" + TaskListView.cssId(task);
        await(() -> robot.lookup(open).tryQuery().isPresent());
        assertEquals("Calibrate", text(robot, open));

        // Calibration: two items exactly as the definitive mark, the third one step off.
        robot.type(KeyCode.ENTER);
        List<String> calibrated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            await(() -> !shown(robot).isEmpty() && !calibrated.contains(shown(robot)));
            String id = shown(robot);
            calibrated.add(id);
            Mark m = Mark.parse(definitive.get(id));
            if (i == 2) {
                m = m == Mark.ZERO ? Mark.ONE_THIRD : Mark.ofStep(m.step() - 1);
            }
            KeyCode key = KeyCode.getKeyCode(Integer.toString(m.step() + 1));
            robot.type(key).type(key); // the same key twice: choose and confirm
        }
        await(() -> robot.lookup("#calibrationFeedbackView").tryQuery().isPresent()
                && robot.lookup("#feedbackItems").queryTableView().getItems().size() == 3);
        assertEquals("Calibration passed for " + task + ": 2 of 3 exactly as the definitive mark; furthest 1 scale step(s) away: passed",
                text(robot, "#feedbackHeadline"));
        robot.type(KeyCode.ENTER);

        // Live marking, keyboard only.
        await(() -> robot.lookup(open).tryQuery().map(n -> "Mark".equals(((Labeled) n).getText())).orElse(false));
        robot.type(KeyCode.ENTER);
        await(() -> !shown(robot).isEmpty());
        assertEquals("Criteria, version 1", text(robot, "#criteriaVersion"));
        String first = shown(robot);
        robot.type(KeyCode.DIGIT2).type(KeyCode.ENTER); // 1/3
        await(() -> !shown(robot).isEmpty() && !shown(robot).equals(first));
        String second = shown(robot);
        robot.type(KeyCode.E).type(KeyCode.DOWN).type(KeyCode.ENTER); // escalate: blank page
        await(() -> !shown(robot).isEmpty() && !shown(robot).equals(second));
        String third = shown(robot);

        // The network goes; the mark made meanwhile is kept with its id and sent when it returns.
        proxy.setDown(true);
        robot.type(KeyCode.DIGIT4).type(KeyCode.ENTER); // 2/3
        await(() -> text(robot, "#connection").startsWith("Offline") && text(robot, "#uploads").equals("1 mark waiting to be sent"));
        UUID keptId = WaitForAsyncUtils.asyncFx(() -> ((UploadQueue.MarkUpload) shell.session().uploads().pending().get(0)).id()).get();
        proxy.setDown(false);
        await(() -> text(robot, "#uploads").equals("all marks sent") && text(robot, "#connection").equals("Connected"));

        UUID markerId = UUID.fromString(marker.id());
        Map<String, Integer> marks = new HashMap<>();
        Map<String, UUID> ids = new HashMap<>();
        for (Row r : MarkingFixture.sql("select response_id, sixths, id from marks where marker_id = $1 and status = 'valid'", markerId)) {
            marks.put(r.getString(0), r.getInteger(1));
            ids.put(r.getString(0), r.getUUID(2));
        }
        assertEquals(Map.of(first, Mark.ONE_THIRD.sixths(), third, Mark.TWO_THIRDS.sixths()), marks);
        assertEquals(keptId, ids.get(third), "the mark made offline reached the server with the id chosen when it was made");
        Row esc = MarkingFixture.sql("select response_id, reason from escalations where marker_id = $1", markerId).iterator().next();
        assertEquals(second, esc.getString(0));
        assertEquals("blank", esc.getString(1));
        assertEquals(3L, MarkingFixture.sql("select count(*) from calibration_marks m join calibration_attempts a on a.id = m.attempt_id "
                + "where a.marker_id = $1", markerId).iterator().next().getLong(0));
        MarkingViewModel vm = WaitForAsyncUtils.asyncFx(() -> shell.marking()).get();
        assertEquals(2, vm.markedThisSessionProperty().get());
    }

    private static String shown(FxRobot robot) {
        return robot.lookup("#markingView").tryQuery().map(v -> ((MarkingView) v).currentResponseId()).orElse("");
    }
}

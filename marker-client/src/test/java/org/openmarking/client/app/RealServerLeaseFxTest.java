package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmarking.client.app.ClientFlowFxTest.await;
import static org.openmarking.client.app.ClientFlowFxTest.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.marking.AnswerImageView;
import org.openmarking.client.marking.MarkingView;
import org.openmarking.client.tasks.TaskListView;
import org.openmarking.server.marking.MarkingFixture;
import org.openmarking.server.marking.MarkingFixture.User;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Against a real node whose leases last 4 seconds: an answer whose lease ran out leaves the screen and is never marked. */
@ExtendWith(ApplicationExtension.class)
class RealServerLeaseFxTest {
    private static String task;
    private static User marker;
    private ClientShell shell;
    private FxBackgroundExecutor bg;

    @BeforeAll
    static void server() {
        task = MarkingFixture.task(MarkingFixture.plain().put("lease", new JsonObject().put("seconds", 4).put("concurrentLimit", 3))
                .put("exclusions", new JsonArray()));
        MarkingFixture.responses(task, 4);
        marker = MarkingFixture.marker(task);
    }

    @Start
    void start(Stage stage) throws Exception {
        Settings settings = Settings.inMemory();
        settings.put(Settings.SERVER_URL, "https://localhost:" + MarkingFixture.server().app().port());
        settings.put(Settings.CA_FILE, MarkingFixture.server().app().tls().caCert().toString());
        bg = new FxBackgroundExecutor();
        shell = new ClientShell(new ClientShell.Environment(settings, ClientApp.apiFactory(0), bg, Clock.systemUTC(), () -> {
            throw new IllegalStateException("no face checks here");
        }, ms -> { }, true, marker.name(), Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(1)));
        stage.setScene(new Scene(shell.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        bg.close();
    }

    @Test
    void anAnswerWhoseLeaseRanOutIsWithdrawnAndNotMarked(FxRobot robot) throws Exception {
        robot.clickOn("#password").write("password-of-" + marker.name()).type(KeyCode.ENTER);
        await(() -> robot.lookup("#open-" + TaskListView.cssId(task)).tryQuery().isPresent());
        robot.type(KeyCode.ENTER);
        await(() -> !shown(robot).isEmpty());
        String first = shown(robot);
        AnswerImageView image = robot.lookup("#answerImage").queryAs(AnswerImageView.class);
        var firstImage = image.image();
        robot.type(KeyCode.DIGIT3); // 1/2 chosen, waiting for confirmation when time runs out
        await(() -> text(robot, "#markingStatus").startsWith("Time for the last answer ran out"));
        assertTrue(image.image() != firstImage, "the answer whose lease ran out is off the screen");
        robot.type(KeyCode.ENTER); // the pending mark went with its answer: Enter confirms nothing
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0L, MarkingFixture.sql("select count(*) from marks where marker_id = $1", UUID.fromString(marker.id()))
                .iterator().next().getLong(0), "nothing was marked");
        assertEquals("open", MarkingFixture.status(first), "the answer went back to be marked");
    }

    private static String shown(FxRobot robot) {
        return robot.lookup("#markingView").tryQuery().map(v -> ((MarkingView) v).currentResponseId()).orElse("");
    }
}

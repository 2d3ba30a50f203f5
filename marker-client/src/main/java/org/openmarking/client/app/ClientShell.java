package org.openmarking.client.app;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.openmarking.client.api.MarkerApi;
import org.openmarking.client.api.Wire.Session;
import org.openmarking.client.api.Wire.TaskInfo;
import org.openmarking.client.background.BackgroundExecutor;
import org.openmarking.client.calibration.CalibrationFeedbackView;
import org.openmarking.client.calibration.CalibrationFeedbackViewModel;
import org.openmarking.client.connect.ConnectView;
import org.openmarking.client.connect.ConnectViewModel;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.face.CameraSource;
import org.openmarking.client.face.FaceCheckView;
import org.openmarking.client.face.FaceCheckViewModel;
import org.openmarking.client.marking.ConfirmChoice;
import org.openmarking.client.marking.MarkingView;
import org.openmarking.client.marking.MarkingViewModel;
import org.openmarking.client.marking.UploadQueue;
import org.openmarking.client.session.SessionViewModel;
import org.openmarking.client.session.SessionViewModel.Standing;
import org.openmarking.client.tasks.TaskListView;
import org.openmarking.client.tasks.TaskListViewModel;

/**
 * The window's content and the flow between screens: connect and log in, the face check,
 * the task list, calibration and its feedback, marking. The status bar sits on top once
 * logged in; a face check, pause or suspension covers the screen at once, whatever is open.
 */
public final class ClientShell {
    /**
     * What the shell needs from outside; tests pass fakes, the application the real things.
     * {@code confirmMarks} false means {@code --no-confirm}: no confirm step this run, whatever
     * the marker chose before; true leaves the remembered choice.
     */
    public record Environment(Settings settings, ConnectViewModel.ApiFactory apiFactory, BackgroundExecutor background, Clock clock,
            Supplier<CameraSource> camera, FaceCheckViewModel.Sleeper frameSleeper, boolean confirmMarks, String user,
            Duration probeEvery, Duration uploadFirstPause, Duration uploadMaxPause) {
    }

    private final Environment env;
    private final BorderPane root = new BorderPane();
    private final StackPane stack = new StackPane();
    private final ConnectViewModel connect;
    private final ConfirmChoice confirmChoice;
    /** Marks and escalations not yet sent: the session's queue, or those kept from a session that ended. */
    private final javafx.beans.property.IntegerProperty unsentCount = new javafx.beans.property.SimpleIntegerProperty();
    private final CloseRequest closing;
    private Runnable closeWindow = () -> { };
    private SessionViewModel session;
    private MarkingViewModel marking;
    private Node overlay;
    private FaceCheckViewModel faceCheck;
    private java.util.List<UploadQueue.Upload> unsent = java.util.List.of();
    private String unsentOf;

    public ClientShell(Environment env) {
        this.env = env;
        this.connect = new ConnectViewModel(env.settings(), env.apiFactory(), env.background());
        this.confirmChoice = new ConfirmChoice(env.settings(), !env.confirmMarks());
        if (env.user() != null) {
            connect.usernameProperty().set(env.user());
        }
        this.closing = new CloseRequest(unsentCount, () -> closeWindow.run());
        closing.askingProperty().addListener((o, was, n) -> root.setBottom(n.intValue() == 0 ? null : closeQuestion(n.intValue())));
        root.setCenter(stack);
        root.setPrefSize(1200, 800);
        showConnect();
    }

    public Parent root() {
        return root;
    }

    /**
     * The window's close button; {@code closeWindow} closes it. False while the marker is asked
     * whether to lose the marks not yet sent (the window then stays open).
     */
    public boolean requestClose(Runnable closeWindow) {
        this.closeWindow = closeWindow;
        return closing.request();
    }

    private Node closeQuestion(int n) {
        String marks = n == 1 ? "1 mark" : n + " marks";
        Label text = new Label(marks + " not sent yet: they are lost if the client closes now.");
        text.setWrapText(true);
        Button keep = new Button("Keep trying");
        keep.setId("closeKeepTrying");
        keep.setDefaultButton(true);
        keep.setOnAction(e -> closing.keepTrying());
        Button quit = new Button("Quit and lose " + marks);
        quit.setId("closeQuit");
        quit.setOnAction(e -> closing.quitAnyway());
        javafx.scene.layout.HBox bar = new javafx.scene.layout.HBox(10, text, keep, quit);
        bar.setId("closeQuestion");
        bar.setPadding(new Insets(10));
        bar.setStyle("-fx-background-color: #f6e3a1;");
        return bar;
    }

    public ConnectViewModel connectViewModel() {
        return connect;
    }

    /** The logged-in session, or null. */
    public SessionViewModel session() {
        return session;
    }

    /** The marking screen's view model while one is open, or null. */
    public MarkingViewModel marking() {
        return marking;
    }

    private void setScreen(Node screen) {
        stack.getChildren().setAll(screen);
        screen.setDisable(overlay != null);
        if (overlay != null) {
            stack.getChildren().add(overlay);
        }
    }

    /** Covers the screen (face check, suspension); the screen beneath takes no keys meanwhile. */
    private void setOverlay(Node node) {
        if (overlay != null) {
            stack.getChildren().remove(overlay);
        }
        overlay = node;
        if (!stack.getChildren().isEmpty()) {
            Node screen = stack.getChildren().get(0);
            screen.setDisable(node != null);
            if (node == null) {
                screen.requestFocus();
            }
        }
        if (node != null) {
            stack.getChildren().add(node);
            // The covered screen's content takes the keys (the cover itself is only a backdrop).
            Node content = node instanceof StackPane sp && !sp.getChildren().isEmpty() ? sp.getChildren().get(0) : node;
            content.requestFocus();
        }
    }

    private void showConnect() {
        root.setTop(null);
        setOverlay(null);
        setScreen(new ConnectView(connect, () -> connect.login(this::loggedIn)));
    }

    private void loggedIn(MarkerApi api, Session s) {
        UploadQueue uploads = new UploadQueue(api, env.background(), env.uploadFirstPause(), env.uploadMaxPause());
        if (unsentOf != null && unsentOf.equals(s.userId())) {
            unsent.forEach(uploads::add); // marks from a session that expired before they were sent, with their ids
        }
        unsent = java.util.List.of();
        unsentOf = null;
        session = new SessionViewModel(api, s, env.background(), uploads, env.probeEvery());
        unsentCount.bind(uploads.pendingCountProperty());
        root.setTop(new StatusBar(session, this::logout));
        session.standingProperty().addListener((o, was, now) -> standingChanged(now));
        session.expiredProperty().addListener((o, was, now) -> {
            if (now) {
                endSession();
            }
        });
        session.onRecalibrationRequired(t -> {
            if (marking != null && marking.mode() == MarkingViewModel.Mode.LIVE && (t == null || t.equals(marking.task().taskId()))) {
                showTasks();
            }
        });
        session.presenceProblemProperty().addListener((o, was, now) -> {
            if (!now.isEmpty() && session.standingProperty().get() == Standing.ACTIVE) {
                setScreen(presenceProblem()); // not the task list: the server gives no work until a check can run
            }
        });
        session.start();
        checkPresenceAtLogin();
    }

    /** Asks the server whether a face check is due before any work is shown; Retry asks again. */
    private void checkPresenceAtLogin() {
        setScreen(waiting("Checking whether a face check is due..."));
        session.checkPresence(() -> {
            switch (session.standingProperty().get()) {
                case ACTIVE -> showTasks();
                case FACE_CHECK_DUE, PAUSED -> setScreen(waiting(""));
                case SUSPENDED -> {
                    // the suspension covers the screen
                }
            }
        });
    }

    private Node presenceProblem() {
        Label title = new Label("Face checks are not available");
        title.setFont(Font.font("System", FontWeight.BOLD, 22));
        Label text = new Label();
        text.setId("presenceProblem");
        text.textProperty().bind(session.presenceProblemProperty());
        text.setWrapText(true);
        Button retry = new Button("Retry");
        retry.setId("presenceRetry");
        retry.setDefaultButton(true);
        retry.setOnAction(e -> checkPresenceAtLogin());
        Button out = new Button("Log out");
        out.setOnAction(e -> logout());
        VBox box = new VBox(14, title, text, new javafx.scene.layout.HBox(8, retry, out));
        box.setId("presenceProblemView");
        box.setPadding(new Insets(40));
        return box;
    }

    private void standingChanged(Standing now) {
        switch (now) {
            case ACTIVE -> {
                faceCheck = null;
                setOverlay(null);
                showTasksIfWaiting(); // e.g. suspended at log-in, then reinstated: nothing but a waiting label beneath
            }
            case FACE_CHECK_DUE, PAUSED -> {
                if (faceCheck == null) { // a check on screen stays (a failed one shows why, and Retry)
                    showFaceCheck();
                }
            }
            case SUSPENDED -> {
                faceCheck = null;
                setOverlay(cover(suspended()));
            }
        }
    }

    private void showFaceCheck() {
        FaceCheckViewModel vm = new FaceCheckViewModel(session.api(), env.background(), env.camera(), env.frameSleeper());
        faceCheck = vm;
        vm.onPassed(() -> {
            faceCheck = null;
            session.faceCheckPassed();
            setOverlay(null);
            showTasksIfWaiting();
        });
        setOverlay(cover(new FaceCheckView(vm)));
        vm.begin(session.dueCheckProperty().get());
    }

    /** After a cover lifts: the task list, unless a task, the list or feedback is already beneath. */
    private void showTasksIfWaiting() {
        Node beneath = stack.getChildren().isEmpty() ? null : stack.getChildren().get(0);
        if (session != null && marking == null && !(beneath instanceof TaskListView) && !(beneath instanceof CalibrationFeedbackView)) {
            showTasks();
        }
    }

    private Node suspended() {
        Label title = new Label("Your marking is suspended");
        title.setFont(Font.font("System", FontWeight.BOLD, 22));
        Label text = new Label("A chief examiner will review your face checks and contact you. Marks you made before are kept.");
        text.setWrapText(true);
        Button out = new Button("Log out");
        out.setOnAction(e -> logout());
        // A reinstatement whose check could not reach the server: say so, and let the marker ask again.
        Label problem = new Label();
        problem.setWrapText(true);
        problem.textProperty().bind(session.presenceProblemProperty());
        Button again = new Button("Check again");
        again.visibleProperty().bind(session.presenceProblemProperty().isNotEmpty());
        again.setOnAction(e -> session.checkPresence(() -> { }));
        VBox box = new VBox(14, title, text, problem, new javafx.scene.layout.HBox(8, again, out));
        box.setId("suspendedView");
        box.setPadding(new Insets(40));
        return box;
    }

    private static Node cover(Node content) {
        StackPane p = new StackPane(content);
        p.setStyle("-fx-background-color: -fx-background;");
        return p;
    }

    private static Node waiting(String text) {
        Label l = new Label(text);
        l.setPadding(new Insets(40));
        return l;
    }

    /** The task list (after log-in, a face check, calibration feedback, or leaving a task). */
    public void showTasks() {
        closeMarking();
        TaskListViewModel vm = new TaskListViewModel(session.api(), env.background());
        setScreen(new TaskListView(vm, this::openTask, this::showFeedback));
        vm.refresh();
    }

    private void openTask(TaskInfo t) {
        closeMarking();
        MarkingViewModel.Mode mode = t.canMark() ? MarkingViewModel.Mode.LIVE : MarkingViewModel.Mode.CALIBRATION;
        marking = new MarkingViewModel(session, t, mode, env.clock());
        marking.confirmMarksProperty().bindBidirectional(confirmChoice.property());
        marking.calibrationDoneProperty().addListener((o, was, now) -> {
            if (now) {
                showFeedback(t);
            }
        });
        setScreen(new MarkingView(marking, this::showTasks));
        marking.open();
    }

    private void showFeedback(TaskInfo t) {
        closeMarking();
        CalibrationFeedbackViewModel vm = new CalibrationFeedbackViewModel(session.api(), env.background());
        setScreen(new CalibrationFeedbackView(vm, this::showTasks));
        vm.load(t.taskId());
    }

    private void closeMarking() {
        if (marking != null) {
            marking.confirmMarksProperty().unbindBidirectional(confirmChoice.property());
            marking.close();
            marking = null;
        }
    }

    private void logout() {
        SessionViewModel s = session;
        if (s != null && s.uploads().pendingCountProperty().get() > 0) {
            s.bannerProperty().set("Some marks are not sent yet; stay logged in until the connection returns.");
            return;
        }
        endSession();
        if (s != null) {
            env.background().run(() -> {
                s.api().logout();
                return Boolean.TRUE;
            }, ok -> { }, e -> { });
        }
    }

    private void endSession() {
        closeMarking();
        faceCheck = null;
        if (session != null) {
            session.stop();
            unsent = session.uploads().drain(); // kept in memory for the same marker's next log-in
            unsentOf = unsent.isEmpty() ? null : session.session().userId();
        }
        unsentCount.unbind();
        unsentCount.set(unsent.size());
        session = null;
        showConnect();
    }

    /** Stops the push stream (the window is closing). */
    public void shutdown() {
        closeMarking();
        if (session != null) {
            session.stop();
        }
    }
}

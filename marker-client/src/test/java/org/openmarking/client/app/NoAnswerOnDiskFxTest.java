package org.openmarking.client.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openmarking.client.background.FxBackgroundExecutor;
import org.openmarking.client.connect.Settings;
import org.openmarking.client.face.FolderCamera;
import org.openmarking.client.marking.AnswerImageView;
import org.openmarking.client.testing.FakeMarkerApi;
import org.openmarking.client.testing.TestFaces;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * No answer image, password or token reaches a file or a log: after a marking session (log-in
 * with the real preferences store, face check, answers shown, marked, escalated, one mark
 * resent after a lost connection), every file under this JVM's temp and home folders (the
 * build points both into {@code target/}) and the preferences folder, every file the run wrote
 * in the working folder, the client's preferences and every log record are searched for the
 * images' bytes, the password and the token; and no file written during the run may hold any
 * PNG or JPEG image. The images on screen are decoded from memory (no URL).
 */
@ExtendWith(ApplicationExtension.class)
class NoAnswerOnDiskFxTest {
    private FakeMarkerApi api;
    private ClientShell shell;
    private FxBackgroundExecutor bg;
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            logs.add(format.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static java.nio.file.Path faces;

    /**
     * The face check films photos from {@code ../shared/data/faces}: without them the test is
     * skipped here, before the UI starts, rather than failing on a worker thread mid-flow.
     */
    @org.junit.jupiter.api.BeforeAll
    static void faces() {
        faces = TestFaces.person("biden");
    }

    private long started;

    @Start
    void start(Stage stage) {
        started = System.currentTimeMillis();
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        Logger.getLogger("org.openmarking").setLevel(Level.ALL);
        api = FakeMarkerApi.standard(Clock.systemUTC(), 6);
        bg = new FxBackgroundExecutor();
        Settings prefs = Settings.preferences();
        prefs.put(Settings.SERVER_URL, "https://no-disk.example.org");
        shell = new ClientShell(new ClientShell.Environment(prefs, (server, ca, pin) -> api, bg, Clock.systemUTC(), () -> {
            try {
                return new FolderCamera(faces);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, ms -> { }, false, null, Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(500)));
        stage.setScene(new Scene(shell.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        bg.close();
    }

    @Test
    void nothingSecretIsWrittenOrLogged(FxRobot robot) throws Exception {
        api.requireFaceCheckAtLogin();
        robot.write(FakeMarkerApi.USER).type(KeyCode.TAB).write(FakeMarkerApi.PASSWORD).type(KeyCode.ENTER);
        ClientFlowFxTest.await(() -> robot.lookup("#faceStart").tryQuery().map(javafx.scene.Node::isVisible).orElse(false));
        robot.type(KeyCode.ENTER);
        ClientFlowFxTest.await(() -> robot.lookup("#taskListView").tryQuery().isPresent());
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        List<String> shown = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String id = "resp-" + i;
            ClientFlowFxTest.await(() -> id.equals(robot.lookup("#markingView").tryQuery()
                    .map(v -> ((org.openmarking.client.marking.MarkingView) v).currentResponseId()).orElse("")));
            AnswerImageView image = robot.lookup("#answerImage").queryAs(AnswerImageView.class);
            assertNull(image.image().getUrl(), "decoded from bytes in memory, never loaded from a file or URL");
            shown.add(id);
            if (i == 2) {
                robot.type(KeyCode.E).type(KeyCode.ENTER);
            } else {
                if (i == 3) {
                    // The next answer is decoded in the background; going offline before it is ready would lose it.
                    ClientFlowFxTest.await(() -> ClientFlowFxTest.text(robot, "#nextReady").equals("next answer ready"));
                    api.setOffline(true);
                }
                robot.type(KeyCode.DIGIT3);
                if (i == 3) {
                    ClientFlowFxTest.await(() -> ClientFlowFxTest.text(robot, "#uploads").startsWith("1 mark"));
                    api.setOffline(false);
                }
            }
        }
        ClientFlowFxTest.await(() -> api.marks().size() == 3 && api.escalations().size() == 1);
        String token = api.token();
        WaitForAsyncUtils.waitForAsyncFx(5000, shell::shutdown);
        Preferences.userRoot().flush();

        Map<String, byte[]> needles = new LinkedHashMap<>();
        needles.put("password", FakeMarkerApi.PASSWORD.getBytes(StandardCharsets.UTF_8));
        needles.put("token", token.getBytes(StandardCharsets.UTF_8));
        for (String id : shown) {
            byte[] img = api.answer(id).image();
            byte[] slice = java.util.Arrays.copyOfRange(img, img.length / 2, img.length / 2 + 64);
            needles.put("image " + id, slice);
            needles.put("image " + id + " in base64", Base64.getEncoder().encodeToString(slice).substring(8, 48).getBytes(StandardCharsets.US_ASCII));
        }

        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path home = Path.of(System.getProperty("user.home"));
        assertTrue(tmp.toString().contains("target") && home.toString().contains("target"), "the build isolates the folders searched: " + tmp
                + ", " + home);
        // Java's file-backed preferences live under java.util.prefs.userRoot (by default the home folder).
        Path prefsDir = Path.of(System.getProperty("java.util.prefs.userRoot", home.toString())).resolve(".java");
        Path workDir = Path.of("").toAbsolutePath();
        assertTrue(imageMagic(api.answer(shown.get(0)).image()) != null, "the search recognises the answers' PNG pages");
        try (Stream<Path> photos = Files.list(faces)) {
            byte[] photo = Files.readAllBytes(photos.filter(f -> f.toString().endsWith(".jpg")).findFirst().orElseThrow());
            assertTrue(imageMagic(photo) != null, "the search recognises the face frames' JPEGs");
        }
        List<String> found = new ArrayList<>();
        int[] files = {0};
        boolean[] prefsSeen = {false};
        java.util.Set<Path> searched = new java.util.HashSet<>();
        for (Path dir : List.of(tmp, home, prefsDir, workDir)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            boolean isolated = !dir.equals(workDir);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    boolean written;
                    byte[] content;
                    try {
                        written = Files.getLastModifiedTime(f).toMillis() >= started;
                        // The working folder holds the sources and the build: only what this run wrote counts there.
                        if (!searched.add(f.normalize()) || (!isolated && !written) || insideDatabase(f)) {
                            continue;
                        }
                        content = Files.readAllBytes(f);
                    } catch (IOException gone) {
                        continue; // removed while walking (another test's server)
                    }
                    files[0]++;
                    if (new String(content, StandardCharsets.UTF_8).contains("https://no-disk.example.org")) {
                        prefsSeen[0] = true;
                    }
                    needles.forEach((what, bytes) -> {
                        if (indexOf(content, bytes) >= 0) {
                            found.add(what + " in " + f);
                        }
                    });
                    String image = written ? imageMagic(content) : null;
                    if (image != null) { // any image written during the run: an answer page or a face frame
                        found.add(image + " written during the run: " + f);
                    }
                }
            }
        }
        Preferences client = Preferences.userRoot().node("org/openmarking/client");
        for (String key : client.keys()) {
            String value = client.get(key, "");
            needles.forEach((what, bytes) -> {
                if (value.contains(new String(bytes, StandardCharsets.UTF_8))) {
                    found.add(what + " in the preference " + key);
                }
            });
        }
        assertTrue(prefsSeen[0], "the remembered server address is found, so the search covers where the client writes");
        assertEquals(List.of(), found, "searched " + files[0] + " files");

        List<String> leaks = new ArrayList<>();
        for (String line : logs) {
            needles.forEach((what, bytes) -> {
                if (line.contains(new String(bytes, StandardCharsets.ISO_8859_1)) || line.contains(new String(bytes, StandardCharsets.UTF_8))) {
                    leaks.add(what + " in log: " + line);
                }
            });
        }
        assertTrue(logs.stream().anyMatch(l -> l.contains("will be retried")), "the client's own log records were captured: " + logs.size());
        assertEquals(List.of(), leaks);
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** "PNG"/"JPEG" when {@code c} holds an image's signature (JPEG: start of image, then JFIF, Exif or a table), else null. */
    static String imageMagic(byte[] c) {
        if (indexOf(c, PNG) >= 0) {
            return "PNG image";
        }
        for (int i = 0; i + 10 < c.length; i++) {
            if ((c[i] & 0xff) == 0xFF && (c[i + 1] & 0xff) == 0xD8 && (c[i + 2] & 0xff) == 0xFF) {
                int marker = c[i + 3] & 0xff;
                String tag = new String(c, i + 6, 4, StandardCharsets.ISO_8859_1);
                if (marker == 0xDB || marker == 0xC0 || (marker == 0xE0 && tag.equals("JFIF")) || (marker == 0xE1 && tag.equals("Exif"))) {
                    return "JPEG image";
                }
            }
        }
        return null;
    }

    /** An embedded PostgreSQL's files (another test's server node): the server's own, encrypted at rest, not the client's. */
    private static boolean insideDatabase(Path f) {
        for (Path d = f.getParent(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("PG_VERSION"))) {
                return true;
            }
        }
        return false;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

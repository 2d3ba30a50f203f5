package org.openmarking.server.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (both installed by
 * {@code .ci/run}). No browser is downloaded: this machine's network is closed.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("openmarking.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("openmarking.chromedriver", "/usr/bin/chromedriver"));
    /** Where screenshots go; the README and the closing note name this folder. */
    static final Path SHOTS = Path.of("target", "dashboard-screenshots");

    final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver (.ci/run installs them): "
                    + CHROMIUM + ", " + CHROMEDRIVER);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The server's certificate comes from the test's own throw-away CA.
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // A page that has not loaded in 30 s will not: fail the load and try once more (see open).
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /**
     * Loads the page, once more if the first load hangs: headless chromium, rarely, never
     * finishes a navigation (seen once in a full run: the driver waited 213 s on the dashboard's
     * static page, where every other run takes under a second); a second navigation goes through.
     */
    void open(String url) {
        try {
            driver.get(url);
        } catch (org.openqa.selenium.TimeoutException e) {
            driver.get(url);
        }
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** The element's text once it is there, read again if a re-render replaced it meanwhile. */
    String text(String css) {
        return waitForText(css, "");
    }

    /** How many elements match now (no waiting). */
    int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Clicks the element, found again inside the wait if a live re-render replaced it between finding and clicking. */
    void click(String css) {
        wait.until(d -> {
            try {
                WebElement e = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
                if (e == null) {
                    return false;
                }
                e.click();
                return true;
            } catch (NoSuchElementException | StaleElementReferenceException e) {
                return false;
            }
        });
    }

    /** Waits until the element's text contains {@code text}; returns the whole text. */
    String waitForText(String css, String text) {
        // Read the text inside the wait: views are re-rendered on live events, so an element found
        // after the wait may already have been replaced (a stale element).
        return wait.until(d -> {
            try {
                String t = d.findElement(By.cssSelector(css)).getText();
                return t.contains(text) ? t : null;
            } catch (NoSuchElementException | StaleElementReferenceException e) {
                return null;
            }
        });
    }

    void logIn(String base, String username, String password) {
        open(base + "/dashboard/");
        type("#username", username);
        type("#password", password);
        click("#login button[type=submit]");
    }

    /** The server's address as the browser reaches it. */
    static String base(org.openmarking.server.TestServer server) {
        return "https://localhost:" + server.app().port();
    }

    /** The JavaScript dialog the page opens next (a confirm or prompt of an action). */
    org.openqa.selenium.Alert alert() {
        return wait.until(ExpectedConditions.alertIsPresent());
    }

    /** Logs in as a chief examiner, chooses the task's exam and the task, and opens a view (the hash of its tab). */
    void openTask(String base, String username, String task, String view) {
        logIn(base, username, "password-of-" + username);
        waitForText("#live", "live");
        new Select(find("#exam")).selectByValue(org.openmarking.server.exam.ExamService.examOf(task));
        waitForText("#task", task);
        new Select(find("#task")).selectByValue(task);
        open(base + "/dashboard/#" + view);
    }

    /**
     * Decides a queue item (an escalation, an adjudication) as a chief examiner would: waits for
     * its answer image, chooses the mark, writes the note, saves a screenshot, clicks the button.
     */
    void decide(String item, String mark, String note, String screenshot, String button) throws IOException {
        find(item + " img.answer");
        new Select(find(item + " select.mark-choice")).selectByValue(mark);
        type(item + " input.note", note);
        screenshot(screenshot);
        click(item + " " + button);
    }

    Path screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        Path file = SHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}

package com.leadsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by its chromium-driver, for the admin panel's browser tests. Without them the tests
 * are skipped with how to install them, except in CI ({@code CI} set), where a missing browser fails: CI must run
 * them.
 */
public final class Chromium implements AutoCloseable {

    public static final String HOW_TO_INSTALL = "browser tests need Chromium and its driver: "
            + "sudo apt-get install -y chromium chromium-driver (or set -Dleadsync.chromium=/path/to/chromium "
            + "-Dleadsync.chromedriver=/path/to/chromedriver)";
    private static final Path BROWSER = Path.of(System.getProperty("leadsync.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("leadsync.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public final ChromeDriver driver;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the calling test (fails it in CI) unless Chromium and its driver are installed. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (!installed && System.getenv("CI") != null) {
            Assertions.fail("CI must run the browser tests; " + HOW_TO_INSTALL);
        }
        Assumptions.assumeTrue(installed, HOW_TO_INSTALL);
    }

    /** A new browser (its own profile: no storage shared with another instance), a window of that size. */
    public static Chromium start(int width, int height) {
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toString()).addArguments("--headless=new",
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Chromium(driver);
    }

    /**
     * Ready for the next test without a new browser (a start costs seconds): that window size, and nothing left of
     * the last test — storage and cookies of {@code origin} cleared, its console read away.
     */
    public void reset(String origin, int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        driver.get(origin + "/admin/app.css"); // the origin, without the panel's script running
        script("sessionStorage.clear(); localStorage.clear();");
        driver.manage().deleteAllCookies();
        driver.manage().logs().get(LogType.BROWSER);
    }

    public WebElement byTestId(String id) {
        return until(d -> d.findElements(testId(id)).stream().filter(WebElement::isDisplayed).findFirst()
                .orElse(null));
    }

    public static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    /**
     * Waits up to 20 s for {@code condition} to give something other than null or false. A timeout names what the
     * page's console said (a script error is the usual reason nothing appeared).
     */
    public <T> T until(Function<WebDriver, T> condition) {
        try {
            // The panel re-renders: an element found a moment ago may be gone, which is "not yet", not a failure.
            return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            List<String> console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(entry -> entry.getLevel() + " " + entry.getMessage()).toList();
            throw new TimeoutException(e.getMessage() + "\nthe browser console: " + console + "\nat "
                    + driver.getCurrentUrl(), e);
        }
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves the page as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}

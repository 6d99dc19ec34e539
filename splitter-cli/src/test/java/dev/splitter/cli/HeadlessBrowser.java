package dev.splitter.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.splitter.local.OrphanReaper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Debian's headless Chromium, driven over WebDriver by its own chromedriver, which this starts on a
 * free loopback port and stops (with the browser) on close, or through {@code tools/reap-orphan.sh}
 * if this JVM is killed first. Installed by {@code tools/install-chromium.sh}; missing, a test is
 * skipped, or fails with {@code CI=true}.
 */
final class HeadlessBrowser implements AutoCloseable {
  private static final Path DRIVER =
      Path.of(System.getProperty("splitter.chromedriver", "/usr/bin/chromedriver"));
  private static final Path CHROMIUM =
      Path.of(System.getProperty("splitter.chromium", "/usr/bin/chromium"));

  final WebDriver driver;
  private final Process process;

  private HeadlessBrowser(WebDriver driver, Process process) {
    this.driver = driver;
    this.process = process;
  }

  static HeadlessBrowser start() throws IOException {
    boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    if (!installed && !"true".equals(System.getenv("CI"))) {
      assumeTrue(false, "no chromium here: run tools/install-chromium.sh");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process =
        new ProcessBuilder(DRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    // Stopped by close(); if this JVM is killed first, the reaper stops it and its browser.
    OrphanReaper.watch(process);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // as root in a container, Chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1400,1000");
    URI driverUrl = URI.create("http://127.0.0.1:" + port);
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try {
        return new HeadlessBrowser(new RemoteWebDriver(driverUrl.toURL(), options), process);
      } catch (RuntimeException notListeningYet) {
        if (Instant.now().isAfter(deadline) || !process.isAlive()) {
          stop(process);
          throw notListeningYet;
        }
        sleep(Duration.ofMillis(200));
      }
    }
  }

  /** Saves what the browser shows as a PNG. */
  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(file, png);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      // the driver is stopped below either way
    } finally {
      stop(process);
    }
  }

  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while starting chromedriver"));
    }
  }
}

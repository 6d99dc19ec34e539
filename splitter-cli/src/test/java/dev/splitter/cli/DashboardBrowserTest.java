package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a real {@code splitter serve}, in a real headless Chromium: refused without the
 * token, opened with the address {@code splitter dashboard} prints, following a deploy and a
 * rollout as they happen. Screenshots land in {@code target/dashboard/} for a person to look at.
 */
class DashboardBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target", "dashboard");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @TempDir Path home;

  private InProcessServe serve;
  private HeadlessBrowser browser;
  private Predictions traffic;

  @BeforeEach
  void start() throws Exception {
    serve = InProcessServe.example(home);
    browser = HeadlessBrowser.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (traffic != null) {
        traffic.close();
      }
    } finally {
      try {
        browser.close();
      } finally {
        serve.stop();
      }
    }
  }

  @Test
  void withoutTheTokenThePageAndItsDataAreRefused() throws Exception {
    URI address = address();
    URI admin = address.resolve("/");
    WebDriver page = browser.driver;

    page.get(admin.resolve("/dashboard").toString());
    assertThat(page.findElement(By.tagName("body")).getText())
        .contains("needs the address splitter dashboard prints");
    page.get(admin.resolve("/dashboard?token=" + "0".repeat(64)).toString());
    assertThat(page.findElement(By.tagName("body")).getText())
        .contains("needs the address splitter dashboard prints");
    assertThat(page.findElements(By.cssSelector("section.splitter"))).isEmpty();

    assertThat(status(admin.resolve("/v1/dashboard"), null)).isEqualTo(401);
    assertThat(status(admin.resolve("/dashboard/dashboard.js"), null)).isEqualTo(401);
    // The cookie the page gets opens only the dashboard's read-only routes, not the admin API.
    String token = address.getQuery().substring("token=".length());
    String cookie = "splitter_dashboard_" + admin.getPort() + "=" + token;
    assertThat(status(admin.resolve("/v1/splitters"), cookie)).isEqualTo(401);
    assertThat(status(admin.resolve("/v1/dashboard"), cookie)).isEqualTo(200);
    assertThat(status(admin.resolve("/v1/dashboard?since=yesterday"), cookie)).isEqualTo(400);
  }

  @Test
  void theAddressOpensTheDashboardWhichFollowsADeployAndARollout() throws Exception {
    WebDriver page = browser.driver;
    page.get(address().toString());

    // The token is traded for a cookie and leaves the address bar.
    assertThat(page.getCurrentUrl()).endsWith("/dashboard").doesNotContain("token");
    awaitText(page, "[data-splitter='traffic-splitter'] tr[data-api='my-api'] .weight", "20");
    assertThat(text(page, "tr[data-api='another-my-api'] .weight")).isEqualTo("80");
    assertThat(text(page, "tr[data-api='my-api'] .status")).startsWith("live");
    assertThat(page.findElements(By.cssSelector("[data-splitter='traffic-splitter'] canvas")))
        .isNotEmpty();

    // A deploy through the admin endpoint: the page's next updates show the new weights.
    Path file = home.resolve("other.yaml");
    Files.writeString(
        file,
        Files.readString(home.resolve("cortex.yaml"))
            .replace("weight: 20", "weight: 60")
            .replace("weight: 80", "weight: 40"));
    assertThat(CliRun.run(home, "deploy", file.toString()).code()).isZero();
    int before = renders(page);
    awaitText(page, "tr[data-api='my-api'] .weight", "60");
    assertThat(renders(page))
        .as("the new weights within the second update after the deploy")
        .isLessThanOrEqualTo(before + 2);
    assertThat(text(page, "tr[data-api='another-my-api'] .weight")).isEqualTo("40");

    // A rollout while traffic flows: its steps appear as they happen, then its outcome.
    traffic = Predictions.start(home, "traffic-splitter");
    CompletableFuture<CliRun> rollout =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.run(
                    home,
                    "rollout",
                    "traffic-splitter",
                    "--candidate",
                    "my-api",
                    "--steps",
                    "70,100",
                    "--interval",
                    "3s",
                    "--min-requests",
                    "5",
                    "--max-error-rate",
                    "1%"));
    awaitPresent(page, ".rollout ol.steps li.current[data-step='1']");
    awaitText(page, "tr[data-api='my-api'] .weight", "70");
    awaitPresent(page, ".rollout ol.steps li.current[data-step='2']");
    assertThat(page.findElements(By.cssSelector(".rollout ol.steps li.done[data-step='1']")))
        .hasSize(1);
    awaitText(page, ".rollout tr[data-gate='max-error-rate'] .value", "0.00%");
    browser.screenshot(SCREENSHOTS.resolve("rollout-step-2.png"));

    assertThat(rollout.get(60, TimeUnit.SECONDS).code()).isZero();
    awaitPresent(page, ".rollout [data-outcome='promoted']");
    awaitText(page, "tr[data-api='my-api'] .weight", "100");
    assertThat(page.findElements(By.cssSelector(".rollout ol.steps li.done"))).hasSize(2);
    // The chart's samples pile up across polls, each poll asking only for the newer ones.
    Object samples =
        ((JavascriptExecutor) page).executeScript("return traffic.get('traffic-splitter').length");
    assertThat(((Number) samples).intValue()).isGreaterThanOrEqualTo(5);
    browser.screenshot(SCREENSHOTS.resolve("rollout-promoted.png"));
    assertThat(SCREENSHOTS.resolve("rollout-promoted.png")).isNotEmptyFile();
  }

  /** The address {@code splitter dashboard} prints. */
  private URI address() {
    CliRun printed = CliRun.run(home, "dashboard");
    assertThat(printed.code()).as(printed.err()).isZero();
    URI address = URI.create(printed.out().trim());
    assertThat(address.getPath()).isEqualTo("/dashboard");
    assertThat(address.getQuery()).startsWith("token=");
    return address;
  }

  private static int status(URI uri, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String text(WebDriver page, String css) {
    return page.findElement(By.cssSelector(css)).getText().trim();
  }

  private static int renders(WebDriver page) {
    String renders = page.findElement(By.tagName("body")).getAttribute("data-renders");
    return renders == null ? 0 : Integer.parseInt(renders);
  }

  private static void awaitText(WebDriver page, String css, String expected) {
    new WebDriverWait(page, Duration.ofSeconds(30))
        .withMessage(() -> css + " to read " + expected)
        .until(
            driver ->
                driver.findElements(By.cssSelector(css)).stream()
                    .map(WebElement::getText)
                    .anyMatch(shown -> shown.trim().equals(expected)));
  }

  private static void awaitPresent(WebDriver page, String css) {
    new WebDriverWait(page, Duration.ofSeconds(30))
        .withMessage(() -> css + " to appear")
        .until(driver -> !driver.findElements(By.cssSelector(css)).isEmpty());
  }
}

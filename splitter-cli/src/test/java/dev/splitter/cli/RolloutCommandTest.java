package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitter rollout} against a serve in this process: the rollout runs inside serve, gated on
 * the gateway's own counts of real requests sent meanwhile.
 */
@Timeout(120)
class RolloutCommandTest {
  @TempDir Path home;
  private InProcessServe serve;
  private Predictions traffic;

  @BeforeEach
  void startServe() throws Exception {
    Path file = home.resolve("cortex.yaml");
    Files.copy(Path.of("../examples/traffic-splitter/cortex.yaml"), file);
    serve = InProcessServe.start(home, "serve", file.toString(), "--sample-apis", "--port", "0");
    Instant deadline = Instant.now().plusSeconds(30);
    while (run("get", "traffic-splitter").code() != 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stopServe() throws Exception {
    try {
      if (traffic != null) {
        traffic.close();
      }
    } finally {
      serve.stop();
    }
  }

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }

  @Test
  void aHealthyCandidateIsPromotedStepByStep() throws Exception {
    sendTraffic();

    CliRun rollout =
        run(
            "rollout",
            "traffic-splitter",
            "--candidate",
            "my-api",
            "--steps",
            "50,100",
            "--interval",
            "1s",
            "--min-requests",
            "5",
            "--max-error-rate",
            "1%",
            "--max-latency-ratio",
            "20");

    assertThat(rollout.code()).as(rollout.err()).isZero();
    assertThat(rollout.out())
        .contains(
            "step 1/2: my-api at 50% (my-api 50, another-my-api 50)",
            "step 1/2: max-error-rate 0.00% <= 1.00%: pass",
            "step 2/2: my-api at 100% (my-api 100, another-my-api 0)",
            "traffic-splitter: promoted: my-api promoted at 100% after 2 steps");
    assertThat(weights()).isEqualTo("my-api:100 another-my-api:0");
    JsonNode status =
        new ObjectMapper().readTree(run("get", "traffic-splitter", "-o", "json").out());
    assertThat(status.path("split").path("requests").asLong()).isPositive();
    assertThat(status.path("apis").get(0).has("observed_share")).isTrue();
    assertThat(run("get", "traffic-splitter").out()).contains("observed");
    // The rollout as gauges beside the gateway's meters, at serve's /metrics.
    assertThat(adminMetrics())
        .contains("splitter_rollout_running{splitter=\"traffic-splitter\"} 0.0")
        .contains("splitter_rollout_step{splitter=\"traffic-splitter\"} 2.0")
        .contains("splitter_rollout_candidate_percent{splitter=\"traffic-splitter\"} 100.0")
        .contains(
            "splitter_rollout_gate_threshold{gate=\"max-error-rate\",splitter=\"traffic-splitter\"}"
                + " 0.01")
        .contains(
            "splitter_rollout_gate_value{gate=\"max-error-rate\",splitter=\"traffic-splitter\"}"
                + " 0.0");
  }

  /** serve's metrics, read with its token from the admin endpoint. */
  private String adminMetrics() throws Exception {
    JsonNode info = new ObjectMapper().readTree(home.resolve("serve.json").toFile());
    return java.net.http.HttpClient.newBuilder()
        .proxy(java.net.http.HttpClient.Builder.NO_PROXY)
        .build()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(info.get("admin").asText()).resolve("/metrics"))
                .header("Authorization", "Bearer " + info.get("token").asText())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void sequentialGatesDecideAtTheirChecksAndSayTheirInterval() throws Exception {
    sendTraffic();

    CliRun rollout =
        run(
            "rollout",
            "traffic-splitter",
            "--candidate",
            "my-api",
            "--steps",
            "50,100",
            "--interval",
            "1s",
            "--check-every",
            "250ms",
            "--min-requests",
            "20",
            "--max-error-increase",
            "5%",
            "--confidence",
            "90%",
            "--max-inconclusive",
            "20");

    assertThat(rollout.code()).as(rollout.err()).isZero();
    // Neither sample API fails: the difference is shown below five points.
    assertThat(rollout.out())
        .containsPattern(
            "step 1/2: error-rate-vs-baseline [-+]\\d\\.\\d\\d% \\([^)]+\\) <= \\+5\\.00% at 90%"
                + " confidence: pass")
        .contains("traffic-splitter: promoted: my-api promoted at 100% after 2 steps");
  }

  @Test
  void aShadowStepHoldsBackACandidateWhoseAnswersDisagree() throws Exception {
    sendTraffic();

    // The sample APIs answer with their own names, so each pair differs at /api.
    CliRun rollout =
        run(
            "rollout",
            "traffic-splitter",
            "--candidate",
            "my-api",
            "--steps",
            "50,100",
            "--interval",
            "1s",
            "--min-requests",
            "5",
            "--min-shadow-agreement",
            "99%",
            "--max-inconclusive",
            "10");

    assertThat(rollout.code()).isEqualTo(1);
    assertThat(rollout.out())
        .contains("step 1/3: my-api as the shadow, on a copy of every request (another-my-api 100)")
        .containsPattern(
            "step 1/3: min-shadow-agreement 0\\.00% < 99\\.00% of \\d+ compared: fail");
    assertThat(rollout.err())
        .startsWith("traffic-splitter: rolled back: min-shadow-agreement 0.00%");
    assertThat(weights()).isEqualTo("my-api:20 another-my-api:80");
  }

  @Test
  void noTrafficRollsBackWithTheReasonOnStderr() {
    CliRun rollout =
        run(
            "rollout",
            "traffic-splitter",
            "--candidate",
            "my-api",
            "--steps",
            "50,100",
            "--interval",
            "200ms",
            "--min-requests",
            "5",
            "--max-inconclusive",
            "1");

    assertThat(rollout.code()).isEqualTo(1);
    assertThat(rollout.err())
        .startsWith(
            "traffic-splitter: rolled back: inconclusive after 2 intervals: my-api served 0");
    assertThat(weights()).isEqualTo("my-api:20 another-my-api:80");
  }

  @Test
  void abortStopsARolloutRunningInServeAtOnce() throws Exception {
    CompletableFuture<CliRun> running =
        CompletableFuture.supplyAsync(
            () ->
                run(
                    "rollout",
                    "traffic-splitter",
                    "--candidate",
                    "my-api",
                    "--steps",
                    "50,100",
                    "--interval",
                    "1h"));
    Instant deadline = Instant.now().plusSeconds(30);
    while (!weights().equals("my-api:50 another-my-api:50") && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(run("rollout", "traffic-splitter", "--candidate", "my-api").err())
        .contains("already running");

    CliRun abort = run("rollout", "traffic-splitter", "--abort");

    assertThat(abort.code()).as(abort.err()).isZero();
    assertThat(abort.out()).contains("traffic-splitter: aborted: cancelled");
    assertThat(weights()).isEqualTo("my-api:20 another-my-api:80");
    CliRun stopped = running.get(30, TimeUnit.SECONDS);
    assertThat(stopped.code()).isEqualTo(1);
    assertThat(stopped.out()).contains("step 1/2: my-api at 50%", "aborted at step 1/2");
    assertThat(run("rollout", "traffic-splitter", "--abort").err())
        .contains("no rollout is in progress on traffic-splitter");
  }

  @Test
  void wrongUsageExitsTwoBeforeAnythingIsOpened() {
    assertThat(run("rollout", "traffic-splitter").code()).isEqualTo(2);
    assertThat(run("rollout", "traffic-splitter").err()).contains("--candidate is required");
    assertThat(run("rollout", "traffic-splitter", "--candidate", "x", "--steps", "50,40").err())
        .contains("steps must rise within 1..100");
    assertThat(run("rollout", "traffic-splitter", "--candidate", "x", "--max-error-rate", "150%"))
        .extracting(CliRun::code)
        .isEqualTo(2);
    assertThat(run("rollout", "traffic-splitter", "--candidate", "x", "--interval", "5 minutes"))
        .extracting(CliRun::code)
        .isEqualTo(2);
    assertThat(run("rollout", "traffic-splitter", "--abort", "--resume").code()).isEqualTo(2);
    assertThat(
            run("rollout", "traffic-splitter", "--candidate", "x", "--max-quantile-ratio", "95=1.2")
                .err())
        .contains("'95=1.2' is not a percentile and a ratio: give p95=1.2");
    assertThat(
            run("rollout", "traffic-splitter", "--candidate", "x", "--max-quantile-ratio", "p100=2")
                .err())
        .contains("quantile must be strictly between 0 and 1");
    assertThat(
            run(
                    "rollout",
                    "traffic-splitter",
                    "--candidate",
                    "x",
                    "--interval",
                    "10s",
                    "--check-every",
                    "1m")
                .err())
        .contains("checkEvery must be positive and at most the interval");
    assertThat(weights()).isEqualTo("my-api:20 another-my-api:80");
  }

  private String weights() {
    String list = run("get").out();
    int at = list.indexOf("my-api:");
    if (at < 0) {
      return list;
    }
    String[] words = list.substring(at).split("\\s+", 3);
    return words[0] + " " + words[1];
  }

  /** Posts to the splitter's endpoint on another thread until the test ends. */
  private void sendTraffic() throws Exception {
    traffic = Predictions.start(home, "traffic-splitter");
  }
}

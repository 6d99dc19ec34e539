package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.k8s.PrometheusServer;
import dev.splitter.local.SampleApi;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout on the local gateway gated through a real Prometheus, as on Kubernetes: {@code serve
 * --metrics-port} is scraped by Prometheus, and {@code serve --prometheus} reads the gates' figures
 * back from it ({@code PrometheusMetrics.Queries.splitterGateway()}).
 */
class PrometheusGatedRolloutTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @TempDir Path home;

  @Test
  void aHealthyCandidateIsPromotedAndAFailingOneRolledBackOnPrometheusFigures() throws Exception {
    int metricsPort = PrometheusServer.freePort();
    try (SampleApi failing = SampleApi.builder("another-my-api").failureRate(0.5).start();
        PrometheusServer prometheus = PrometheusServer.scraping("127.0.0.1:" + metricsPort);
        InProcessServe serve =
            InProcessServe.example(
                home,
                "--api",
                "another-my-api=" + failing.uri(),
                "--metrics-port",
                Integer.toString(metricsPort),
                "--prometheus",
                prometheus.url.toString());
        Predictions traffic = Predictions.start(home, "traffic-splitter")) {
      prometheus.awaitScrapes();

      CliRun promoted = rollout("my-api");
      assertThat(promoted.code()).as(promoted.err()).isZero();
      assertThat(promoted.out())
          .contains("step 1/2: max-error-rate 0.00% <= 5.00%: pass")
          .contains("traffic-splitter: promoted");

      CliRun rolledBack = rollout("another-my-api");
      assertThat(rolledBack.code()).isEqualTo(1);
      assertThat(rolledBack.out())
          .containsPattern("step 1/2: max-error-rate [3-6]\\d\\.\\d\\d% > 5\\.00%: fail")
          .contains("rolled back at step 1/2");

      // get reads the same source: the failing target's 5XX as Prometheus counted them.
      JsonNode apis =
          new ObjectMapper()
              .readTree(CliRun.run(home, "get", "traffic-splitter", "-o", "json").out())
              .get("apis");
      assertThat(apis.findValues("responses_5xx").stream().mapToLong(JsonNode::asLong).sum())
          .isPositive();
      // Percentiles from the gateway's histogram, whose bounds Prometheus names in seconds.
      double p50 = apis.get(0).path("latency_ms").path("p50").asDouble();
      assertThat(p50).isBetween(0.05, 1000.0);

      // Without Prometheus, get says where its figures were to come from.
      prometheus.close();
      CliRun blind = CliRun.run(home, "get", "traffic-splitter");
      assertThat(blind.code()).isZero();
      assertThat(blind.out() + blind.err()).containsIgnoringCase("prometheus");
    }
  }

  private CliRun rollout(String candidate) {
    return CliRun.run(
        home,
        "rollout",
        "traffic-splitter",
        "--candidate",
        candidate,
        "--steps",
        "50,100",
        "--interval",
        "3s",
        "--min-requests",
        "20",
        "--max-error-rate",
        "5%");
  }
}

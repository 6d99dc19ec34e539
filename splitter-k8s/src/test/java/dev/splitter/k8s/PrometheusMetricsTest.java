package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.core.Deployer;
import dev.splitter.core.SplitterStatus;
import dev.splitter.core.TargetStatus;
import dev.splitter.model.SplitterConfig;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutResult;
import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.TargetMetrics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code get} on Kubernetes with its traffic columns filled: the Istio backend on the real API
 * server, and a real Prometheus scraping an exporter the test moves, once a second.
 */
class PrometheusMetricsTest {
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static IstioExporter exporter;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus() {
    exporter = IstioExporter.start();
    exporter.served("my-api", 200, 0, 0);
    exporter.served("my-api", 503, 0, 0);
    exporter.served("another-my-api", 200, 0, 0);
    for (String api : List.of("stable-api", "canary-api", "slow-api")) {
      exporter.served(api, 200, 0, 0);
      exporter.served(api, 503, 0, 0);
    }
    prometheus = PrometheusServer.scraping(exporter.target());
    prometheus.awaitScrapes(); // the zeros scraped: the baseline increase() counts from
    exporter.served("my-api", 200, 190, 12);
    exporter.served("my-api", 503, 10, 12);
    exporter.served("another-my-api", 200, 800, 8);
  }

  @AfterAll
  static void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  /** The Istio backend on {@code cluster}, its catalog, and Prometheus for the traffic. */
  private static Deployer.Builder istio(TestCluster cluster) {
    return Deployer.builder()
        .routing(IstioRouting.builder().client(cluster.client).build())
        .catalog(KubernetesApiCatalog.builder().client(cluster.client).build())
        .metrics(metrics().build());
  }

  private static PrometheusMetrics.Builder metrics() {
    return PrometheusMetrics.builder()
        .url(prometheus.url)
        .namespace("models")
        .httpClient(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build());
  }

  /** The report once Prometheus has scraped the moved counters of my-api. */
  private static MetricsReport settled(PrometheusMetrics source, List<String> apis) {
    Instant deadline = Instant.now().plusSeconds(30);
    MetricsReport report = source.report("traffic-splitter", apis, WINDOW);
    while (Instant.now().isBefore(deadline)
        && report.metrics().getOrDefault("my-api", TargetMetrics.NONE).requests() < 200) {
      PrometheusServer.sleep(500);
      report = source.report("traffic-splitter", apis, WINDOW);
    }
    return report;
  }

  @Test
  void getOnTheRealApiServerShowsEachTargetsTrafficFromIstiosMetrics() {
    settled(metrics().build(), List.of("my-api", "another-my-api"));
    try (TestCluster cluster = RealCluster.start()) {
      cluster.realtimeApi("my-api", 1, 1);
      cluster.realtimeApi("another-my-api", 1, 1);
      Deployer deployer = istio(cluster).metricsWindow(WINDOW).build();
      deployer.deploy(
          SplitterConfig.parse(
              """
              - name: traffic-splitter
                kind: TrafficSplitter
                networking: {api_gateway: none}
                apis:
                  - {name: my-api, weight: 20}
                  - {name: another-my-api, weight: 80}
              """,
              "cortex.yaml"));

      SplitterStatus status = deployer.get("traffic-splitter");

      TargetMetrics mine = metricsOf(status, "my-api");
      // increase() extrapolates to the window's edges; the ratios between series are exact.
      assertThat(mine.requests()).isBetween(200L, 600L);
      assertThat(mine.responses2xx() + mine.responses5xx()).isCloseTo(mine.requests(), within(1L));
      assertThat((double) mine.responses5xx() / mine.requests()).isCloseTo(0.05, within(0.01));
      assertThat(mine.averageLatency()).isEqualTo(Duration.ofMillis(12));
      assertThat(metricsOf(status, "another-my-api").averageLatency())
          .isEqualTo(Duration.ofMillis(8));
      // The exporter's traffic began before this deploy: the observed split counts only the
      // seconds since, the other figures the window, and a note says so.
      assertThat(status.notes())
          .singleElement()
          .asString()
          .startsWith("observed: the last ")
          .endsWith("since the weights were last written; the other figures: the last 5m");
      assertThat(status.toTable()).contains("12.0 ms", "8.0 ms");
    }
  }

  @Test
  void percentilesComeFromIstiosHistogramAsPrometheusHistogramQuantileComputesThem()
      throws Exception {
    MetricsReport report = settled(metrics().build(), List.of("my-api", "another-my-api"));

    LatencyDistribution mine = report.metrics().get("my-api").latency();
    LatencyDistribution other = report.metrics().get("another-my-api").latency();

    assertThat(mine.isHistogram()).isTrue();
    // Separate queries, each extrapolated by increase() at its own instant: close, not equal.
    assertThat(mine.count())
        .isCloseTo(report.metrics().get("my-api").requests(), withinPercentage(5));
    for (double rank : new double[] {0.5, 0.95, 0.99}) {
      // Every answer of my-api took 12 ms, in Istio's (10, 25] bucket; another-my-api's 8 ms, in
      // (5, 10]: interpolated, as the real Prometheus computes it.
      double promql = histogramQuantile(rank, "my-api");
      assertThat(promql).isCloseTo(10 + 15 * rank, within(1e-6));
      assertThat(mine.quantile(rank).orElseThrow().toNanos() / 1e6).isCloseTo(promql, within(1e-6));
      assertThat(other.quantile(rank).orElseThrow().toNanos() / 1e6)
          .isCloseTo(histogramQuantile(rank, "another-my-api"), within(1e-6));
    }
  }

  /** What Prometheus's own {@code histogram_quantile} says of one Service over the window. */
  private static double histogramQuantile(double rank, String service) throws Exception {
    String promql =
        "histogram_quantile("
            + rank
            + ", sum(increase(istio_request_duration_milliseconds_bucket{destination_service_name=\""
            + service
            + "\"}[300s])) by (le))";
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .build()
            .send(
                HttpRequest.newBuilder(
                        prometheus.url.resolve(
                            "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode result = new ObjectMapper().readTree(answer.body()).path("data").path("result");
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  @Test
  void istiosQueriesNeedANamespaceTheGatewaysDoNot() {
    PrometheusMetrics.Builder noNamespace = PrometheusMetrics.builder().url(prometheus.url);
    assertThatThrownBy(noNamespace::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("namespace is required");
    assertThat(noNamespace.queries(PrometheusMetrics.Queries.splitterGateway()).build())
        .isNotNull();
    assertThat(PrometheusMetrics.Queries.splitterGateway().bucketBoundMillis()).isEqualTo(1000);
    assertThat(PrometheusMetrics.Queries.istio().bucketBoundMillis()).isEqualTo(1);
    assertThatThrownBy(() -> new PrometheusMetrics.Queries("r", "o", "e", "l", "s", null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTargetWithNoSamplesShowsADashAndANote() {
    MetricsReport report = settled(metrics().build(), List.of("my-api", "brand-new-api"));

    assertThat(report.metrics()).containsOnlyKeys("my-api");
    assertThat(report.notes())
        .containsExactly("prometheus has no samples for brand-new-api in the last 300s");
  }

  @Test
  void aQueryPrometheusRefusesIsAnErrorNamingTheQuery() {
    PrometheusMetrics broken =
        metrics()
            .queries(
                new PrometheusMetrics.Queries(
                    "sum(rate(istio_requests_total[{window}]) by (destination_service_name)",
                    "up",
                    "up",
                    "up",
                    "destination_service_name"))
            .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> broken.report("traffic-splitter", List.of("my-api"), WINDOW))
        .hasMessageStartingWith("prometheus: query requests: sum(rate(")
        .hasMessageContaining("HTTP 400: bad_data");
  }

  @Test
  void prometheusUnreachableIsARetryableError() throws Exception {
    PrometheusMetrics nowhere =
        metrics().url(URI.create("http://127.0.0.1:" + PrometheusServer.freePort() + "/")).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> nowhere.report("traffic-splitter", List.of("my-api"), WINDOW))
        .isInstanceOfSatisfying(
            dev.splitter.core.BackendException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageStartingWith("prometheus: query requests: ");
  }

  @Test
  void aRolloutOnTheRealApiServerIsGatedByPrometheusStepByStep() {
    try (TestCluster cluster = RealCluster.start()) {
      Deployer deployer = stableOnly(cluster, "canary-splitter", "canary-api");

      RolloutResult failing = rollout(deployer, 20).run();

      assertThat(failing.outcome()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
      assertThat(failing.step()).isEqualTo(1);
      // increase() extrapolates both series alike: their ratio is the share of 503s served.
      assertThat(failing.observed()).isCloseTo(0.2, within(0.02));
      assertThat(deployer.describe("canary-splitter").spec().apis())
          .extracting(api -> api.name() + " " + api.weight())
          .containsExactly("stable-api 100");

      RolloutResult healthy = rollout(deployer, 0).run();

      assertThat(healthy.outcome()).isEqualTo(RolloutResult.Outcome.PROMOTED);
      assertThat(healthy.weights()).containsEntry("canary-api", 100).containsEntry("stable-api", 0);
    }
  }

  @Test
  void sequentialGatesReadIstiosHistogramThroughPrometheusAndRollBackASlowCanaryMidStep() {
    try (TestCluster cluster = RealCluster.start()) {
      Deployer deployer = stableOnly(cluster, "slow-splitter", "slow-api");
      Duration interval = Duration.ofSeconds(12);
      long started = System.nanoTime();

      RolloutResult result =
          Rollout.builder()
              .deployer(deployer)
              .splitter("slow-splitter")
              .candidate("slow-api")
              .steps(50, 100)
              .interval(interval)
              .checkEvery(Duration.ofSeconds(1))
              .gate(Gate.errorRateVsBaseline(0.05))
              .gate(Gate.latencyVsBaseline(0.5, 2))
              .minRequests(50)
              .sleeper(
                  duration -> {
                    // Each check: 200 answers each, stable-api's in Istio's (5, 10] ms bucket,
                    // slow-api's in (50, 100].
                    Thread.sleep(duration.toMillis() / 2);
                    exporter.served("stable-api", 200, 200, 10);
                    exporter.served("slow-api", 200, 200, 60);
                    Thread.sleep(duration.toMillis() - duration.toMillis() / 2);
                  })
              .build()
              .run();

      assertThat(result.outcome()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
      assertThat(result.step()).isEqualTo(1);
      assertThat(result.gate()).isEqualTo(Gate.latencyVsBaseline(0.5, 2));
      // Interpolated in the two buckets: 75 ms over 7.5 ms.
      assertThat(result.observed()).isCloseTo(10, within(1.0));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(interval);
      assertThat(deployer.describe("slow-splitter").spec().apis())
          .extracting(api -> api.name() + " " + api.weight())
          .containsExactly("stable-api 100");
    }
  }

  /** A splitter sending everything to stable-api, with {@code candidate} deployed beside it. */
  private static Deployer stableOnly(TestCluster cluster, String splitter, String candidate) {
    cluster.realtimeApi("stable-api", 1, 1);
    cluster.realtimeApi(candidate, 1, 1);
    Deployer deployer = istio(cluster).build();
    deployer.deploy(
        SplitterConfig.parse(
            "- name: "
                + splitter
                + "\n  kind: TrafficSplitter\n  networking: {api_gateway: none}\n"
                + "  apis:\n    - {name: stable-api, weight: 100}\n",
            "cortex.yaml"));
    return deployer;
  }

  /**
   * A rollout of canary-api in two steps of four seconds. Half-way through each, the exporter's
   * counters move (Prometheus scrapes every second): the step's window holds samples from before
   * and after, as increase() needs.
   */
  private static Rollout rollout(Deployer deployer, int canaryErrorsPerHundred) {
    return Rollout.builder()
        .deployer(deployer)
        .splitter("canary-splitter")
        .candidate("canary-api")
        .steps(50, 100)
        .interval(Duration.ofSeconds(4))
        .gate(Gate.maxErrorRate(0.05))
        .gate(Gate.maxLatencyRatio(1.5))
        .minRequests(50)
        .maxInconclusive(2)
        .sleeper(
            duration -> {
              Thread.sleep(duration.toMillis() / 2);
              exporter.served("stable-api", 200, 500, 10);
              exporter.served("canary-api", 200, 500 - 5L * canaryErrorsPerHundred, 11);
              exporter.served("canary-api", 503, 5L * canaryErrorsPerHundred, 11);
              Thread.sleep(duration.toMillis() - duration.toMillis() / 2);
            })
        .build();
  }

  private static TargetMetrics metricsOf(SplitterStatus status, String api) {
    return status.targets().stream()
        .filter(target -> target.api().name().equals(api))
        .map(TargetStatus::metrics)
        .findFirst()
        .orElseThrow();
  }
}

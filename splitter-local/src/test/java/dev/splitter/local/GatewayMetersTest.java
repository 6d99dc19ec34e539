package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.Deployer;
import dev.splitter.core.SplitterStatus;
import dev.splitter.core.TargetStatus;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's meters in an application's registry, over real traffic on loopback. */
class GatewayMetersTest {
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void requestsByStatusClassAgreeExactlyWithGetAndTheHistogramCountsEveryAnswer() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LocalCluster cluster = gateway(registry);
    AtomicInteger calls = new AtomicInteger();
    TestApi flaky =
        api(
            TestApi.start(
                "flaky",
                (exchange, self, body) ->
                    TestApi.respond(exchange, calls.incrementAndGet() % 4 == 0 ? 500 : 200, "{}")));
    TestApi steady = api(TestApi.named("steady"));
    cluster.registerApi("flaky", flaky.uri());
    cluster.registerApi("steady", steady.uri());
    cluster
        .deployer()
        .deploy(
            SplitterConfig.of(
                TrafficSplitter.builder()
                    .name("ts")
                    .target("flaky", 50)
                    .target("steady", 50)
                    .build()));
    URI endpoint = cluster.endpointUrl("ts");

    Http.postMany(endpoint, 400, 8);
    Http.send(
        HttpRequest.newBuilder(endpoint)
            .header("x-splitter-api", "steady")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build());
    Http.send(
        HttpRequest.newBuilder(endpoint)
            .header("x-splitter-key", "user-1")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build());

    SplitterStatus status = cluster.deployer().get("ts");
    for (TargetStatus target : status.targets()) {
      String api = target.api().name();
      assertThat(requests(registry, api, "2xx")).isEqualTo(target.metrics().responses2xx());
      assertThat(requests(registry, api, "5xx")).isEqualTo(target.metrics().responses5xx());
      Timer latency = registry.get("splitter.request.duration").tags("api", api).timer();
      assertThat(latency.count()).isEqualTo(target.metrics().requests());
      assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }
    assertThat(requests(registry, "flaky", "5xx")).isPositive();
    assertThat(registry.get("splitter.pinned.requests").tags("api", "steady").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("splitter.keyed.requests").tags("splitter", "ts").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("splitter.response.body").tags("api", "steady").counter().count())
        .isPositive();
    assertThat(registry.get("splitter.request.body").tags("api", "steady").counter().count())
        .isPositive();
    assertThat(registry.get("splitter.client.connections").gauge().value()).isNotNegative();
    assertThat(registry.get("splitter.api.ejected").tags("api", "steady").gauge().value()).isZero();

    cluster.deployer().delete("ts");
    assertThat(registry.find("splitter.requests").tags("splitter", "ts").meters()).isEmpty();
    cluster.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void theGatewaysOwnErrorsAreCountedByReasonAndEjectionsByApi() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LocalCluster cluster = gateway(registry);
    TestApi gone = TestApi.named("gone");
    cluster.registerApi("gone", gone.uri());
    cluster
        .deployer()
        .deploy(
            SplitterConfig.of(TrafficSplitter.builder().name("ts").target("gone", 100).build()));
    gone.close();

    for (int i = 0; i < 6; i++) {
      Http.post(cluster.endpointUrl("ts"), "{}");
    }

    assertThat(errors(registry, "gone", "refused")).isEqualTo(6);
    assertThat(requests(registry, "gone", "5xx")).isEqualTo(6);
    assertThat(registry.get("splitter.api.ejections").tags("api", "gone").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("splitter.api.ejected").tags("api", "gone").gauge().value())
        .isEqualTo(1);
  }

  @Test
  void aPrometheusRegistryShowsTheHistogramInBaseUnitsWithPrometheusNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LocalCluster cluster = gateway(registry);
    TestApi api = api(TestApi.named("a"));
    URI endpoint = api.servedAloneBy(cluster);

    Http.postMany(endpoint, 25, 5);
    String scraped = registry.scrape();

    assertThat(scraped)
        .contains("# TYPE splitter_requests_total counter")
        .contains("splitter_requests_total{api=\"a\",splitter=\"ts\",status_class=\"2xx\"} 25.0")
        .contains("# TYPE splitter_request_duration_seconds histogram")
        .contains(
            "splitter_request_duration_seconds_bucket{api=\"a\",splitter=\"ts\",le=\"+Inf\"} 25")
        .contains("splitter_request_duration_seconds_count{api=\"a\",splitter=\"ts\"} 25")
        .contains("splitter_request_body_bytes_total{api=\"a\",splitter=\"ts\"}")
        .contains("splitter_gateway_errors_total{api=\"a\",reason=\"timeout\",splitter=\"ts\"} 0.0")
        .contains("splitter_client_connections ")
        .contains("splitter_api_ejected{api=\"a\"} 0.0");
  }

  @Test
  void eachTargetsWeightIsAGaugeAsWrittenAndLeavesWithItsTargetOrSplitter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LocalCluster cluster = gateway(registry);
    for (String name : List.of("a", "b", "c")) {
      cluster.registerApi(name, api(TestApi.named(name)).uri());
    }
    Deployer deployer = cluster.deployer();
    deployer.deploy(
        SplitterConfig.of(
            TrafficSplitter.builder().name("ts").target("a", 20).target("b", 80).build()));
    assertThat(weight(registry, "a")).isEqualTo(20);
    assertThat(weight(registry, "b")).isEqualTo(80);

    deployer.deploy(
        SplitterConfig.of(
            TrafficSplitter.builder().name("ts").target("a", 60).target("c", 40).build()));
    assertThat(weight(registry, "a")).isEqualTo(60);
    assertThat(weight(registry, "c")).isEqualTo(40);
    assertThat(registry.find("splitter.weight").tags("api", "b").gauge()).isNull();

    deployer.delete("ts");
    assertThat(registry.find("splitter.weight").gauges()).isEmpty();
  }

  @Test
  void withoutARegistryNothingIsRecordedBeyondGetsOwnCounts() {
    LocalCluster cluster = LocalCluster.builder().start();
    closing.add(cluster);
    URI endpoint = api(TestApi.named("a")).servedAloneBy(cluster);

    Http.postMany(endpoint, 10, 5);

    assertThat(cluster.deployer().get("ts").targets().get(0).metrics().responses2xx())
        .isEqualTo(10);
  }

  private LocalCluster gateway(MeterRegistry registry) {
    LocalCluster cluster =
        LocalCluster.builder()
            .meterRegistry(registry)
            .connectTimeout(Duration.ofSeconds(1))
            .ejectionTime(Duration.ofMinutes(5))
            .start();
    closing.add(cluster);
    return cluster;
  }

  private TestApi api(TestApi api) {
    closing.add(api);
    return api;
  }

  private static long requests(MeterRegistry registry, String api, String statusClass) {
    return (long)
        registry
            .get("splitter.requests")
            .tags("api", api, "status_class", statusClass)
            .counter()
            .count();
  }

  private static double weight(MeterRegistry registry, String api) {
    return registry.get("splitter.weight").tags("splitter", "ts", "api", api).gauge().value();
  }

  private static long errors(MeterRegistry registry, String api, String reason) {
    return (long)
        registry
            .get("splitter.gateway.errors")
            .tags("api", api, "reason", reason)
            .counter()
            .count();
  }
}

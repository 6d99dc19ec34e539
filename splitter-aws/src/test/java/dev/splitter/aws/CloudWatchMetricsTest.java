package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.BackendException;
import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * CloudWatchMetrics against a CloudWatchClient of our own fed with fixtures: the SDK's CloudWatch
 * client speaks Smithy RPC v2 CBOR, which moto does not serve, and moto's GetMetricData mishandles
 * namespaces and percentiles, so it could not check these queries anyway.
 */
class CloudWatchMetricsTest {
  private static final String LOAD_BALANCER =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/models/50dc6c495c0c9188";
  private static final String MY_API =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-my-api/73e2d6bc24d8a067";
  private static final String ANOTHER =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-another/2453ed029918f21f";
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  /** Answers GetMetricData from fixtures by query id, page by page, and keeps the requests. */
  static class FixtureCloudWatch implements CloudWatchClient {
    final List<GetMetricDataRequest> requests = new ArrayList<>();
    final List<Map<String, List<Double>>> pages;

    FixtureCloudWatch(List<Map<String, List<Double>>> pages) {
      this.pages = pages;
    }

    @Override
    public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
      requests.add(request);
      int page = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
      List<MetricDataResult> results = new ArrayList<>();
      pages
          .get(page)
          .forEach(
              (id, values) ->
                  results.add(MetricDataResult.builder().id(id).values(values).build()));
      return GetMetricDataResponse.builder()
          .metricDataResults(results)
          .nextToken(page + 1 < pages.size() ? String.valueOf(page + 1) : null)
          .build();
    }

    @Override
    public String serviceName() {
      return "monitoring";
    }

    @Override
    public void close() {}
  }

  private static CloudWatchMetrics metrics(CloudWatchClient client) {
    return CloudWatchMetrics.builder()
        .client(client)
        .loadBalancerArn(LOAD_BALANCER)
        .targetGroups(TargetGroupResolver.of(Map.of("my-api", MY_API, "another-my-api", ANOTHER)))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  @Test
  void oneCallAsksForTenStatisticsPerTargetGroupOverTheWindow() {
    FixtureCloudWatch cloudWatch = new FixtureCloudWatch(List.of(Map.of()));

    metrics(cloudWatch)
        .metrics("traffic-splitter", List.of("my-api", "another-my-api"), Duration.ofMinutes(90));

    assertThat(cloudWatch.requests).hasSize(1);
    GetMetricDataRequest request = cloudWatch.requests.get(0);
    assertThat(request.startTime()).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
    assertThat(request.endTime()).isEqualTo(NOW);
    assertThat(request.metricDataQueries()).hasSize(20);
    MetricDataQuery first = request.metricDataQueries().get(0);
    assertThat(first.metricStat().metric().namespace()).isEqualTo("AWS/ApplicationELB");
    assertThat(first.metricStat().period()).isEqualTo(5400);
    assertThat(request.metricDataQueries().subList(0, 10))
        .extracting(
            query -> query.metricStat().metric().metricName(), query -> query.metricStat().stat())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("RequestCount", "Sum"),
            org.assertj.core.groups.Tuple.tuple("HTTPCode_Target_2XX_Count", "Sum"),
            org.assertj.core.groups.Tuple.tuple("HTTPCode_Target_5XX_Count", "Sum"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "Average"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "p50"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "p75"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "p90"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "p95"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "p99"),
            org.assertj.core.groups.Tuple.tuple("TargetResponseTime", "p99.9"));
    assertThat(request.metricDataQueries().subList(10, 20))
        .extracting(query -> query.metricStat().metric().metricName())
        .containsOnly(
            "RequestCount",
            "HTTPCode_Target_2XX_Count",
            "HTTPCode_Target_5XX_Count",
            "TargetResponseTime");
    assertThat(first.metricStat().metric().dimensions())
        .extracting(Dimension::name, Dimension::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "TargetGroup", "targetgroup/tg-my-api/73e2d6bc24d8a067"),
            org.assertj.core.groups.Tuple.tuple("LoadBalancer", "app/models/50dc6c495c0c9188"));
  }

  @Test
  void resultsAreSummedAcrossDatapointsAndPages() {
    FixtureCloudWatch cloudWatch =
        new FixtureCloudWatch(
            List.of(
                Map.of(
                    "requests0", List.of(600.0, 400.0),
                    "ok0", List.of(990.0),
                    "errors0", List.of(3.0),
                    "latency0", List.of(0.120)),
                Map.of("requests1", List.of(4000.0), "ok1", List.of(4000.0))));

    Map<String, TargetMetrics> metrics =
        metrics(cloudWatch)
            .metrics("traffic-splitter", List.of("my-api", "another-my-api"), Duration.ofHours(1));

    assertThat(cloudWatch.requests).hasSize(2);
    assertThat(metrics.get("my-api"))
        .isEqualTo(new TargetMetrics(1000, 990, 3, Duration.ofMillis(120)));
    assertThat(metrics.get("another-my-api")).isEqualTo(new TargetMetrics(4000, 4000, 0, null));
  }

  @Test
  void percentilesAreKeptAsCloudWatchComputedThemAndBoundTheRanksBetween() {
    FixtureCloudWatch cloudWatch =
        new FixtureCloudWatch(
            List.of(
                Map.of(
                    "requests0", List.of(1000.0),
                    "p0_0", List.of(0.080),
                    "p2_0", List.of(0.150),
                    "p3_0", List.of(0.200),
                    "p4_0", List.of(0.300, 0.500))));

    LatencyDistribution latency =
        metrics(cloudWatch)
            .metrics("traffic-splitter", List.of("my-api"), Duration.ofHours(1))
            .get("my-api")
            .latency();

    assertThat(latency.isHistogram()).isFalse();
    assertThat(latency.count()).isEqualTo(1000);
    assertThat(latency.quantile(0.5)).contains(Duration.ofMillis(80));
    assertThat(latency.quantile(0.95)).contains(Duration.ofMillis(200));
    // Two datapoints (the window over two periods): their mean.
    assertThat(latency.quantile(0.99)).contains(Duration.ofMillis(400));
    // p75 and p99.9 had no datapoint: not reported; p80 lies between p50 and p90.
    assertThat(latency.quantile(0.75)).isEmpty();
    assertThat(latency.floor(0.8)).contains(Duration.ofMillis(80));
    assertThat(latency.ceiling(0.8)).contains(Duration.ofMillis(150));
    assertThat(latency.ceiling(0.995)).isEmpty();
  }

  @Test
  void anApiWithoutATargetGroupHasNoFiguresAndCostsNoCall() {
    FixtureCloudWatch cloudWatch = new FixtureCloudWatch(List.of(Map.of()));

    assertThat(metrics(cloudWatch).metrics("ts", List.of("gone"), Duration.ofHours(1))).isEmpty();
    assertThat(cloudWatch.requests).isEmpty();
  }

  @Test
  void aCloudWatchErrorNamesTheRequest() {
    CloudWatchClient failing =
        new FixtureCloudWatch(List.of()) {
          @Override
          public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
            throw (CloudWatchException)
                CloudWatchException.builder()
                    .message("Rate exceeded")
                    .statusCode(400)
                    .requestId("req-42")
                    .build();
          }
        };

    assertThatThrownBy(() -> metrics(failing).metrics("ts", List.of("my-api"), Duration.ofHours(1)))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> {
              assertThat(e.operation()).isEqualTo("GetMetricData");
              assertThat(e.requestId()).hasValue("req-42");
            });
  }
}

package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.AwsCalls;
import dev.splitter.core.Display;
import dev.splitter.model.internal.Required;
import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import dev.splitter.support.BackendCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Per-target traffic from the load balancer's CloudWatch metrics ({@code AWS/ApplicationELB}):
 * RequestCount, HTTPCode_Target_2XX_Count and HTTPCode_Target_5XX_Count summed, and
 * TargetResponseTime averaged and as its percentiles p50, p75, p90, p95, p99 and p99.9 (extended
 * statistics), for each target group (dimensions TargetGroup and LoadBalancer), in one
 * GetMetricData call per {@code get} (more only if CloudWatch pages the answer). CloudWatch knows
 * only those percentiles: a latency gate or {@code compare} bounds any other rank by the nearest
 * two, so its intervals are wider than from a histogram.
 *
 * <p>The figures are the target group's, whichever rule sent the requests: a target group shared
 * with other rules counts their traffic too. Thread-safe.
 *
 * <pre>{@code
 * MetricsSource metrics = CloudWatchMetrics.builder()
 *     .client(cloudWatchClient)                                // yours; you close it
 *     .loadBalancerArn(loadBalancerArn)                        // the ALB the listener belongs to
 *     .targetGroups(TargetGroupResolver.byTag(elbv2Client))    // as AlbRouting resolves them
 *     .build();
 * Deployer deployer = Deployer.builder()
 *     .routing(alb)
 *     .metrics(metrics)
 *     .metricsWindow(Duration.ofMinutes(15))                   // get's 2XX / 5XX / avg request
 *     .build();
 * }</pre>
 */
@API(status = API.Status.STABLE)
public final class CloudWatchMetrics implements MetricsSource {
  private static final String NAMESPACE = "AWS/ApplicationELB";
  private static final int MINUTE = 60;

  /** The TargetResponseTime percentiles asked for, by rank: what compare and gates read. */
  private static final double[] RANKS = {0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

  private final CloudWatchClient client;
  private final String loadBalancer;
  private final TargetGroupResolver targetGroups;
  private final Clock clock;
  private final BackendCalls aws = AwsCalls.of("cloudwatch");

  private CloudWatchMetrics(Builder builder) {
    this.client = Required.value(builder.client, "client");
    this.loadBalancer = dimension(Required.value(builder.loadBalancerArn, "loadBalancerArn"));
    this.targetGroups = Required.value(builder.targetGroups, "targetGroups");
    this.clock = builder.clock;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Map<String, TargetMetrics> metrics(
      String splitterName, List<String> apiNames, Duration window) {
    Map<String, String> arns = targetGroups.resolve(apiNames);
    if (arns.isEmpty()) {
      return Map.of();
    }
    List<Map.Entry<String, String>> groups = List.copyOf(arns.entrySet());
    List<MetricDataQuery> queries = new ArrayList<>();
    int period = periodFor(window);
    for (int i = 0; i < groups.size(); i++) {
      String targetGroup = dimension(groups.get(i).getValue());
      queries.add(query("requests" + i, "RequestCount", "Sum", targetGroup, period));
      queries.add(query("ok" + i, "HTTPCode_Target_2XX_Count", "Sum", targetGroup, period));
      queries.add(query("errors" + i, "HTTPCode_Target_5XX_Count", "Sum", targetGroup, period));
      queries.add(query("latency" + i, "TargetResponseTime", "Average", targetGroup, period));
      for (int rank = 0; rank < RANKS.length; rank++) {
        queries.add(
            query(
                "p" + rank + "_" + i,
                "TargetResponseTime",
                stat(RANKS[rank]),
                targetGroup,
                period));
      }
    }
    Map<String, List<Double>> values = fetch(queries, window, splitterName);
    Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      long requests = sum(values, "requests" + i);
      List<Double> latencies = values.getOrDefault("latency" + i, List.of());
      Duration latency =
          latencies.isEmpty()
              ? null
              : Duration.ofNanos(
                  Math.round(
                      latencies.stream().mapToDouble(Double::doubleValue).average().orElse(0)
                          * 1e9));
      metrics.put(
          groups.get(i).getKey(),
          new TargetMetrics(
              requests,
              sum(values, "ok" + i),
              sum(values, "errors" + i),
              latency,
              0,
              percentiles(values, i, requests)));
    }
    return metrics;
  }

  /**
   * The target group's percentiles. With the window in one period there is one datapoint each; a
   * window CloudWatch splits over two periods gives two, whose mean is taken (the union's
   * percentile lies between them).
   */
  private static LatencyDistribution percentiles(
      Map<String, List<Double>> values, int group, long requests) {
    Map<Double, Duration> byRank = new java.util.TreeMap<>();
    Duration previous = Duration.ZERO;
    for (int rank = 0; rank < RANKS.length; rank++) {
      List<Double> seconds = values.getOrDefault("p" + rank + "_" + group, List.of());
      if (seconds.isEmpty()) {
        continue;
      }
      double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      Duration value = Duration.ofNanos(Math.round(mean * 1e9));
      // Means of two periods could fall out of order; a percentile never falls as its rank rises.
      value = value.compareTo(previous) < 0 ? previous : value;
      byRank.put(RANKS[rank], value);
      previous = value;
    }
    return LatencyDistribution.percentiles(requests, byRank);
  }

  /** CloudWatch's name of a percentile statistic: {@code p95}, {@code p99.9}. */
  private static String stat(double rank) {
    return "p" + Display.percentOf(rank);
  }

  private Map<String, List<Double>> fetch(
      List<MetricDataQuery> queries, Duration window, String splitterName) {
    Instant end = clock.instant();
    Instant start = end.minus(window);
    Map<String, List<Double>> values = new HashMap<>();
    List<MetricDataResult> results =
        AwsCalls.allPages(
            aws,
            "GetMetricData",
            "metrics of " + splitterName,
            token ->
                client.getMetricData(
                    request ->
                        request
                            .metricDataQueries(queries)
                            .startTime(start)
                            .endTime(end)
                            .nextToken(token)),
            GetMetricDataResponse::metricDataResults,
            GetMetricDataResponse::nextToken);
    for (MetricDataResult result : results) {
      values.computeIfAbsent(result.id(), id -> new ArrayList<>()).addAll(result.values());
    }
    return values;
  }

  private MetricDataQuery query(
      String id, String metric, String statistic, String targetGroup, int period) {
    return MetricDataQuery.builder()
        .id(id)
        .returnData(true)
        .metricStat(
            stat ->
                stat.stat(statistic)
                    .period(period)
                    .metric(
                        m ->
                            m.namespace(NAMESPACE)
                                .metricName(metric)
                                .dimensions(
                                    d -> d.name("TargetGroup").value(targetGroup),
                                    d -> d.name("LoadBalancer").value(loadBalancer))))
        .build();
  }

  /** The whole window in one period, in whole minutes as CloudWatch requires. */
  private static int periodFor(Duration window) {
    long minutes = Math.max(1, (window.toSeconds() + MINUTE - 1) / MINUTE);
    return (int) Math.min(Integer.MAX_VALUE / MINUTE, minutes) * MINUTE;
  }

  private static long sum(Map<String, List<Double>> values, String id) {
    return Math.round(
        values.getOrDefault(id, List.of()).stream().mapToDouble(Double::doubleValue).sum());
  }

  /**
   * The dimension value CloudWatch uses for a load balancer or target group: the ARN's resource
   * part, {@code app/name/id} or {@code targetgroup/name/id}.
   */
  static String dimension(String arn) {
    int loadBalancer = arn.indexOf(":loadbalancer/");
    if (loadBalancer >= 0) {
      return arn.substring(loadBalancer + ":loadbalancer/".length());
    }
    int targetGroup = arn.indexOf(":targetgroup/");
    if (targetGroup >= 0) {
      return arn.substring(targetGroup + 1);
    }
    throw new IllegalArgumentException("not a load balancer or target group ARN: " + arn);
  }

  /** Builds a {@link CloudWatchMetrics}. Not thread-safe. */
  public static final class Builder {
    private @Nullable CloudWatchClient client;
    private @Nullable String loadBalancerArn;
    private @Nullable TargetGroupResolver targetGroups;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The client to call CloudWatch with. Required. */
    public Builder client(CloudWatchClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The load balancer whose listener routes the splitters. Required. */
    public Builder loadBalancerArn(String loadBalancerArn) {
      this.loadBalancerArn = requireNonNull(loadBalancerArn, "loadBalancerArn");
      return this;
    }

    /** How each API's target group is found, as for {@link AlbRouting}. Required. */
    public Builder targetGroups(TargetGroupResolver targetGroups) {
      this.targetGroups = requireNonNull(targetGroups, "targetGroups");
      return this;
    }

    /** The clock that ends the window. Default: the system clock, UTC. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the source; nothing is called yet.
     *
     * @throws NullPointerException if the client, load balancer or resolver is missing
     */
    public CloudWatchMetrics build() {
      return new CloudWatchMetrics(this);
    }
  }
}

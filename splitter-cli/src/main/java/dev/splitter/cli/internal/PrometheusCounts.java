package dev.splitter.cli.internal;

import dev.splitter.k8s.PrometheusMetrics;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.TargetMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serve --prometheus URL}: the figures {@code get}, {@code compare} and rollout gates read
 * come from a Prometheus that scrapes serve's {@code /metrics} ({@link
 * PrometheusMetrics.Queries#splitterGateway()}), as they would from Istio's metrics on Kubernetes;
 * the shadow's comparisons, which no counter carries, still come from the gateway itself.
 */
final class PrometheusCounts implements MetricsSource {
  private final MetricsSource prometheus;
  private final MetricsSource gateway;

  PrometheusCounts(URI prometheus, MetricsSource gateway) {
    this.prometheus =
        PrometheusMetrics.builder()
            .url(prometheus)
            .queries(PrometheusMetrics.Queries.splitterGateway())
            .build();
    this.gateway = gateway;
  }

  @Override
  public Map<String, TargetMetrics> metrics(
      String splitterName, List<String> apiNames, Duration window) {
    return prometheus.metrics(splitterName, apiNames, window);
  }

  @Override
  public MetricsReport report(String splitterName, List<String> apiNames, Duration window) {
    return prometheus.report(splitterName, apiNames, window);
  }

  @Override
  public boolean comparesShadows() {
    return gateway.comparesShadows();
  }

  @Override
  public Optional<ShadowReport> shadowReport(String splitterName, String shadowApi) {
    return gateway.shadowReport(splitterName, shadowApi);
  }

  @Override
  public List<ShadowDifference> shadowDifferences(String splitterName, int limit) {
    return gateway.shadowDifferences(splitterName, limit);
  }
}

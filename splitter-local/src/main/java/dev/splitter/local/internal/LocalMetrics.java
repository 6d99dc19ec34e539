package dev.splitter.local.internal;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Per-target counters of every local splitter, kept across updates and dropped on delete. A window
 * of up to an hour counts that window only, to the second of the cluster's clock; a longer one
 * counts since the splitter was deployed. Each write of a route marks the counts, so that the
 * traffic since then is counted exactly ({@link #metricsSince}).
 */
@API(status = API.Status.INTERNAL)
public final class LocalMetrics implements MetricsSource {
  private final Map<String, Map<String, TargetCounters>> bySplitter = new ConcurrentHashMap<>();
  // Each splitter's totals per target when its route was last written, for metricsSince.
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  private final Outliers outliers;
  private final ShadowComparisons shadows;
  private final GatewayMeters meters;

  private final Clock clock;

  public LocalMetrics(
      Outliers outliers, ShadowComparisons shadows, GatewayMeters meters, Clock clock) {
    this.outliers = outliers;
    this.shadows = shadows;
    this.meters = meters;
    this.clock = clock;
  }

  /** The counters of one target of one splitter, created on first use. */
  public TargetCounters counters(String splitter, String api) {
    return bySplitter
        .computeIfAbsent(splitter, name -> new ConcurrentHashMap<>())
        .computeIfAbsent(api, name -> new TargetCounters(clock, meters.target(splitter, name)));
  }

  /** A request of the splitter carried a user's key (counted for the registry only). */
  public void keyed(String splitter) {
    if (meters.enabled()) {
      meters.keyed(splitter);
    }
  }

  /** Drops a deleted splitter's counters. */
  public void forget(String splitter) {
    bySplitter.remove(splitter);
    written.remove(splitter);
    shadows.forget(splitter);
    meters.forget(splitter);
  }

  /**
   * The splitter's route was written at {@code at}: marks every target's counts as they stand, and
   * shows its weights in the application's registry, if any.
   */
  public void markWritten(TrafficSplitter route, Instant at) {
    String splitter = route.name();
    meters.weights(splitter, route.apis());
    Map<String, long[]> marks = new HashMap<>();
    bySplitter
        .getOrDefault(splitter, Map.of())
        .forEach((api, counters) -> marks.put(api, counters.totals()));
    written.put(splitter, new Written(at, marks));
    shadows.restart(splitter, at);
  }

  /** The gateway sees both answers: it compares them unless a splitter's comparison is off. */
  @Override
  public boolean comparesShadows() {
    return true;
  }

  @Override
  public Optional<ShadowReport> shadowReport(String splitterName, String shadowApi) {
    return shadows.report(splitterName, shadowApi);
  }

  @Override
  public List<ShadowDifference> shadowDifferences(String splitterName, int limit) {
    return shadows.differences(splitterName, limit);
  }

  /**
   * Exact: the counts since the mark taken when the route was written at {@code written} (a target
   * first counted after it, from zero); the window, as {@link #metrics}, if no such mark is kept.
   */
  @Override
  public Map<String, TargetMetrics> metricsSince(
      String splitterName, List<String> apiNames, Instant written, Duration window) {
    Written mark = this.written.get(splitterName);
    if (mark == null || !mark.at().equals(written)) {
      return metrics(splitterName, apiNames, window);
    }
    Map<String, TargetCounters> counters = bySplitter.getOrDefault(splitterName, Map.of());
    Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
    for (String api : apiNames) {
      TargetCounters target = counters.get(api);
      if (target != null) {
        long[] before = mark.totals().get(api);
        metrics.put(api, before == null ? target.snapshot() : target.since(before));
      }
    }
    return metrics;
  }

  /** The counts, with a note for each target out of rotation. */
  @Override
  public MetricsReport report(String splitterName, List<String> apiNames, Duration window) {
    List<String> notes = new ArrayList<>();
    for (String api : apiNames) {
      outliers
          .reason(api)
          .ifPresent(
              reason ->
                  notes.add(
                      api
                          + " is out of rotation ("
                          + reason
                          + "): its share goes to the other targets in proportion, until its"
                          + " health check passes again"));
    }
    return new MetricsReport(metrics(splitterName, apiNames, window), notes);
  }

  /** When a splitter's route was written, and its targets' totals then. */
  private record Written(Instant at, Map<String, long[]> totals) {}

  @Override
  public Map<String, TargetMetrics> metrics(
      String splitterName, List<String> apiNames, Duration window) {
    Map<String, TargetCounters> counters = bySplitter.getOrDefault(splitterName, Map.of());
    Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
    for (String api : apiNames) {
      TargetCounters target = counters.get(api);
      if (target != null) {
        metrics.put(api, target.snapshot(window));
      }
    }
    return metrics;
  }
}

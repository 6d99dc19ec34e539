package dev.splitter.local.internal;

import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Per-target counters of every local splitter, kept across updates and dropped on delete. A window
 * of up to an hour counts that window only, to the second of the cluster's clock; a longer one
 * counts since the splitter was deployed.
 */
@API(status = API.Status.INTERNAL)
public final class LocalMetrics implements MetricsSource {
  private final Map<String, Map<String, TargetCounters>> bySplitter = new ConcurrentHashMap<>();
  private final Outliers outliers;

  private final Clock clock;

  public LocalMetrics(Outliers outliers, Clock clock) {
    this.outliers = outliers;
    this.clock = clock;
  }

  /** The counters of one target of one splitter, created on first use. */
  public TargetCounters counters(String splitter, String api) {
    return bySplitter
        .computeIfAbsent(splitter, name -> new ConcurrentHashMap<>())
        .computeIfAbsent(api, name -> new TargetCounters(clock));
  }

  /** Drops a deleted splitter's counters. */
  public void forget(String splitter) {
    bySplitter.remove(splitter);
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

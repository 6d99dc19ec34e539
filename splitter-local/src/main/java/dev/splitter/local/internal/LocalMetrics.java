package dev.splitter.local.internal;

import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-target counters of every local splitter. They count since the splitter was deployed (kept
 * across updates, dropped on delete): the window a caller asks for is not applied.
 */
public final class LocalMetrics implements MetricsSource {
  private final Map<String, Map<String, TargetCounters>> bySplitter = new ConcurrentHashMap<>();

  /** The counters of one target of one splitter, created on first use. */
  public TargetCounters counters(String splitter, String api) {
    return bySplitter
        .computeIfAbsent(splitter, name -> new ConcurrentHashMap<>())
        .computeIfAbsent(api, name -> new TargetCounters());
  }

  /** Drops a deleted splitter's counters. */
  public void forget(String splitter) {
    bySplitter.remove(splitter);
  }

  @Override
  public Map<String, TargetMetrics> metrics(
      String splitterName, List<String> apiNames, Duration window) {
    Map<String, TargetCounters> counters = bySplitter.getOrDefault(splitterName, Map.of());
    Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
    for (String api : apiNames) {
      TargetCounters target = counters.get(api);
      if (target != null) {
        metrics.put(api, target.snapshot());
      }
    }
    return metrics;
  }
}

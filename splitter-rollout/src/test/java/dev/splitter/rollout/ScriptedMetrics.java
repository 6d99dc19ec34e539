package dev.splitter.rollout;

import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metrics source the test feeds, for backends where no real one runs here: each batch of answers
 * is stamped with the clock's time, and a window counts the batches inside it, as a real windowed
 * source would.
 */
public final class ScriptedMetrics implements MetricsSource {
  private final Clock clock;
  private final List<Batch> batches = new ArrayList<>();

  public ScriptedMetrics(Clock clock) {
    this.clock = clock;
  }

  /**
   * {@code requests} answers from {@code api} now, {@code errors} of them 5XX, each taking {@code
   * latency}.
   */
  public synchronized void served(String api, long requests, long errors, Duration latency) {
    batches.add(new Batch(clock.instant(), api, requests, errors, latency));
  }

  @Override
  public synchronized Map<String, TargetMetrics> metrics(
      String splitterName, List<String> apiNames, Duration window) {
    Instant now = clock.instant();
    Instant from = now.minus(window);
    Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
    for (String api : apiNames) {
      long requests = 0;
      long errors = 0;
      long nanos = 0;
      for (Batch batch : batches) {
        if (batch.api.equals(api) && !batch.at.isBefore(from) && !batch.at.isAfter(now)) {
          requests += batch.requests;
          errors += batch.errors;
          nanos += batch.latency.toNanos() * batch.requests;
        }
      }
      if (requests > 0) {
        metrics.put(
            api,
            new TargetMetrics(
                requests, requests - errors, errors, Duration.ofNanos(nanos / requests)));
      }
    }
    return metrics;
  }

  private record Batch(Instant at, String api, long requests, long errors, Duration latency) {}
}

package dev.splitter.local.internal;

import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** What one target of one splitter served, counted without locks on the request path. */
public final class TargetCounters {
  private final LongAdder requests = new LongAdder();
  private final LongAdder responses2xx = new LongAdder();
  private final LongAdder responses5xx = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();

  /** A request was routed to the target. */
  public void requested() {
    requests.increment();
  }

  /** The target (or the gateway on its behalf) answered {@code status} after {@code nanos}. */
  public void answered(int status, long nanos) {
    if (status >= 200 && status < 300) {
      responses2xx.increment();
    } else if (status >= 500) {
      responses5xx.increment();
    }
    completed.increment();
    latencyNanos.add(nanos);
  }

  /** The counts so far. */
  public TargetMetrics snapshot() {
    long done = completed.sum();
    Duration average = done == 0 ? null : Duration.ofNanos(latencyNanos.sum() / done);
    return new TargetMetrics(requests.sum(), responses2xx.sum(), responses5xx.sum(), average);
  }
}

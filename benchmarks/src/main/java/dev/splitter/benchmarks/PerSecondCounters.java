package dev.splitter.benchmarks;

import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The local gateway's counters before issue 26, kept as the peer of {@link CountersMemory}: 3,600
 * one-second slots of five {@code LongAdder}s per target.
 */
final class PerSecondCounters {
  /** Seconds kept one by one; a longer window is answered from the totals. */
  static final int SECONDS_KEPT = 3600;

  private final Clock clock;
  private final Counts total = new Counts(Long.MIN_VALUE);
  private final AtomicReferenceArray<Counts> seconds = new AtomicReferenceArray<>(SECONDS_KEPT);

  PerSecondCounters(Clock clock) {
    this.clock = clock;
  }

  /** A request was routed to the target. */
  public void requested() {
    total.requests.increment();
    second().requests.increment();
  }

  /** The target (or the gateway on its behalf) answered {@code status} after {@code nanos}. */
  public void answered(int status, long nanos) {
    total.answered(status, nanos);
    second().answered(status, nanos);
  }

  /** The counts since the splitter was deployed. */
  public TargetMetrics snapshot() {
    return total.metrics();
  }

  /**
   * The counts of the last {@code window}, to the second (the current second included); since the
   * splitter was deployed if the window is longer than an hour.
   */
  public TargetMetrics snapshot(Duration window) {
    long span = Math.max(1, window.toSeconds());
    if (span > SECONDS_KEPT) {
      return snapshot();
    }
    long now = Math.floorDiv(clock.millis(), 1000);
    Counts sum = new Counts(now);
    for (long second = now - span + 1; second <= now; second++) {
      Counts counts = seconds.get(slot(second));
      if (counts != null && counts.second == second) {
        sum.add(counts);
      }
    }
    return sum.metrics();
  }

  /** This second's counts; the slot's previous occupant, an hour old or more, is dropped. */
  private Counts second() {
    long now = Math.floorDiv(clock.millis(), 1000);
    int slot = slot(now);
    while (true) {
      Counts counts = seconds.get(slot);
      if (counts != null && counts.second == now) {
        return counts;
      }
      if (counts != null && counts.second > now) {
        // The clock stepped back: count in the newer slot rather than lose the request.
        return counts;
      }
      Counts fresh = new Counts(now);
      if (seconds.compareAndSet(slot, counts, fresh)) {
        return fresh;
      }
    }
  }

  private static int slot(long second) {
    return (int) Math.floorMod(second, (long) SECONDS_KEPT);
  }

  /** The counts of one second, or of all time. */
  private static final class Counts {
    final long second;
    final LongAdder requests = new LongAdder();
    final LongAdder responses2xx = new LongAdder();
    final LongAdder responses5xx = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder latencyNanos = new LongAdder();

    Counts(long second) {
      this.second = second;
    }

    void answered(int status, long nanos) {
      if (status >= 200 && status < 300) {
        responses2xx.increment();
      } else if (status >= 500) {
        responses5xx.increment();
      }
      completed.increment();
      latencyNanos.add(nanos);
    }

    void add(Counts other) {
      requests.add(other.requests.sum());
      responses2xx.add(other.responses2xx.sum());
      responses5xx.add(other.responses5xx.sum());
      completed.add(other.completed.sum());
      latencyNanos.add(other.latencyNanos.sum());
    }

    TargetMetrics metrics() {
      long done = completed.sum();
      Duration average = done == 0 ? null : Duration.ofNanos(latencyNanos.sum() / done);
      return new TargetMetrics(requests.sum(), responses2xx.sum(), responses5xx.sum(), average);
    }
  }
}

package dev.splitter.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.local.HandClock;
import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetCountersTest {
  private static final double STEP = Math.pow(2, 0.25);

  private final HandClock clock = new HandClock();
  private final TargetCounters counters = new TargetCounters(clock);

  @Test
  void aWindowUpToAMinuteCountsItsOwnSecondsExactly() {
    served(1); // at 12:00:00
    advance(Duration.ofSeconds(1));
    served(10); // at 12:00:01
    advance(Duration.ofSeconds(59));
    served(100); // at 12:01:00

    assertThat(counters.snapshot(Duration.ofSeconds(1)).requests()).isEqualTo(100);
    assertThat(counters.snapshot(Duration.ofSeconds(59)).requests()).isEqualTo(100);
    assertThat(counters.snapshot(Duration.ofSeconds(60)).requests()).isEqualTo(110);
  }

  @Test
  void longerWindowsCountTheSlotsTheyOverlapAndOlderTrafficIsDropped() {
    served(1); // 12:00:00
    advance(Duration.ofMinutes(5).plusSeconds(5));
    served(10); // 12:05:05
    advance(Duration.ofMinutes(50));
    served(100); // 12:55:05

    // 10 minutes, by 10-second slots: only the last.
    assertThat(counters.snapshot(Duration.ofMinutes(10)).requests()).isEqualTo(100);
    // The hour, by minutes: all three.
    assertThat(counters.snapshot(Duration.ofMinutes(60)).requests()).isEqualTo(111);
    advance(Duration.ofMinutes(6));
    // 12:01:05 is the oldest second of this hour: the first request is gone from the rings.
    assertThat(counters.snapshot(Duration.ofMinutes(60)).requests()).isEqualTo(110);
    // Longer than the rings: since deploy.
    assertThat(counters.snapshot(Duration.ofHours(2)).requests()).isEqualTo(111);
  }

  @Test
  void answersAndLatencyAreCountedWithTheirRequests() {
    counters.requested();
    counters.answered(200, 2_000_000);
    counters.requested();
    counters.answered(503, 4_000_000);
    counters.requested();
    counters.answered(404, 6_000_000);

    TargetMetrics metrics = counters.snapshot(Duration.ofMinutes(5));

    assertThat(metrics)
        .usingRecursiveComparison()
        .ignoringFields("latency")
        .isEqualTo(new TargetMetrics(3, 1, 1, Duration.ofMillis(4), 0));
    assertThat(metrics.latency().count()).isEqualTo(3);
  }

  @Test
  void latenciesAreKeptAsAHistogramPerWindow() {
    // 90 answers at 10 ms and 10 at 100 ms, then, a minute later, 100 at 1 ms.
    for (int i = 0; i < 100; i++) {
      counters.requested();
      counters.answered(200, i < 90 ? 10_000_000 : 100_000_000);
    }
    advance(Duration.ofMinutes(1));
    for (int i = 0; i < 100; i++) {
      counters.requested();
      counters.answered(200, 1_000_000);
    }

    LatencyDistribution lastSecond = counters.snapshot(Duration.ofSeconds(1)).latency();
    LatencyDistribution both = counters.snapshot(Duration.ofMinutes(2)).latency();

    assertThat(lastSecond.count()).isEqualTo(100);
    assertThat(lastSecond.quantile(0.99).orElseThrow()).isBetween(ms(1 / STEP), ms(STEP));
    assertThat(both.count()).isEqualTo(200);
    // p75 of both minutes is among the 10 ms answers, p99 among the 100 ms ones: each
    // within its bucket, so within a bucket's width (2^¼) of the value.
    assertThat(both.quantile(0.75).orElseThrow()).isBetween(ms(10 / STEP), ms(10 * STEP));
    assertThat(both.quantile(0.99).orElseThrow()).isBetween(ms(100 / STEP), ms(100 * STEP));
    assertThat(counters.snapshot().latency().count()).isEqualTo(200);
  }

  @Test
  void eachLatencyFallsInTheBucketWhoseBoundsHoldIt() {
    long[] samples = {0, 1, 99_999, 100_000, 100_001, 118_920, 118_921, 1_000_000, 87_000_000_000L};
    for (long nanos : samples) {
      int bucket = LatencyBuckets.index(nanos);
      LatencyDistribution one = LatencyBuckets.distribution(single(bucket));
      // A bucket's only answer: rank 1 is its upper bound, rank 0 its lower.
      assertThat(one.quantile(1).orElseThrow().toNanos()).isGreaterThanOrEqualTo(nanos);
      assertThat(one.quantile(0).orElseThrow().toNanos())
          .isLessThanOrEqualTo(Math.max(0, nanos - 1));
    }
    assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
    for (long nanos = 1; nanos < 10_000_000_000L; nanos = nanos * 3 / 2 + 1) {
      assertThat(LatencyBuckets.index(nanos)).isLessThanOrEqualTo(LatencyBuckets.index(nanos + 1));
    }
  }

  private static long[] single(int bucket) {
    long[] counts = new long[LatencyBuckets.COUNT];
    counts[bucket] = 1;
    return counts;
  }

  private static Duration ms(double millis) {
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  @Test
  void pinnedRequestsAreCountedApartFromTheSplit() {
    served(5);
    counters.pinned();
    counters.pinned();

    TargetMetrics metrics = counters.snapshot(Duration.ofSeconds(30));

    assertThat(metrics.requests()).isEqualTo(5);
    assertThat(metrics.responses2xx()).isEqualTo(5);
    assertThat(metrics.pinned()).isEqualTo(2);
  }

  @Test
  void aClockThatStepsBackLosesNoCount() {
    advance(Duration.ofMinutes(1));
    served(1);
    advance(Duration.ofMinutes(-1)); // the same second slot, a minute older
    served(1);

    assertThat(counters.snapshot().requests()).isEqualTo(2);
    advance(Duration.ofMinutes(1));
    assertThat(counters.snapshot(Duration.ofSeconds(1)).requests()).isEqualTo(2);
  }

  private void served(int requests) {
    for (int i = 0; i < requests; i++) {
      counters.requested();
      counters.answered(200, 1_000_000);
    }
  }

  private void advance(Duration duration) {
    clock.advance(duration);
  }
}

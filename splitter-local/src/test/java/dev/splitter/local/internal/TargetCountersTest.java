package dev.splitter.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.local.HandClock;
import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetCountersTest {
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

    assertThat(metrics).isEqualTo(new TargetMetrics(3, 1, 1, Duration.ofMillis(4), 0));
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

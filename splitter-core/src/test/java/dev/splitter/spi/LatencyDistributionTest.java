package dev.splitter.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyDistributionTest {
  private static final long MS = 1_000_000;

  @Test
  void aHistogramsQuantileIsInterpolatedInItsBucketAsPrometheusDoes() {
    // 10 at or under 1 ms, 30 in (1, 5], 60 in (5, 10].
    LatencyDistribution latency =
        LatencyDistribution.histogram(new long[] {MS, 5 * MS, 10 * MS}, new long[] {10, 30, 60});

    assertThat(latency.count()).isEqualTo(100);
    // Rank 5 of 100 is half-way through the first bucket, which starts at 0.
    assertThat(latency.quantile(0.05)).contains(Duration.ofNanos(MS / 2));
    // Rank 25: 15 of the 30 in (1, 5].
    assertThat(latency.quantile(0.25)).contains(Duration.ofMillis(3));
    // Rank 70: 30 of the 60 in (5, 10].
    assertThat(latency.quantile(0.7)).contains(Duration.ofNanos(7_500_000));
    assertThat(latency.quantile(1)).contains(Duration.ofMillis(10));
    assertThat(latency.floor(0.7)).isEqualTo(latency.quantile(0.7));
  }

  @Test
  void aQuantileInTheUnboundedBucketIsItsLowerBound() {
    LatencyDistribution latency =
        LatencyDistribution.histogram(new long[] {MS, Long.MAX_VALUE}, new long[] {50, 50});

    assertThat(latency.quantile(0.99)).contains(Duration.ofMillis(1));
  }

  @Test
  void percentilesAnswerTheirRanksAndBoundTheOthers() {
    LatencyDistribution latency =
        LatencyDistribution.percentiles(
            1000,
            Map.of(
                0.5,
                Duration.ofMillis(10),
                0.9,
                Duration.ofMillis(30),
                0.99,
                Duration.ofMillis(80)));

    assertThat(latency.quantile(0.5)).contains(Duration.ofMillis(10));
    assertThat(latency.quantile(0.95)).isEmpty();
    assertThat(latency.floor(0.95)).contains(Duration.ofMillis(30));
    assertThat(latency.ceiling(0.95)).contains(Duration.ofMillis(80));
    assertThat(latency.floor(0.1)).contains(Duration.ZERO);
    assertThat(latency.ceiling(0.995)).isEmpty();
  }

  @Test
  void nothingObservedHasNoQuantile() {
    assertThat(LatencyDistribution.histogram(new long[] {MS}, new long[] {0}))
        .isSameAs(LatencyDistribution.EMPTY);
    assertThat(LatencyDistribution.EMPTY.quantile(0.5)).isEmpty();
    assertThat(LatencyDistribution.EMPTY.count()).isZero();
  }

  @Test
  void badShapesAreRefused() {
    assertThatThrownBy(() -> LatencyDistribution.histogram(new long[] {2, 1}, new long[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyDistribution.histogram(new long[] {1}, new long[] {-1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyDistribution.histogram(new long[] {1, 2}, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                LatencyDistribution.percentiles(
                    10, Map.of(0.5, Duration.ofMillis(10), 0.9, Duration.ofMillis(5))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyDistribution.EMPTY.quantile(1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.splitter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitter.core.internal.AlwaysValid.Interval;
import dev.splitter.spi.LatencyDistribution;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The always-valid intervals: the boundary against confseq's (the reference implementation, values
 * from tools/confseq-reference), and their guarantee, checked by simulation: under no difference,
 * an interval looked at after every batch excludes the truth at some look in at most α of runs.
 */
class AlwaysValidTest {

  /** confseq's two-sided normal-mixture bound on |S| at intrinsic time V, tuned for V*, at α. */
  @ParameterizedTest
  @CsvSource({
    "100, 1000, 0.05, 38.5505463353",
    "1000, 1000, 0.05, 95.9817358421",
    "10000, 1000, 0.05, 324.172314541",
    "50, 500, 0.0125, 30.098349479",
    "5000, 500, 0.0125, 260.763072874",
    "20000, 20000, 0.01, 505.104754458",
    "3, 1000, 0.05, 27.8562016444",
    "1000000, 1000, 0.05, 3869.45229667"
  })
  void theBoundaryIsConfseqs(double v, double planned, double alpha, double confseq) {
    // A mean of V unit-variance observations has variance 1/V; its half-width times V is the bound.
    double half = AlwaysValid.halfWidth(1 / v, 1 / planned, alpha);

    assertThat(half * v).isCloseTo(confseq, within(confseq * 1e-9));
  }

  @Test
  void theMixtureIsTunedAsConfseqTunesIt() {
    // best_rho = V / (2 ln(1/α) + ln(1 + 2 ln(1/α))): at α = 0.05, 1 / 7.9358...
    assertThat(AlwaysValid.tuning(0.05)).isCloseTo(1 / 7.93585, within(1e-5));
  }

  @Test
  void aDifferenceOfEqualErrorRatesIsExcludedAtSomeLookInFewerThanAlphaOfRuns() {
    SplittableRandom random = new SplittableRandom(20261204);
    double rate = 0.008;
    int runs = 2_000;
    int wrong = 0;
    for (int run = 0; run < runs; run++) {
      long candidate = 0;
      long candidateErrors = 0;
      long baseline = 0;
      long baselineErrors = 0;
      for (int look = 0; look < 200; look++) {
        // One look every 50 candidate and 450 baseline requests: a 10 % step, 10,000 in all.
        for (int i = 0; i < 50; i++) {
          candidateErrors += random.nextDouble() < rate ? 1 : 0;
        }
        for (int i = 0; i < 450; i++) {
          baselineErrors += random.nextDouble() < rate ? 1 : 0;
        }
        candidate += 50;
        baseline += 450;
        Interval difference =
            AlwaysValid.rateDifference(
                candidate, candidateErrors, baseline, baselineErrors, 0.05, 0.005);
        if (difference.lower() > 0 || difference.upper() < 0) {
          wrong++;
          break;
        }
      }
    }
    assertThat((double) wrong / runs).isLessThanOrEqualTo(0.05);
  }

  @Test
  void aThreeTimesWorseErrorRateIsShownWorseWithinTenThousandRequests() {
    SplittableRandom random = new SplittableRandom(7);
    int runs = 500;
    int caught = 0;
    for (int run = 0; run < runs; run++) {
      long candidateErrors = 0;
      long baselineErrors = 0;
      for (int look = 1; look <= 200; look++) {
        for (int i = 0; i < 50; i++) {
          candidateErrors += random.nextDouble() < 0.024 ? 1 : 0;
        }
        for (int i = 0; i < 450; i++) {
          baselineErrors += random.nextDouble() < 0.008 ? 1 : 0;
        }
        if (AlwaysValid.rateDifference(
                50L * look, candidateErrors, 450L * look, baselineErrors, 0.05, 0.005)
            .above(0.005)) {
          caught++;
          break;
        }
      }
    }
    assertThat((double) caught / runs).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void aQuantilesIntervalCoversTheTrueQuantileAtEveryLookInAtLeastOneMinusAlphaOfRuns() {
    // Exponential latencies with a mean of 10 ms in fine buckets (1 % apart): the true p95 is
    // 10 ms × ln 20.
    long[] bounds = new long[1200];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Math.round(10_000 * Math.pow(1.01, i)); // from 10 µs to about 1.5 s
    }
    double truth = 10e6 * Math.log(20);
    SplittableRandom random = new SplittableRandom(42);
    int runs = 400;
    int missed = 0;
    for (int run = 0; run < runs; run++) {
      long[] counts = new long[bounds.length];
      for (int look = 1; look <= 40; look++) {
        for (int i = 0; i < 100; i++) {
          long nanos = Math.round(-10e6 * Math.log(1 - random.nextDouble()));
          counts[bucket(bounds, nanos)]++;
        }
        Interval p95 =
            AlwaysValid.quantile(LatencyDistribution.histogram(bounds, counts), 0.95, 0.05)
                .orElseThrow();
        if (p95.lower() > truth || p95.upper() < truth) {
          missed++;
          break;
        }
      }
    }
    assertThat((double) missed / runs).isLessThanOrEqualTo(0.05);
  }

  @Test
  void aRatioOfQuantilesBoundsTheRatio() {
    long[] bounds = {1_000_000, 2_000_000, 4_000_000, 8_000_000, Long.MAX_VALUE};
    LatencyDistribution fast = LatencyDistribution.histogram(bounds, new long[] {0, 5000, 0, 0, 0});
    LatencyDistribution slow = LatencyDistribution.histogram(bounds, new long[] {0, 0, 0, 5000, 0});

    Interval ratio = AlwaysValid.quantileRatio(slow, fast, 0.5, 0.05).orElseThrow();

    // Both at the middle of their bucket: 6 ms over 1.5 ms.
    assertThat(ratio.estimate()).isCloseTo(4, within(1e-9));
    assertThat(ratio.lower()).isGreaterThan(1).isLessThan(4);
    assertThat(ratio.upper()).isGreaterThan(4);
    assertThat(AlwaysValid.quantileRatio(slow, LatencyDistribution.EMPTY, 0.5, 0.05)).isEmpty();
  }

  @Test
  void aPercentileSourceBoundsAQuantileByTheReportedRanksAroundIt() {
    // CloudWatch-style: only some percentiles, from 10,000 answers.
    LatencyDistribution reported =
        LatencyDistribution.percentiles(
            10_000,
            java.util.Map.of(
                0.5, java.time.Duration.ofMillis(10),
                0.9, java.time.Duration.ofMillis(20),
                0.95, java.time.Duration.ofMillis(30),
                0.99, java.time.Duration.ofMillis(60)));

    Interval p95 = AlwaysValid.quantile(reported, 0.95, 0.05).orElseThrow();
    Interval p99 = AlwaysValid.quantile(reported, 0.99, 0.05).orElseThrow();

    // Ranks 0.95 ± h fall between p90 and p99: those bound it.
    assertThat(p95.estimate()).isEqualTo(30e6);
    assertThat(p95.lower()).isEqualTo(20e6);
    assertThat(p95.upper()).isEqualTo(60e6);
    // Above p99 nothing is reported: no upper bound.
    assertThat(p99.upper()).isInfinite();
    assertThat(p99.lower()).isEqualTo(30e6);
  }

  private static int bucket(long[] bounds, long nanos) {
    for (int i = 0; i < bounds.length; i++) {
      if (nanos <= bounds[i]) {
        return i;
      }
    }
    return bounds.length - 1;
  }
}

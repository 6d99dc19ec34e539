package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How one target's response times were spread over a window: a histogram with known bucket bounds
 * (the local gateway, Prometheus), or a few percentiles a source computed itself (CloudWatch).
 * Immutable.
 *
 * <p>A histogram's quantile is interpolated linearly inside the bucket it falls in, as Prometheus's
 * {@code histogram_quantile} does; a quantile in the last, unbounded bucket is that bucket's lower
 * bound. A percentile source knows only the quantiles it reported: {@link #floor} and {@link
 * #ceiling} give the nearest reported ones below and above, which bound the one asked for, since
 * quantiles rise with their rank.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LatencyDistribution {
  /** No observations. */
  public static final LatencyDistribution EMPTY =
      new LatencyDistribution(0, new long[0], new long[0], null);

  private final long count;
  // A histogram: bucket i counts observations in (upper[i - 1], upper[i]]; the last bound may be
  // Long.MAX_VALUE, an unbounded bucket.
  private final long[] upperNanos;
  private final long[] counts;
  // Or percentiles: rank in (0, 1) to value.
  private final @Nullable NavigableMap<Double, Duration> percentiles;

  private LatencyDistribution(
      long count,
      long[] upperNanos,
      long[] counts,
      @Nullable NavigableMap<Double, Duration> percentiles) {
    this.count = count;
    this.upperNanos = upperNanos;
    this.counts = counts;
    this.percentiles = percentiles;
  }

  /**
   * A histogram.
   *
   * @param upperBoundsNanos each bucket's inclusive upper bound in nanoseconds, rising; the last
   *     may be {@link Long#MAX_VALUE} for an unbounded bucket
   * @param counts the observations in each bucket (not cumulative), none negative
   * @throws IllegalArgumentException if the arrays differ in length, bounds do not rise or a count
   *     is negative
   */
  public static LatencyDistribution histogram(long[] upperBoundsNanos, long[] counts) {
    if (upperBoundsNanos.length != counts.length) {
      throw new IllegalArgumentException(
          upperBoundsNanos.length + " bounds for " + counts.length + " counts");
    }
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0 || (i > 0 && upperBoundsNanos[i] <= upperBoundsNanos[i - 1])) {
        throw new IllegalArgumentException("bucket " + i + ": bounds must rise and counts be >= 0");
      }
      total += counts[i];
    }
    return total == 0
        ? EMPTY
        : new LatencyDistribution(total, upperBoundsNanos.clone(), counts.clone(), null);
  }

  /**
   * Percentiles a source computed from {@code count} observations.
   *
   * @param percentiles by rank strictly between 0 and 1 (0.95 for p95)
   * @throws IllegalArgumentException if a rank is outside (0, 1) or values fall as ranks rise
   */
  public static LatencyDistribution percentiles(long count, Map<Double, Duration> percentiles) {
    NavigableMap<Double, Duration> sorted = new TreeMap<>(percentiles);
    Duration previous = Duration.ZERO;
    for (Map.Entry<Double, Duration> entry : sorted.entrySet()) {
      double rank = entry.getKey();
      if (!(rank > 0 && rank < 1) || entry.getValue().compareTo(previous) < 0) {
        throw new IllegalArgumentException(
            "percentiles need ranks in (0, 1) and values that rise with them: " + percentiles);
      }
      previous = requireNonNull(entry.getValue());
    }
    return count <= 0 || sorted.isEmpty()
        ? EMPTY
        : new LatencyDistribution(
            count,
            new long[0],
            new long[0],
            java.util.Collections.unmodifiableNavigableMap(sorted));
  }

  /** The observations counted. */
  public long count() {
    return count;
  }

  /** Whether this is a histogram, whose every quantile can be estimated. */
  public boolean isHistogram() {
    return counts.length > 0;
  }

  /**
   * The quantile at {@code rank}: interpolated in a histogram; a percentile source's only if it
   * reported that rank. Empty with no observations.
   *
   * @param rank within [0, 1]
   */
  public Optional<Duration> quantile(double rank) {
    checkRank(rank);
    if (count == 0) {
      return Optional.empty();
    }
    if (percentiles != null) {
      return Optional.ofNullable(percentiles.get(rank));
    }
    return Optional.of(interpolated(rank));
  }

  /**
   * A value at most the quantile at {@code rank}: the histogram's estimate, or the nearest reported
   * percentile at or below the rank ({@link Duration#ZERO} below them all). Empty with no
   * observations.
   */
  public Optional<Duration> floor(double rank) {
    checkRank(rank);
    if (count == 0) {
      return Optional.empty();
    }
    if (percentiles != null) {
      Map.Entry<Double, Duration> below = percentiles.floorEntry(rank);
      return Optional.of(below == null ? Duration.ZERO : below.getValue());
    }
    return Optional.of(interpolated(rank));
  }

  /**
   * A value at least the quantile at {@code rank}: the histogram's estimate, or the nearest
   * reported percentile at or above the rank. Empty with no observations, or above every reported
   * rank.
   */
  public Optional<Duration> ceiling(double rank) {
    checkRank(rank);
    if (count == 0) {
      return Optional.empty();
    }
    if (percentiles != null) {
      Map.Entry<Double, Duration> above = percentiles.ceilingEntry(rank);
      return Optional.ofNullable(above == null ? null : above.getValue());
    }
    return Optional.of(interpolated(rank));
  }

  private Duration interpolated(double rank) {
    double target = rank * count;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      if (seen + counts[i] >= target) {
        long lower = i == 0 ? 0 : upperNanos[i - 1];
        long upper = upperNanos[i];
        if (upper == Long.MAX_VALUE) {
          return Duration.ofNanos(lower);
        }
        double within = (target - seen) / counts[i];
        return Duration.ofNanos(lower + Math.round((upper - lower) * within));
      }
      seen += counts[i];
    }
    // Only rounding can get here: the highest bucket with observations.
    for (int i = counts.length - 1; i >= 0; i--) {
      if (counts[i] > 0) {
        return Duration.ofNanos(
            upperNanos[i] == Long.MAX_VALUE ? (i == 0 ? 0 : upperNanos[i - 1]) : upperNanos[i]);
      }
    }
    throw new IllegalStateException("a histogram with a count has a bucket with one");
  }

  private static void checkRank(double rank) {
    if (!(rank >= 0 && rank <= 1)) {
      throw new IllegalArgumentException("a quantile's rank is within 0..1, got " + rank);
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof LatencyDistribution that
        && that.count == count
        && Arrays.equals(that.upperNanos, upperNanos)
        && Arrays.equals(that.counts, counts)
        && java.util.Objects.equals(that.percentiles, percentiles);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    if (count == 0) {
      return "no latencies";
    }
    return count
        + " latencies, p50 "
        + quantile(0.5).map(Duration::toString).orElse("?")
        + (percentiles == null ? " (histogram)" : " (percentiles " + percentiles.keySet() + ")");
  }
}

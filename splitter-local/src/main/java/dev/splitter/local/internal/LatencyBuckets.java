package dev.splitter.local.internal;

import dev.splitter.spi.LatencyDistribution;
import org.apiguardian.api.API;

/**
 * The gateway's latency histogram buckets: exponential, four to a doubling (each bound 2^¼, about
 * 19 %, above the last, as Prometheus's native histograms at schema 2), from 100 µs to about 88 s,
 * with one bucket below and one unbounded bucket above. A quantile interpolated inside a bucket is
 * off by at most that bucket's width, and in practice far less.
 */
@API(status = API.Status.INTERNAL)
public final class LatencyBuckets {
  /** The first bucket's upper bound: answers at most this fast all count in bucket 0. */
  static final long FIRST_NANOS = 100_000;

  private static final int PER_DOUBLING = 4;
  private static final int BOUNDED = 80;

  /** Buckets in all: the bounded ones and the unbounded last. */
  public static final int COUNT = BOUNDED + 1;

  private static final long[] UPPER = upperBounds();

  private LatencyBuckets() {}

  /** The bucket of an answer after {@code nanos}. */
  public static int index(long nanos) {
    if (nanos <= FIRST_NANOS) {
      return 0;
    }
    double ratio = (double) nanos / FIRST_NANOS;
    int estimate = (int) Math.ceil(PER_DOUBLING * Math.log(ratio) / Math.log(2));
    int index = Math.min(Math.max(estimate, 1), BOUNDED);
    // The logarithm may round across a bound: settle on the first bound at or above nanos.
    while (index > 1 && UPPER[index - 1] >= nanos) {
      index--;
    }
    while (index < BOUNDED && UPPER[index] < nanos) {
      index++;
    }
    return index;
  }

  /** The histogram of these counts, one per bucket. */
  public static LatencyDistribution distribution(long[] counts) {
    return LatencyDistribution.histogram(UPPER, counts);
  }

  private static long[] upperBounds() {
    long[] upper = new long[COUNT];
    for (int i = 0; i < BOUNDED; i++) {
      upper[i] = Math.round(FIRST_NANOS * Math.pow(2, (double) i / PER_DOUBLING));
    }
    upper[BOUNDED] = Long.MAX_VALUE;
    return upper;
  }
}

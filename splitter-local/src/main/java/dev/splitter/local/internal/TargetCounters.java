package dev.splitter.local.internal;

import dev.splitter.spi.TargetMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What one target of one splitter served, counted without locks on the request path, in three rings
 * of slots by the cluster's clock: a slot a second for the last minute, one per 10 seconds for the
 * last 10 minutes, one a minute for the last hour; and in total since the splitter was deployed. A
 * window (a rollout step, {@code get}'s hour) is answered from the finest ring that covers it,
 * counting the slots it overlaps: exact to the second up to a minute, and at most 9 s (up to 10
 * minutes) or 59 s (up to an hour) of traffic from before it on its far edge. Longer windows count
 * since the splitter was deployed.
 *
 * <p>Requests pinned to the target by {@code x-splitter-api} are counted apart: they are not part
 * of the split, so they stay out of the requests, answers and latency that gates and the observed
 * split read.
 *
 * <p>Each slot also keeps a latency histogram ({@link LatencyBuckets}: 81 buckets, 2^¼ apart), so
 * that percentiles, {@code compare} and latency gates read the same windows as the counts.
 *
 * <p>Memory: 180 slots of six {@code long}s and 81 {@code int}s (about 430 bytes with the slot's
 * object and array headers) once a ring is full, about 76 KiB per target with traffic in every
 * slot, plus the rings' arrays.
 */
@API(status = API.Status.INTERNAL)
public final class TargetCounters {
  private static final Ring[] RINGS = {new Ring(1, 60), new Ring(10, 60), new Ring(60, 60)};

  /** The longest window answered from the rings; longer ones count since deploy. */
  static final long SECONDS_KEPT = 3600;

  private static final int REQUESTS = 0;
  private static final int RESPONSES_2XX = 1;
  private static final int RESPONSES_5XX = 2;
  private static final int COMPLETED = 3;
  private static final int LATENCY_NANOS = 4;
  private static final int PINNED = 5;
  // Then one count per latency bucket (LatencyBuckets).
  private static final int HISTOGRAM = 6;
  private static final int FIELDS = HISTOGRAM + LatencyBuckets.COUNT;

  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle BUCKETS = MethodHandles.arrayElementVarHandle(int[].class);

  private final Clock clock;
  private final @Nullable TargetMeters meters;
  private final long[] total = new long[FIELDS];
  private final AtomicReferenceArray<Slot>[] rings;

  public TargetCounters(Clock clock) {
    this(clock, null);
  }

  /**
   * @param meters where the same is also recorded for the application's registry; null for none
   */
  @SuppressWarnings("unchecked")
  TargetCounters(Clock clock, @Nullable TargetMeters meters) {
    this.clock = clock;
    this.meters = meters;
    this.rings = new AtomicReferenceArray[RINGS.length];
    for (int i = 0; i < RINGS.length; i++) {
      rings[i] = new AtomicReferenceArray<>(RINGS[i].slots);
    }
  }

  /** A request was routed to the target by the split. */
  public void requested() {
    add(REQUESTS, 1);
  }

  /** A request was pinned to the target by its header. */
  public void pinned() {
    add(PINNED, 1);
    if (meters != null) {
      meters.pinned();
    }
  }

  /** The gateway ended a request without the target's whole answer, and why. */
  void failed(GatewayError error) {
    if (meters != null) {
      meters.failed(error);
    }
  }

  /** Body bytes forwarded to the target ({@code toTarget}) or relayed from it. */
  void bodyBytes(long bytes, boolean toTarget) {
    if (meters != null) {
      if (toTarget) {
        meters.requestBytes(bytes);
      } else {
        meters.responseBytes(bytes);
      }
    }
  }

  /**
   * The target (or the gateway on its behalf) answered a routed request with {@code status} after
   * {@code nanos}. Answers to pinned requests are not counted.
   */
  public void answered(int status, long nanos) {
    long second = Math.floorDiv(clock.millis(), 1000);
    int bucket = LatencyBuckets.index(nanos);
    for (int ring = 0; ring < RINGS.length; ring++) {
      Slot slot = slot(ring, second);
      answered(slot.counts, status, nanos);
      BUCKETS.getAndAdd(slot.latency, bucket, 1);
    }
    answered(total, status, nanos);
    COUNTS.getAndAdd(total, HISTOGRAM + bucket, 1L);
    if (meters != null) {
      meters.answered(status, nanos);
    }
  }

  private static void answered(long[] counts, int status, long nanos) {
    if (status >= 200 && status < 300) {
      COUNTS.getAndAdd(counts, RESPONSES_2XX, 1L);
    } else if (status >= 500) {
      COUNTS.getAndAdd(counts, RESPONSES_5XX, 1L);
    }
    COUNTS.getAndAdd(counts, COMPLETED, 1L);
    COUNTS.getAndAdd(counts, LATENCY_NANOS, nanos);
  }

  private void add(int field, long amount) {
    long second = Math.floorDiv(clock.millis(), 1000);
    for (int ring = 0; ring < RINGS.length; ring++) {
      COUNTS.getAndAdd(slot(ring, second).counts, field, amount);
    }
    COUNTS.getAndAdd(total, field, amount);
  }

  /** The counts since the splitter was deployed. */
  public TargetMetrics snapshot() {
    return metrics(total);
  }

  /** The counts since the splitter was deployed, as they stand: a mark for {@link #since}. */
  public long[] totals() {
    long[] copy = new long[FIELDS];
    for (int field = 0; field < FIELDS; field++) {
      copy[field] = (long) COUNTS.getVolatile(total, field);
    }
    return copy;
  }

  /** The counts since {@code mark} was taken by {@link #totals}. */
  public TargetMetrics since(long[] mark) {
    long[] counts = totals();
    for (int field = 0; field < FIELDS; field++) {
      counts[field] -= mark[field];
    }
    return metrics(counts);
  }

  /** The counts of the last {@code window}, as the class says. */
  public TargetMetrics snapshot(Duration window) {
    long span = Math.max(1, window.toSeconds());
    if (span > SECONDS_KEPT) {
      return snapshot();
    }
    int ring = 0;
    while (RINGS[ring].covers() < span) {
      ring++;
    }
    long now = Math.floorDiv(clock.millis(), 1000);
    long newest = RINGS[ring].period(now);
    long oldest = RINGS[ring].period(now - span + 1);
    long[] sum = new long[FIELDS];
    for (long period = oldest; period <= newest; period++) {
      Slot slot = rings[ring].get(RINGS[ring].index(period));
      if (slot != null && slot.period == period) {
        for (int field = 0; field < HISTOGRAM; field++) {
          sum[field] += (long) COUNTS.getVolatile(slot.counts, field);
        }
        for (int bucket = 0; bucket < LatencyBuckets.COUNT; bucket++) {
          sum[HISTOGRAM + bucket] += (int) BUCKETS.getVolatile(slot.latency, bucket);
        }
      }
    }
    return metrics(sum);
  }

  /** The ring's slot for this second; its previous occupant, a ring's length old, is dropped. */
  private Slot slot(int ring, long second) {
    Ring shape = RINGS[ring];
    long period = shape.period(second);
    int index = shape.index(period);
    AtomicReferenceArray<Slot> slots = rings[ring];
    while (true) {
      Slot slot = slots.get(index);
      if (slot != null && slot.period >= period) {
        // The current one; or, if the clock stepped back, the newer one rather than lose a count.
        return slot;
      }
      Slot fresh = new Slot(period);
      if (slots.compareAndSet(index, slot, fresh)) {
        return fresh;
      }
    }
  }

  private static TargetMetrics metrics(long[] counts) {
    long done = (long) COUNTS.getVolatile(counts, COMPLETED);
    Duration average =
        done == 0
            ? null
            : Duration.ofNanos((long) COUNTS.getVolatile(counts, LATENCY_NANOS) / done);
    long[] histogram = new long[LatencyBuckets.COUNT];
    for (int bucket = 0; bucket < histogram.length; bucket++) {
      histogram[bucket] = (long) COUNTS.getVolatile(counts, HISTOGRAM + bucket);
    }
    return new TargetMetrics(
        (long) COUNTS.getVolatile(counts, REQUESTS),
        (long) COUNTS.getVolatile(counts, RESPONSES_2XX),
        (long) COUNTS.getVolatile(counts, RESPONSES_5XX),
        average,
        (long) COUNTS.getVolatile(counts, PINNED),
        LatencyBuckets.distribution(histogram));
  }

  /** A ring's shape: slots of {@code seconds} each, {@code slots} of them. */
  private record Ring(int seconds, int slots) {
    long covers() {
      return (long) seconds * slots;
    }

    long period(long second) {
      return Math.floorDiv(second, seconds);
    }

    int index(long period) {
      return (int) Math.floorMod(period, (long) slots);
    }
  }

  /** One slot's counts, for one period of its ring. */
  private static final class Slot {
    final long period;
    final long[] counts = new long[HISTOGRAM];
    // An int a bucket: a slot is at most a minute, and 2^31 answers a minute is far beyond a
    // gateway; the totals since deploy keep longs.
    final int[] latency = new int[LatencyBuckets.COUNT];

    Slot(long period) {
      this.period = period;
    }
  }
}

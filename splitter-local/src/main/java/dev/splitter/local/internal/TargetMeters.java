package dev.splitter.local.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One target's meters in the application's registry, recorded beside its {@link TargetCounters}
 * when the cluster has a registry. Thread-safe (Micrometer's meters are).
 */
final class TargetMeters {
  /**
   * The histogram's bounds: 100 µs doubling to about 52 s, every fourth of the gateway's buckets.
   */
  private static final Duration[] BUCKETS = buckets();

  private final @Nullable Counter[] byClass = new Counter[6];
  private final Counter[] errors = new Counter[GatewayError.values().length];
  private final Timer latency;
  private final Counter pinned;
  private final Counter requestBytes;
  private final Counter responseBytes;

  TargetMeters(MeterRegistry registry, String splitter, String api) {
    Tags tags = Tags.of("splitter", splitter, "api", api);
    // From 2XX: a 1XX never ends an answer (the gateway skips it and waits for the final one).
    for (int digit = 2; digit <= 5; digit++) {
      byClass[digit] =
          Counter.builder("splitter.requests")
              .description("Requests the split routed to the target, by the answer's status class")
              .tags(tags)
              .tag("status_class", digit + "xx")
              .register(registry);
    }
    for (GatewayError error : GatewayError.values()) {
      errors[error.ordinal()] =
          Counter.builder("splitter.gateway.errors")
              .description("Requests the gateway ended without the target's whole answer")
              .tags(tags)
              .tag("reason", error.label())
              .register(registry);
    }
    this.latency =
        Timer.builder("splitter.request.duration")
            .description("From the request's arrival to the answer's end")
            .tags(tags)
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    this.pinned =
        Counter.builder("splitter.pinned.requests")
            .description("Requests pinned to the target by x-splitter-api, outside the split")
            .tags(tags)
            .register(registry);
    this.requestBytes =
        Counter.builder("splitter.request.body")
            .baseUnit("bytes")
            .description("Request body bytes forwarded to the target")
            .tags(tags)
            .register(registry);
    this.responseBytes =
        Counter.builder("splitter.response.body")
            .baseUnit("bytes")
            .description("Answer body bytes relayed from the target")
            .tags(tags)
            .register(registry);
  }

  /** Every meter registered for the target. */
  List<Meter> meters() {
    List<Meter> all = new ArrayList<>();
    for (Counter counter : byClass) {
      if (counter != null) {
        all.add(counter);
      }
    }
    all.addAll(List.of(errors));
    all.addAll(List.of(latency, pinned, requestBytes, responseBytes));
    return all;
  }

  void answered(int status, long nanos) {
    int digit = status / 100;
    Counter counter = byClass[digit >= 2 && digit <= 5 ? digit : 5];
    if (counter != null) {
      counter.increment();
    }
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void pinned() {
    pinned.increment();
  }

  void failed(GatewayError error) {
    errors[error.ordinal()].increment();
  }

  void requestBytes(long bytes) {
    requestBytes.increment(bytes);
  }

  void responseBytes(long bytes) {
    responseBytes.increment(bytes);
  }

  private static Duration[] buckets() {
    Duration[] bounds = new Duration[20];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Duration.ofNanos(LatencyBuckets.FIRST_NANOS << i);
    }
    return bounds;
  }
}

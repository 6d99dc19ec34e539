package dev.splitter.cli.internal;

import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutEvent;
import dev.splitter.rollout.RolloutListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The rollouts {@code splitter serve} runs, as gauges beside the gateway's meters: per splitter,
 * whether one runs, its step and the candidate's percentage, and each gate's last value against its
 * threshold. A finished rollout's figures stay until the next one on the splitter. Thread-safe.
 */
final class RolloutGauges {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<@Nullable RolloutEvent>> latest =
      new ConcurrentHashMap<>();
  private final Map<String, GateReading> gates = new ConcurrentHashMap<>();

  RolloutGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** What a rollout of {@code splitter} reports its events to. */
  RolloutListener listener(String splitter) {
    AtomicReference<@Nullable RolloutEvent> last =
        latest.computeIfAbsent(splitter, name -> registered(name, new AtomicReference<>()));
    return event -> {
      last.set(event);
      Gate gate = event.gate();
      Double value = event.value();
      if (event.type() == RolloutEvent.Type.GATE_EVALUATED && gate != null && value != null) {
        gates.computeIfAbsent(splitter + '\u0000' + gate.name(), key -> gauge(splitter, gate))
                .value =
            value;
      }
    };
  }

  private AtomicReference<@Nullable RolloutEvent> registered(
      String splitter, AtomicReference<@Nullable RolloutEvent> last) {
    Gauge.builder("splitter.rollout.running", last, l -> running(l.get()) ? 1 : 0)
        .description("1 while a rollout of the splitter runs in this serve")
        .tag("splitter", splitter)
        .strongReference(true)
        .register(registry);
    Gauge.builder("splitter.rollout.step", last, l -> figure(l, RolloutEvent::step))
        .description("The step the splitter's latest rollout reached, from 1")
        .tag("splitter", splitter)
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "splitter.rollout.candidate.percent",
            last,
            l -> figure(l, RolloutEvent::candidatePercent))
        .description("The candidate's share of the pair's weight at that step (0: the shadow step)")
        .tag("splitter", splitter)
        .strongReference(true)
        .register(registry);
    return last;
  }

  private GateReading gauge(String splitter, Gate gate) {
    GateReading reading = new GateReading();
    Gauge.builder("splitter.rollout.gate.value", reading, r -> r.value)
        .description("What the gate measured last")
        .tags("splitter", splitter, "gate", gate.name())
        .strongReference(true)
        .register(registry);
    Gauge.builder("splitter.rollout.gate.threshold", gate, Gate::threshold)
        .description("The gate's threshold, margin or ratio")
        .tags("splitter", splitter, "gate", gate.name())
        .strongReference(true)
        .register(registry);
    return reading;
  }

  private static double figure(
      AtomicReference<@Nullable RolloutEvent> last, ToIntFunction<RolloutEvent> of) {
    RolloutEvent event = last.get();
    return event == null ? 0 : of.applyAsInt(event);
  }

  private static boolean running(@Nullable RolloutEvent event) {
    return event != null
        && event.type() != RolloutEvent.Type.PROMOTED
        && event.type() != RolloutEvent.Type.ROLLED_BACK
        && event.type() != RolloutEvent.Type.ABORTED;
  }

  /** A gate's last value; written by the rollout's thread, read by a scrape. */
  private static final class GateReading {
    volatile double value = Double.NaN;
  }
}

package dev.splitter.cli.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.splitter.core.Deployer;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutEvent;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.rollout.RolloutSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The latest rollout of each splitter run in this process, as the dashboard shows it: its steps,
 * the step reached, each gate's last value against its threshold, its events and how it ended. A
 * finished rollout stays until the next one on the splitter starts. Thread-safe.
 */
final class RolloutHistory {
  /** The events kept per rollout: a long one with a sequential gate checks every second. */
  static final int EVENTS_KEPT = 200;

  private final Clock clock;
  private final Map<String, Run> latest = new ConcurrentHashMap<>();

  RolloutHistory(Clock clock) {
    this.clock = clock;
  }

  /**
   * What a rollout of {@code splitter} that starts now reports its events to; the splitter's
   * previous rollout is forgotten.
   *
   * @param deployer where the rollout keeps its spec, read at its first event
   */
  RolloutListener begin(String splitter, Deployer deployer) {
    Run run = new Run(clock.instant());
    latest.put(splitter, run);
    return event -> {
      if (run.spec == null) {
        // Stored by the rollout before its first event; a resumed one is read the same way.
        run.spec = Rollout.inProgress(deployer, splitter).map(status -> status.spec()).orElse(null);
      }
      run.add(event, clock.instant());
    };
  }

  /** The splitter's latest rollout in this process, if it ran one. */
  Optional<View> view(String splitter) {
    Run run = latest.get(splitter);
    return run == null ? Optional.empty() : Optional.of(run.view());
  }

  /** A rollout as the dashboard's JSON carries it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record View(
      @Nullable String candidate,
      @Nullable String baseline,
      @JsonProperty("steps") List<Integer> stepPercents,
      @JsonProperty("shadow_step") boolean shadowStep,
      @JsonProperty("interval_seconds") @Nullable Long intervalSeconds,
      int step,
      @JsonProperty("candidate_percent") int candidatePercent,
      boolean running,
      @Nullable String outcome,
      @Nullable String reason,
      Instant started,
      @Nullable Instant ended,
      List<GateView> gates,
      List<EventView> events) {}

  /**
   * A gate: its threshold, its last value (absent before it was measured) and whether that passed.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record GateView(
      String name,
      String threshold,
      @Nullable String value,
      @Nullable Boolean passed,
      @Nullable Integer step) {}

  /** One event, as the CLI prints it. */
  record EventView(Instant at, String type, int step, String message) {}

  /** One rollout's record; written by its thread, read by the dashboard's. */
  private static final class Run {
    private final Instant started;
    private volatile @Nullable RolloutSpec spec;
    private final List<EventView> events = new ArrayList<>();
    private final Map<String, GateView> gates = new LinkedHashMap<>();
    private @Nullable RolloutEvent last;
    private @Nullable Instant ended;

    Run(Instant started) {
      this.started = started;
    }

    synchronized void add(RolloutEvent event, Instant at) {
      last = event;
      if (events.size() == EVENTS_KEPT) {
        events.remove(0);
      }
      events.add(new EventView(at, event.type().name(), event.step(), event.message()));
      Gate gate = event.gate();
      Double value = event.value();
      if (event.type() == RolloutEvent.Type.GATE_EVALUATED && gate != null && value != null) {
        gates.put(
            gate.name(),
            new GateView(
                gate.name(),
                gate.format(gate.threshold()),
                gate.format(value),
                gate.passes(value),
                event.step()));
      }
      if (finished(event.type())) {
        ended = at;
      }
    }

    synchronized View view() {
      RolloutSpec known = spec;
      RolloutEvent event = last;
      RolloutEvent.@Nullable Type ending =
          event != null && finished(event.type()) ? event.type() : null;
      boolean done = ending != null;
      List<GateView> shown = new ArrayList<>();
      if (known != null) {
        for (Gate gate : known.gates()) {
          shown.add(
              gates.getOrDefault(
                  gate.name(),
                  new GateView(gate.name(), gate.format(gate.threshold()), null, null, null)));
        }
      } else {
        shown.addAll(gates.values());
      }
      return new View(
          known == null ? null : known.candidate(),
          known == null ? null : known.baseline(),
          known == null ? List.of() : known.steps(),
          known != null && known.shadowStep(),
          known == null ? null : known.interval().toSeconds(),
          event == null ? 0 : event.step(),
          event == null ? 0 : event.candidatePercent(),
          !done,
          ending == null ? null : ending.name().toLowerCase(Locale.ROOT),
          ending == null || event == null ? null : event.message(),
          started,
          ended,
          List.copyOf(shown),
          List.copyOf(events));
    }

    private static boolean finished(RolloutEvent.Type type) {
      return type == RolloutEvent.Type.PROMOTED
          || type == RolloutEvent.Type.ROLLED_BACK
          || type == RolloutEvent.Type.ABORTED;
    }
  }
}

package dev.splitter.rollout.internal;

import dev.splitter.SplitterException;
import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutEvent;
import dev.splitter.rollout.RolloutException;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.rollout.RolloutResult;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.rollout.Sleeper;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One rollout's steps, from the step its state has reached: each step is written to the state
 * first, then deployed, then baked and gated. The state is compared with what this run last wrote
 * before every write and after every wait, so an {@code abort} from elsewhere stops it without it
 * writing again. Not thread-safe: one run, one thread.
 */
public final class RolloutRun {
  private static final Duration MIN_WINDOW = Duration.ofSeconds(1);

  private final Deployer deployer;
  private final String splitter;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RolloutListener listener;
  private RolloutState state;
  private @Nullable String written;

  /**
   * @param stored the state's text as it is stored now (null for a new rollout), to tell a change
   *     made elsewhere from our own
   */
  public RolloutRun(
      Deployer deployer,
      String splitter,
      RolloutState state,
      @Nullable String stored,
      Clock clock,
      Sleeper sleeper,
      RolloutListener listener) {
    this.deployer = deployer;
    this.splitter = splitter;
    this.state = state;
    this.written = stored;
    this.clock = clock;
    this.sleeper = sleeper;
    this.listener = listener;
  }

  /** Runs the steps from the one reached to the last, or to a rollback. */
  public RolloutResult run() {
    if (state.rollingBack()) {
      return rollBack(Outcome.ROLLED_BACK, null, null, "finished the rollback that was under way");
    }
    @Nullable TrafficSplitter spec = null;
    for (int index = state.step(); index < state.steps().size(); index++) {
      state = state.atStep(index);
      if (!writeState()) {
        return stoppedElsewhere();
      }
      try {
        spec = state.specAt(current(), index);
        deployer.deploy(SplitterConfig.of(spec));
      } catch (SplitterException e) {
        return rollBack(
            Outcome.ROLLED_BACK,
            null,
            null,
            "step " + stepOf(index) + " could not be deployed: " + e.getMessage());
      }
      emit(
          RolloutEvent.Type.STEP_STARTED,
          index,
          null,
          null,
          "step "
              + stepOf(index)
              + ": "
              + state.candidate()
              + " at "
              + state.steps().get(index)
              + "% ("
              + weights(spec)
              + ")");
      RolloutResult ended = bake(index);
      if (ended != null) {
        return ended;
      }
    }
    int last = state.steps().size() - 1;
    deployer.annotate(splitter, RolloutState.KEY, null);
    String reason =
        state.candidate()
            + " promoted at "
            + state.steps().get(last)
            + "% after "
            + state.steps().size()
            + " steps";
    emit(RolloutEvent.Type.PROMOTED, last, null, null, reason);
    return result(Outcome.PROMOTED, null, null, reason, weightMap(Objects.requireNonNull(spec)));
  }

  /**
   * Restores the weights from before the rollout and drops its state.
   *
   * @throws RolloutException if the weights could not be restored; the state stays, marked as
   *     rolling back, for another {@code abort} to finish
   */
  public RolloutResult rollBack(
      Outcome outcome, @Nullable Gate gate, @Nullable Double observed, String reason) {
    // Restoring must not fail because the thread was interrupted: the interrupt is kept for later.
    boolean interrupted = Thread.interrupted();
    try {
      state = state.toRollBack();
      writeStateOver();
      TrafficSplitter restored = state.restored(current());
      deployer.deploy(SplitterConfig.of(restored));
      deployer.annotate(splitter, RolloutState.KEY, null);
      String done =
          (outcome == Outcome.ABORTED ? "aborted" : "rolled back")
              + " at step "
              + stepOf(state.step())
              + ": "
              + reason
              + "; weights restored ("
              + weights(restored)
              + ")";
      emit(
          outcome == Outcome.ABORTED ? RolloutEvent.Type.ABORTED : RolloutEvent.Type.ROLLED_BACK,
          state.step(),
          gate,
          observed,
          done);
      return result(outcome, gate, observed, reason, weightMap(restored));
    } catch (SplitterException e) {
      throw new RolloutException(
          "could not restore "
              + splitter
              + "'s weights from before the rollout ("
              + reason
              + "): "
              + e.getMessage()
              + "; its state is kept: run abort again",
          e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits out the step and gates it; null when it passed, else how the rollout ended. */
  private @Nullable RolloutResult bake(int index) {
    Instant started = clock.instant();
    int inconclusive = 0;
    while (true) {
      try {
        sleeper.sleep(state.interval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return stillOurs()
            ? rollBack(Outcome.ABORTED, null, null, "aborted (interrupted)")
            : stoppedElsewhere();
      }
      if (!stillOurs()) {
        return stoppedElsewhere();
      }
      // At least a second: metrics sources count whole seconds (Prometheus refuses "[0s]").
      Duration window = max(Duration.between(started, clock.instant()), MIN_WINDOW);
      Verdict verdict = evaluate(index, window);
      if (verdict.failed != null) {
        return rollBack(
            Outcome.ROLLED_BACK,
            verdict.failed,
            verdict.value,
            verdict.failed.kind().label()
                + " "
                + verdict.failed.format(Objects.requireNonNull(verdict.value))
                + " > "
                + verdict.failed.format(verdict.failed.threshold()));
      }
      if (verdict.inconclusive == null) {
        return null;
      }
      inconclusive++;
      if (inconclusive > state.maxInconclusive()) {
        return rollBack(
            Outcome.ROLLED_BACK,
            null,
            null,
            "inconclusive after " + inconclusive + " intervals: " + verdict.inconclusive);
      }
      emit(
          RolloutEvent.Type.INCONCLUSIVE,
          index,
          null,
          null,
          "step "
              + stepOf(index)
              + ": inconclusive: "
              + verdict.inconclusive
              + "; waiting another "
              + state.interval()
              + " ("
              + inconclusive
              + " of "
              + state.maxInconclusive()
              + ")");
    }
  }

  /** The gates on the step's traffic so far. */
  private Verdict evaluate(int index, Duration window) {
    MetricsReport report;
    try {
      report = deployer.traffic(splitter, List.of(state.baseline(), state.candidate()), window);
    } catch (SplitterException e) {
      // A source that cannot answer never lets a step pass.
      return Verdict.inconclusive("the metrics source could not answer: " + e.getMessage());
    }
    TargetMetrics candidate = report.metrics().getOrDefault(state.candidate(), TargetMetrics.NONE);
    TargetMetrics baseline = report.metrics().getOrDefault(state.baseline(), TargetMetrics.NONE);
    if (candidate.requests() < state.minRequests()) {
      return Verdict.inconclusive(
          state.candidate()
              + " served "
              + candidate.requests()
              + " requests in "
              + window.toSeconds()
              + " s, fewer than "
              + state.minRequests());
    }
    for (Gate gate : state.gates()) {
      OptionalDouble value = gate.measure(candidate, baseline, state.referenceLatency());
      if (value.isEmpty()) {
        return Verdict.inconclusive(gate.kind().label() + " has nothing to measure yet");
      }
      boolean passes = gate.passes(value.getAsDouble());
      emit(
          RolloutEvent.Type.GATE_EVALUATED,
          index,
          gate,
          value.getAsDouble(),
          "step "
              + stepOf(index)
              + ": "
              + gate.kind().label()
              + " "
              + gate.format(value.getAsDouble())
              + (passes ? " <= " : " > ")
              + gate.format(gate.threshold())
              + (passes ? ": pass" : ": fail"));
      if (!passes) {
        return new Verdict(gate, value.getAsDouble(), null);
      }
    }
    state = state.withReference(baseline.averageLatency());
    return new Verdict(null, null, null);
  }

  /** Writes the state, unless someone else changed or removed it since we last did. */
  private boolean writeState() {
    if (!stillOurs()) {
      return false;
    }
    writeStateOver();
    return true;
  }

  private void writeStateOver() {
    String text = state.encode();
    if (!text.equals(written)) {
      deployer.annotate(splitter, RolloutState.KEY, text);
      written = text;
    }
  }

  /** Whether the stored state is what we last wrote: not aborted, deleted or replaced. */
  private boolean stillOurs() {
    return Objects.equals(deployer.annotations(splitter).get(RolloutState.KEY), written);
  }

  private RolloutResult stoppedElsewhere() {
    String reason = "stopped from elsewhere (aborted, or the splitter was deleted)";
    emit(RolloutEvent.Type.ABORTED, state.step(), null, null, "aborted: " + reason);
    return result(Outcome.ABORTED, null, null, reason, Map.of());
  }

  /** How the rollout ended, at the step its state has reached. */
  private RolloutResult result(
      Outcome outcome,
      @Nullable Gate gate,
      @Nullable Double observed,
      String reason,
      Map<String, Integer> weights) {
    return new RolloutResult(
        outcome, splitter, state.step() + 1, state.steps().size(), gate, observed, reason, weights);
  }

  private TrafficSplitter current() {
    return deployer.describe(splitter).spec();
  }

  private String stepOf(int index) {
    return (index + 1) + "/" + state.steps().size();
  }

  private void emit(
      RolloutEvent.Type type,
      int index,
      @Nullable Gate gate,
      @Nullable Double value,
      String message) {
    listener.onEvent(
        new RolloutEvent(
            type,
            splitter,
            index + 1,
            state.steps().size(),
            state.steps().get(index),
            gate,
            value,
            message));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String weights(TrafficSplitter spec) {
    return spec.apis().stream()
        .filter(api -> !api.shadow())
        .map(api -> api.name() + " " + api.weight())
        .collect(Collectors.joining(", "));
  }

  private static Map<String, Integer> weightMap(TrafficSplitter spec) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    spec.apis().forEach(api -> weights.put(api.name(), api.weight()));
    return weights;
  }

  /** A gate that failed with its value, or why the traffic could not tell, or neither: passed. */
  private record Verdict(
      @Nullable Gate failed, @Nullable Double value, @Nullable String inconclusive) {
    static Verdict inconclusive(String why) {
      return new Verdict(null, null, why);
    }
  }
}

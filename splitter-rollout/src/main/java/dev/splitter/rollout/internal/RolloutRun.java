package dev.splitter.rollout.internal;

import dev.splitter.SplitterException;
import dev.splitter.core.Deployer;
import dev.splitter.core.Display;
import dev.splitter.core.NotDeployedException;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutEvent;
import dev.splitter.rollout.RolloutException;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.rollout.RolloutResult;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.rollout.RolloutSpec;
import dev.splitter.rollout.Sleeper;
import dev.splitter.spi.Guard;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One rollout's steps, from the step its state has reached. Every write is guarded by the state
 * this run last wrote ({@link Deployer#deployIf}, {@link Deployer#annotateIf}): a step's weights
 * and its state are one write, so of two runs that read the same state only one writes, and a run
 * that an {@code abort} from elsewhere overtook writes nothing more. A cancelled run rolls back
 * between two writes, never in the middle of one. Not thread-safe: one run, one thread.
 */
@API(status = API.Status.INTERNAL)
public final class RolloutRun {
  private static final Duration MIN_WINDOW = Duration.ofSeconds(1);

  private final Deployer deployer;
  private final String splitter;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RolloutListener listener;
  private final Cancellation cancellation;
  private RolloutState state;
  private @Nullable String written;

  /**
   * @param stored the state's text as it is stored now (null for a new rollout): what this run's
   *     first write expects to find
   */
  public RolloutRun(
      Deployer deployer,
      String splitter,
      RolloutState state,
      @Nullable String stored,
      Clock clock,
      Sleeper sleeper,
      RolloutListener listener,
      Cancellation cancellation) {
    this.deployer = deployer;
    this.splitter = splitter;
    this.state = state;
    this.written = stored;
    this.clock = clock;
    this.sleeper = sleeper;
    this.listener = listener;
    this.cancellation = cancellation;
  }

  /**
   * Runs the steps from the one reached to the last, or to a rollback.
   *
   * @throws RolloutException if this is a new rollout and another started first (nothing written)
   */
  public RolloutResult run() {
    if (state.rollingBack()) {
      return rollBack(Outcome.ROLLED_BACK, null, null, "finished the rollback that was under way");
    }
    @Nullable TrafficSplitter spec = null;
    for (int index = state.step(); index < state.steps().size(); index++) {
      if (cancellation.cancelled() && written == null) {
        // Nothing written yet: nothing to restore.
        emit(RolloutEvent.Type.ABORTED, index, null, null, "aborted: cancelled");
        return result(Outcome.ABORTED, null, null, "cancelled", weightMap(current()));
      }
      if (cancellation.cancelled()) {
        return rollBack(Outcome.ABORTED, null, null, "cancelled");
      }
      RolloutState next = state.atStep(index, clock.instant());
      boolean starting = written == null;
      boolean wrote;
      try {
        spec = next.specAt(current(), index);
        wrote = write(spec, next);
      } catch (SplitterException e) {
        if (!ownsStoredState(next)) {
          throw e;
        }
        return rollBack(
            Outcome.ROLLED_BACK,
            null,
            null,
            "step " + stepOf(index) + " could not be deployed: " + e.getMessage());
      }
      if (!wrote && starting) {
        throw new RolloutException(
            "a rollout is already in progress on "
                + splitter
                + ": another started while this one was getting ready; nothing was written");
      }
      if (!wrote) {
        return overtaken();
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
              + (isShadowStep(index)
                  ? " as the shadow, on a copy of every request ("
                  : " at " + state.steps().get(index) + "% (")
              + weights(spec)
              + ")");
      RolloutResult ended = isShadowStep(index) ? bakeShadow(index) : bake(index);
      if (ended != null) {
        return ended;
      }
    }
    if (cancellation.cancelled()) {
      return rollBack(Outcome.ABORTED, null, null, "cancelled");
    }
    int last = state.steps().size() - 1;
    if (!deployer.annotateIf(splitter, Guard.of(RolloutState.KEY, written, null))) {
      return overtaken();
    }
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
   * Restores the weights from before the rollout and drops its state: first the state is marked as
   * rolling back (so that a process that dies here leaves a rollback for {@code abort} or {@code
   * resume} to finish), then the weights and the state's removal are one guarded write.
   *
   * @throws RolloutException if the weights could not be restored; the state stays, marked as
   *     rolling back, for another {@code abort} to finish
   */
  public RolloutResult rollBack(
      Outcome outcome, @Nullable Gate gate, @Nullable Double observed, String reason) {
    RolloutResult result = tryRollBack(outcome, gate, observed, reason);
    return result != null ? result : overtaken();
  }

  /**
   * {@link #rollBack}, or null, having written nothing more, if another writer changed the state
   * since this run last read or wrote it.
   */
  public @Nullable RolloutResult tryRollBack(
      Outcome outcome, @Nullable Gate gate, @Nullable Double observed, String reason) {
    try {
      RolloutState back = state.toRollBack();
      if (!write(null, back)) {
        return null;
      }
      TrafficSplitter restored = state.restored(current());
      if (!deployer.deployIf(restored, Guard.of(RolloutState.KEY, written, null))) {
        return null;
      }
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
    }
  }

  /**
   * Waits out the step and gates it; null when it passed, else how the rollout ended.
   *
   * <p>Threshold gates and {@code minRequests} read the step's own traffic when the interval has
   * baked, and again after each further interval while the step is inconclusive. Sequential gates
   * read the traffic since the rollout's first step at every check ({@code checkEvery}): one
   * confidence sequence for the whole rollout, so its confidence holds over every check of every
   * step, and a step at 100 % still has the baseline's earlier traffic to compare with. One that
   * fails rolls back at once, mid-step; the step ends at the first check, once the interval has
   * baked and the step has its requests, where every gate has passed.
   */
  private @Nullable RolloutResult bake(int index) {
    Instant stepStarted = clock.instant();
    Instant rolloutStarted = state.started() != null ? state.started() : stepStarted;
    boolean sequential = state.gates().stream().anyMatch(Gate::sequential);
    Duration tick = sequential ? state.checkEvery() : state.interval();
    long ticksPerInterval = sequential ? ticks(state.interval(), tick) : 1;
    double alpha = 1 - state.confidence();
    Set<Gate> passed = new HashSet<>();
    boolean stepPassed = false;
    @Nullable String stepWait = null;
    int intervals = 0;
    for (long ticked = 1; ; ticked++) {
      if (cancellation.sleep(sleeper, tick)) {
        return rollBack(Outcome.ABORTED, null, null, "cancelled");
      }
      if (!Objects.equals(storedText(), written)) {
        return overtaken();
      }
      @Nullable String undecided = null;
      if (sequential) {
        Verdict verdict = decideSequential(index, traffic(rolloutStarted), alpha, passed);
        if (verdict.failed != null) {
          return rollBack(
              Outcome.ROLLED_BACK, verdict.failed, verdict.value, requireText(verdict.reason));
        }
        undecided = verdict.inconclusive;
      }
      boolean intervalEnds = ticked % ticksPerInterval == 0;
      if (intervalEnds) {
        intervals++;
        if (!stepPassed) {
          Verdict verdict = evaluateStep(index, stepStarted);
          if (verdict.failed != null) {
            return rollBack(
                Outcome.ROLLED_BACK, verdict.failed, verdict.value, requireText(verdict.reason));
          }
          stepPassed = verdict.inconclusive == null;
          stepWait = verdict.inconclusive;
        }
      }
      if (intervals == 0) {
        continue;
      }
      @Nullable String waiting = stepPassed ? undecided : stepWait;
      if (waiting == null) {
        return null;
      }
      if (!intervalEnds) {
        continue;
      }
      RolloutResult ended = inconclusive(index, intervals, waiting);
      if (ended != null) {
        return ended;
      }
    }
  }

  /**
   * After an interval that could not decide: rolled back if it was the last one allowed, else null
   * (an event says the step waits another interval).
   */
  private @Nullable RolloutResult inconclusive(int index, int intervals, String waiting) {
    if (intervals > state.maxInconclusive()) {
      return rollBack(
          Outcome.ROLLED_BACK,
          null,
          null,
          "inconclusive after " + intervals + " intervals: " + waiting);
    }
    emit(
        RolloutEvent.Type.INCONCLUSIVE,
        index,
        null,
        null,
        "step "
            + stepOf(index)
            + ": inconclusive: "
            + waiting
            + "; waiting another "
            + state.interval()
            + " ("
            + intervals
            + " of "
            + state.maxInconclusive()
            + ")");
    return null;
  }

  /**
   * The shadow step: waits out each interval, then reads how the candidate's answers compared with
   * the live ones since the step was written; null once its agreement passes, else how the rollout
   * ended.
   */
  private @Nullable RolloutResult bakeShadow(int index) {
    Gate gate = state.gates().stream().filter(Gate::shadow).findFirst().orElseThrow();
    for (int intervals = 1; ; intervals++) {
      if (cancellation.sleep(sleeper, state.interval())) {
        return rollBack(Outcome.ABORTED, null, null, "cancelled");
      }
      if (!Objects.equals(storedText(), written)) {
        return overtaken();
      }
      String waiting;
      try {
        ShadowReport report =
            deployer
                .shadowReport(splitter)
                .orElseThrow(() -> new RolloutException(splitter + " has no shadow any more"));
        if (report.compared() < state.minRequests()) {
          waiting =
              state.candidate()
                  + "'s answers were compared "
                  + report.compared()
                  + " times, fewer than "
                  + state.minRequests();
        } else {
          double agreement = report.agreement().orElse(0);
          boolean passes = gate.passes(agreement);
          String said =
              gate.name()
                  + " "
                  + gate.format(agreement)
                  + (passes ? " >= " : " < ")
                  + gate.format(gate.threshold())
                  + " of "
                  + report.compared()
                  + " compared";
          emit(
              RolloutEvent.Type.GATE_EVALUATED,
              index,
              gate,
              agreement,
              "step " + stepOf(index) + ": " + said + (passes ? ": pass" : ": fail"));
          return passes ? null : rollBack(Outcome.ROLLED_BACK, gate, agreement, said);
        }
      } catch (SplitterException e) {
        waiting = "no shadow comparison: " + e.getMessage();
      }
      RolloutResult ended = inconclusive(index, intervals, waiting);
      if (ended != null) {
        return ended;
      }
    }
  }

  private boolean isShadowStep(int index) {
    return state.steps().get(index) == RolloutSpec.SHADOW_STEP;
  }

  /** Checks of {@code tick} in one {@code interval}, at least one. */
  private static long ticks(Duration interval, Duration tick) {
    long whole = interval.toNanos() / tick.toNanos();
    return Math.max(1, whole + (interval.toNanos() % tick.toNanos() == 0 ? 0 : 1));
  }

  /** The figures since {@code since}, or why the metrics source could not give them. */
  private Traffic traffic(Instant since) {
    // At least a second: metrics sources count whole seconds (Prometheus refuses "[0s]").
    Duration window = max(Duration.between(since, clock.instant()), MIN_WINDOW);
    try {
      MetricsReport report =
          deployer.traffic(splitter, List.of(state.baseline(), state.candidate()), window);
      return new Traffic(
          report.metrics().getOrDefault(state.candidate(), TargetMetrics.NONE),
          report.metrics().getOrDefault(state.baseline(), TargetMetrics.NONE),
          window,
          null);
    } catch (SplitterException e) {
      // A source that cannot answer never lets a step pass.
      return new Traffic(
          TargetMetrics.NONE,
          TargetMetrics.NONE,
          window,
          "the metrics source could not answer: " + e.getMessage());
    }
  }

  /**
   * The sequential gates on the traffic since the rollout's first step: the first that fails, or
   * why some are still undecided, or neither (all passed). A gate that passed stays passed for the
   * step.
   */
  private Verdict decideSequential(int index, Traffic traffic, double alpha, Set<Gate> passed) {
    if (traffic.failure() != null) {
      return Verdict.inconclusive(traffic.failure());
    }
    if (traffic.candidate().requests() < state.minRequests()) {
      return Verdict.inconclusive(fewRequests(traffic.candidate()));
    }
    List<String> open = new ArrayList<>();
    for (Gate gate : state.gates()) {
      if (!gate.sequential() || passed.contains(gate)) {
        continue;
      }
      Optional<SequentialGates.Decision> decision =
          SequentialGates.decide(gate, traffic.candidate(), traffic.baselineFigures(), alpha);
      if (decision.isEmpty()) {
        open.add(
            gate.name()
                + (gate.kind() == Gate.Kind.LATENCY_VS_BASELINE
                    ? " has no latency distribution to compare yet"
                    : " has no baseline traffic to compare with yet"));
        continue;
      }
      SequentialGates.Decision decided = decision.get();
      if (decided.outcome() == SequentialGates.Outcome.UNDECIDED) {
        open.add(decided.describe() + ": not decided yet");
        continue;
      }
      boolean passes = decided.outcome() == SequentialGates.Outcome.PASS;
      String said =
          decided.describe() + " at " + Display.percentOf(state.confidence()) + "% confidence";
      emit(
          RolloutEvent.Type.GATE_EVALUATED,
          index,
          gate,
          decided.interval().estimate(),
          "step " + stepOf(index) + ": " + said + (passes ? ": pass" : ": fail"));
      if (!passes) {
        return new Verdict(gate, decided.interval().estimate(), null, said);
      }
      passed.add(gate);
    }
    return open.isEmpty() ? Verdict.PASSED : Verdict.inconclusive(String.join("; ", open));
  }

  /** The step's own traffic so far: its candidate requests, and the threshold gates on it. */
  private Verdict evaluateStep(int index, Instant stepStarted) {
    Traffic traffic = traffic(stepStarted);
    if (traffic.failure() != null) {
      return Verdict.inconclusive(traffic.failure());
    }
    TargetMetrics candidate = traffic.candidate();
    TargetMetrics baseline = traffic.baselineFigures();
    if (candidate.requests() < state.minRequests()) {
      return Verdict.inconclusive(
          state.candidate()
              + " served "
              + candidate.requests()
              + " requests in "
              + traffic.window().toSeconds()
              + " s, fewer than "
              + state.minRequests());
    }
    for (Gate gate : state.gates()) {
      if (gate.sequential() || gate.shadow()) {
        continue;
      }
      OptionalDouble value = gate.measure(candidate, baseline, state.referenceLatency());
      if (value.isEmpty()) {
        return Verdict.inconclusive(gate.kind().label() + " has nothing to measure yet");
      }
      boolean passes = gate.passes(value.getAsDouble());
      String said =
          gate.kind().label()
              + " "
              + gate.format(value.getAsDouble())
              + (passes ? " <= " : " > ")
              + gate.format(gate.threshold());
      emit(
          RolloutEvent.Type.GATE_EVALUATED,
          index,
          gate,
          value.getAsDouble(),
          "step " + stepOf(index) + ": " + said + (passes ? ": pass" : ": fail"));
      if (!passes) {
        return new Verdict(gate, value.getAsDouble(), null, said);
      }
    }
    state = state.withReference(baseline.averageLatency());
    return Verdict.PASSED;
  }

  private String fewRequests(TargetMetrics candidate) {
    return state.candidate()
        + " served "
        + candidate.requests()
        + " requests since the rollout started, fewer than "
        + state.minRequests();
  }

  private static String requireText(@Nullable String text) {
    return Objects.requireNonNull(text);
  }

  /**
   * The two targets' figures over a window.
   *
   * @param failure why the metrics source could not answer; null when it did
   */
  private record Traffic(
      TargetMetrics candidate,
      TargetMetrics baselineFigures,
      Duration window,
      @Nullable String failure) {}

  /**
   * Writes {@code next} as the state, with {@code spec}'s weights in the same write (or the state
   * alone), guarded by the state this run last wrote.
   *
   * @return false, with nothing written, if another writer changed the state meanwhile
   */
  private boolean write(@Nullable TrafficSplitter spec, RolloutState next) {
    String text = next.encode();
    Guard guard = Guard.of(RolloutState.KEY, written, text);
    boolean wrote =
        spec == null
            ? text.equals(written) || deployer.annotateIf(splitter, guard)
            : deployer.deployIf(spec, guard);
    if (wrote) {
      state = next;
      written = text;
    }
    return wrote;
  }

  /**
   * After a step's write failed: whether the stored state is this run's, the one it last wrote or
   * the step's (written before the failing part of the write). Adopts the step's.
   */
  private boolean ownsStoredState(RolloutState next) {
    String stored;
    try {
      stored = storedText();
    } catch (SplitterException e) {
      return written != null;
    }
    if (stored != null && stored.equals(next.encode())) {
      state = next;
      written = stored;
      return true;
    }
    return stored != null && stored.equals(written);
  }

  private @Nullable String storedText() {
    return deployer.annotations(splitter).get(RolloutState.KEY);
  }

  /**
   * Another writer changed the state since this run last wrote it: an {@code abort} from elsewhere
   * (its rollback, if still under way, is finished here too), a delete, or a rollout that came
   * after one. Says what the splitter routes now.
   */
  private RolloutResult overtaken() {
    String reason = "stopped from elsewhere (aborted, or the splitter was deleted)";
    try {
      String stored = storedText();
      RolloutState other = stored == null ? null : RolloutState.decode(stored).orElse(null);
      if (other != null && other.rollingBack() && other.id().equals(state.id())) {
        state = other;
        written = stored;
        RolloutResult finished = tryRollBack(Outcome.ABORTED, null, null, "aborted from elsewhere");
        if (finished != null) {
          return finished;
        }
      }
      Map<String, Integer> weights = weightMap(current());
      emit(RolloutEvent.Type.ABORTED, state.step(), null, null, "aborted: " + reason);
      return result(Outcome.ABORTED, null, null, reason, weights);
    } catch (NotDeployedException e) {
      emit(RolloutEvent.Type.ABORTED, state.step(), null, null, "aborted: " + reason);
      return result(Outcome.ABORTED, null, null, "the splitter was deleted", Map.of());
    }
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

  /**
   * A gate that failed with its value and what it measured in words, or why the traffic could not
   * tell, or neither: passed.
   */
  private record Verdict(
      @Nullable Gate failed,
      @Nullable Double value,
      @Nullable String inconclusive,
      @Nullable String reason) {
    static final Verdict PASSED = new Verdict(null, null, null, null);

    static Verdict inconclusive(String why) {
      return new Verdict(null, null, why, null);
    }
  }
}

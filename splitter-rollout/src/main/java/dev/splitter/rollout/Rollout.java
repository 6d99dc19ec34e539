package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.model.internal.Required;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.rollout.internal.Cancellation;
import dev.splitter.rollout.internal.RolloutRun;
import dev.splitter.rollout.internal.RolloutState;
import dev.splitter.rollout.internal.RolloutThread;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Moves a deployed splitter's weight from a baseline to a candidate in steps, on any backend,
 * checking gates on each step's traffic and restoring the weights from before the rollout as soon
 * as one fails.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder()
 *     .deployer(deployer)                  // any backend
 *     .splitter("traffic-splitter")        // a deployed splitter
 *     .baseline("my-api")                  // loses weight
 *     .candidate("my-api-v2")              // gains weight; added at 0 if not yet a target
 *     .steps(5, 25, 50, 100)               // the candidate's share at each step, in percent
 *     .interval(Duration.ofMinutes(5))     // bake time per step
 *     .gate(Gate.maxErrorRate(0.01))       // candidate 5XX / requests, over this step only
 *     .gate(Gate.maxLatencyRatio(1.2))     // candidate avg latency / baseline's, this step only
 *     .minRequests(200)                    // fewer: inconclusive, wait another interval
 *     .listener(event -> System.out.println(event.message()))
 *     .build();
 * RolloutResult result = rollout.run();
 * }</pre>
 *
 * <p>The baseline and candidate share the weight they held together before the rollout; every other
 * target keeps its own. A step is the candidate's percentage of that shared weight, and must come
 * out whole: with 20 between them, steps of 5 % (weight 1) fit and 3 % does not. Every step is
 * checked by {@link Deployer#plan} before anything is written, and deployed by {@link
 * Deployer#deploy}, with its validation and read-back.
 *
 * <p>Each step's gates read the metrics source over that step's time only. Fewer than {@code
 * minRequests} candidate requests, or a metrics source that cannot answer, makes the step
 * inconclusive: it waits another interval, up to {@code maxInconclusive} times, then rolls back. An
 * inconclusive step never passes.
 *
 * <p>The rollout's state (the weights from before, the steps, the step reached, the gates) is kept
 * on the splitter's routing object, so a rollout whose process died can be finished with {@link
 * #resume} or undone with {@link #abort} from anywhere; a second rollout on the same splitter is
 * refused meanwhile. A deploy of the splitter by hand keeps it (only {@code abort} or the end of
 * the rollout clears it); deleting the splitter drops it with the routing object.
 *
 * <p>One run per instance at a time; build another for another splitter. {@link #cancel} may be
 * called from any thread; once cancelled, an instance stays cancelled.
 */
public final class Rollout {
  /** The most steps a rollout may have: its state must fit one annotation on every backend. */
  public static final int MAX_STEPS = 20;

  /** Tries an abort makes when the rollout it aborts moves on between its read and its write. */
  private static final int ABORT_ATTEMPTS = 5;

  private final Deployer deployer;
  private final String splitter;
  private final @Nullable String baseline;
  private final String candidate;
  private final List<Integer> steps;
  private final Duration interval;
  private final List<Gate> gates;
  private final long minRequests;
  private final int maxInconclusive;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RolloutListener listener;
  private final Cancellation cancellation = new Cancellation();

  private Rollout(Builder builder) {
    this.deployer = Required.value(builder.deployer, "deployer");
    this.splitter = Required.value(builder.splitter, "splitter");
    this.baseline = builder.baseline;
    this.candidate = Required.value(builder.candidate, "candidate");
    this.steps = List.copyOf(builder.steps);
    this.interval = builder.interval;
    this.gates = List.copyOf(builder.gates);
    this.minRequests = builder.minRequests;
    this.maxInconclusive = builder.maxInconclusive;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.listener = builder.listener;
    checkSteps();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the rollout to its end: every step, or a rollback. The work (backend calls, waits,
   * listener events) happens on a thread of the rollout's own, which nothing else interrupts; this
   * thread waits for it. {@link #cancel} or an interrupt of this thread stops it: it restores the
   * weights from before, finishing any write it is in first, and returns {@link Outcome#ABORTED}
   * (an interrupt is kept on this thread's flag).
   *
   * @throws RolloutException if the steps do not fit the splitter, its backend keeps no
   *     annotations, or a rollout is already in progress on it (nothing was written), or if a
   *     rollback failed (its state is kept)
   * @throws dev.splitter.InvalidConfigException if a step's weights break a rule (nothing was
   *     written)
   * @throws dev.splitter.core.NotDeployedException if the splitter is not deployed
   */
  public RolloutResult run() {
    return RolloutThread.run(splitter, cancellation, this::runHere);
  }

  /**
   * Stops this rollout as soon as it can: a write in progress ends first, then the weights from
   * before the rollout are restored and {@link #run} returns {@link Outcome#ABORTED}. A rollout
   * waiting out a step stops at once. Before {@code run}, makes {@code run} return at once with
   * nothing written. Callable from any thread, any number of times.
   */
  public void cancel() {
    cancellation.cancel();
  }

  private RolloutResult runHere() {
    if (cancellation.cancelled()) {
      return new RolloutResult(
          Outcome.ABORTED,
          splitter,
          0,
          steps.size(),
          null,
          null,
          "cancelled before it started",
          Map.of());
    }
    refuseWithoutAnnotations(deployer, splitter);
    TrafficSplitter current = deployer.describe(splitter).spec();
    refuseIfInProgress();
    RolloutState state = plan(current);
    for (int index = 0; index < steps.size(); index++) {
      deployer.plan(SplitterConfig.of(state.specAt(current, index)));
    }
    return new RolloutRun(deployer, splitter, state, null, clock, sleeper, listener, cancellation)
        .run();
  }

  /**
   * Goes on with the rollout in progress on a splitter, from the step it had reached (that step's
   * bake time starts again), or finishes its rollback if it was rolling back. Waits with {@link
   * Thread#sleep}; use {@link Builder#resume} for another clock or a listener. An interrupt of this
   * thread stops it as {@link #cancel} does a run.
   *
   * @throws RolloutException if no rollout is in progress on it
   */
  public static RolloutResult resume(Deployer deployer, String splitter) {
    return builder().deployer(deployer).splitter(splitter).resume();
  }

  /**
   * Stops the rollout in progress on a splitter and restores the weights from before it. A rollout
   * still running elsewhere writes nothing more: its next write finds the state changed.
   *
   * @throws RolloutException if no rollout is in progress on it, or the weights could not be
   *     restored (its state is kept: abort again)
   */
  public static RolloutResult abort(Deployer deployer, String splitter) {
    return builder().deployer(deployer).splitter(splitter).abort();
  }

  /**
   * The rollout in progress on a splitter, in words (the step reached and its weights); empty if
   * none.
   */
  public static Optional<String> inProgress(Deployer deployer, String splitter) {
    return stored(deployer, splitter)
        .map(
            stored ->
                stored.state() == null
                    ? "a rollout whose state cannot be read: " + stored.text()
                    : describe(stored.state()));
  }

  private static String describe(RolloutState state) {
    return (state.rollingBack() ? "rolling back " : "")
        + state.candidate()
        + " against "
        + state.baseline()
        + ", step "
        + (state.step() + 1)
        + "/"
        + state.steps().size()
        + " ("
        + state.steps().get(state.step())
        + "%)";
  }

  private static void refuseWithoutAnnotations(Deployer deployer, String splitter) {
    if (!deployer.capabilities().annotations()) {
      throw new RolloutException(
          "cannot roll out on "
              + splitter
              + ": the "
              + deployer.capabilities().backend()
              + " backend keeps no annotations, where a rollout keeps its state");
    }
  }

  private void refuseIfInProgress() {
    Optional<String> running = inProgress(deployer, splitter);
    if (running.isPresent()) {
      throw new RolloutException(
          "a rollout is already in progress on "
              + splitter
              + ": "
              + running.get()
              + "; resume or abort it first");
    }
  }

  /** The state at the start, once the steps are checked against the splitter as deployed. */
  private RolloutState plan(TrafficSplitter current) {
    TargetApi candidateTarget = target(current, candidate).orElse(null);
    if (candidateTarget != null && candidateTarget.shadow()) {
      throw refuse(candidate + " is " + splitter + "'s shadow; a candidate must take live traffic");
    }
    String baselineName = baseline != null ? baseline : onlyOther(current);
    TargetApi baselineTarget =
        target(current, baselineName)
            .orElseThrow(
                () -> refuse("the baseline " + baselineName + " is not a target of " + splitter));
    if (baselineTarget.shadow()) {
      throw refuse(baselineName + " is " + splitter + "'s shadow, not a baseline");
    }
    if (baselineName.equals(candidate)) {
      throw refuse("the baseline and the candidate are both " + candidate);
    }
    RolloutState state =
        new RolloutState(
            RolloutState.newId(),
            false,
            baselineName,
            candidate,
            baselineTarget.weight(),
            candidateTarget == null ? null : candidateTarget.weight(),
            steps,
            0,
            interval,
            gates,
            minRequests,
            maxInconclusive,
            null);
    int pool = state.pool();
    if (pool == 0) {
      throw refuse(baselineName + " and " + candidate + " hold no weight between them to shift");
    }
    for (int step : steps) {
      if (pool * step % 100 != 0) {
        throw refuse(
            "step "
                + step
                + "% of the "
                + pool
                + " weight "
                + baselineName
                + " and "
                + candidate
                + " share is not a whole weight; use multiples of "
                + 100 / gcd(pool, 100)
                + "%");
      }
    }
    try {
      state.encode();
    } catch (IllegalArgumentException e) {
      throw refuse("its state does not fit an annotation: " + e.getMessage());
    }
    return state;
  }

  /** The one live target besides the candidate, when no baseline was named. */
  private String onlyOther(TrafficSplitter current) {
    List<String> others =
        current.apis().stream()
            .filter(api -> !api.shadow() && api.weight() > 0 && !api.name().equals(candidate))
            .map(TargetApi::name)
            .toList();
    if (others.size() != 1) {
      throw refuse(
          "name the baseline: "
              + splitter
              + " has "
              + (others.isEmpty() ? "no target" : others.size() + " targets " + others)
              + " with weight besides "
              + candidate);
    }
    return others.get(0);
  }

  private void checkSteps() {
    boolean comparesLatency =
        gates.stream().anyMatch(gate -> gate.kind() == Gate.Kind.MAX_LATENCY_RATIO);
    if (comparesLatency && steps.get(0) == 100) {
      throw new IllegalArgumentException(
          "max-latency-ratio compares with the baseline, which takes no traffic at 100%: add an"
              + " earlier step");
    }
  }

  private RolloutException refuse(String why) {
    return new RolloutException("cannot roll out " + candidate + " on " + splitter + ": " + why);
  }

  private static Optional<TargetApi> target(TrafficSplitter spec, String name) {
    return spec.apis().stream().filter(api -> api.name().equals(name)).findFirst();
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static Optional<Stored> stored(Deployer deployer, String splitter) {
    String text = deployer.annotations(splitter).get(RolloutState.KEY);
    return text == null
        ? Optional.empty()
        : Optional.of(new Stored(text, RolloutState.decode(text).orElse(null)));
  }

  /** The stored text, and the state in it unless it cannot be read. */
  private record Stored(String text, @Nullable RolloutState state) {}

  /** Builds a {@link Rollout}, or resumes or aborts one in progress. Not thread-safe. */
  public static final class Builder {
    private @Nullable Deployer deployer;
    private @Nullable String splitter;
    private @Nullable String baseline;
    private @Nullable String candidate;
    private List<Integer> steps = List.of(5, 25, 50, 100);
    private Duration interval = Duration.ofMinutes(5);
    private final List<Gate> gates = new ArrayList<>();
    private long minRequests = 100;
    private int maxInconclusive = 3;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.threadSleep();
    private RolloutListener listener = RolloutListener.none();

    private Builder() {}

    /** The deployer of the splitter's backend. Required. */
    public Builder deployer(Deployer deployer) {
      this.deployer = requireNonNull(deployer, "deployer");
      return this;
    }

    /** The deployed splitter to roll out on. Required. */
    public Builder splitter(String splitter) {
      this.splitter = requireNonNull(splitter, "splitter");
      return this;
    }

    /**
     * The target that gives up weight. Default: the splitter's one target with weight besides the
     * candidate (refused if there are several).
     */
    public Builder baseline(String baseline) {
      this.baseline = requireNonNull(baseline, "baseline");
      return this;
    }

    /** The target that gains weight; added at weight 0 if it is not yet a target. Required. */
    public Builder candidate(String candidate) {
      this.candidate = requireNonNull(candidate, "candidate");
      return this;
    }

    /**
     * The candidate's share of the weight it and the baseline hold, in percent, at each step;
     * rising, within 1..100, at most {@value Rollout#MAX_STEPS}. Default: 5, 25, 50, 100.
     *
     * @throws IllegalArgumentException if they do not rise within 1..100
     */
    public Builder steps(int... steps) {
      if (steps.length == 0 || steps.length > MAX_STEPS) {
        throw new IllegalArgumentException(
            "a rollout needs 1 to " + MAX_STEPS + " steps, got " + steps.length);
      }
      int previous = 0;
      for (int step : steps) {
        if (step <= previous || step > 100) {
          throw new IllegalArgumentException(
              "steps must rise within 1..100, got "
                  + Arrays.toString(steps)
                  + " ("
                  + step
                  + " after "
                  + previous
                  + ")");
        }
        previous = step;
      }
      this.steps = Arrays.stream(steps).boxed().toList();
      return this;
    }

    /** Bake time per step before its gates are read. Default: five minutes. */
    public Builder interval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive, got " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** Adds a gate every step must pass. Default: none (a step passes on traffic alone). */
    public Builder gate(Gate gate) {
      this.gates.add(requireNonNull(gate, "gate"));
      return this;
    }

    /** Candidate requests a step needs before its gates count. Default: 100; at least 1. */
    public Builder minRequests(long minRequests) {
      if (minRequests < 1) {
        throw new IllegalArgumentException("minRequests must be at least 1, got " + minRequests);
      }
      this.minRequests = minRequests;
      return this;
    }

    /** Extra intervals an inconclusive step may wait before the rollout rolls back. Default: 3. */
    public Builder maxInconclusive(int intervals) {
      if (intervals < 0) {
        throw new IllegalArgumentException("maxInconclusive must be >= 0, got " + intervals);
      }
      this.maxInconclusive = intervals;
      return this;
    }

    /** The clock that times each step's traffic window. Default: the system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** What waits out each interval. Default: {@link Sleeper#threadSleep}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Hears each step, gate and ending. Default: nothing hears. */
    public Builder listener(RolloutListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the rollout; nothing is read or written until {@link Rollout#run}.
     *
     * @throws IllegalArgumentException if a latency gate has no step where the baseline takes
     *     traffic
     */
    public Rollout build() {
      return new Rollout(this);
    }

    /**
     * Goes on with the rollout in progress on the splitter with this builder's clock, sleeper and
     * listener; the rest comes from the stored state. See {@link Rollout#resume}.
     */
    public RolloutResult resume() {
      Cancellation cancellation = new Cancellation();
      return RolloutThread.run(
          Required.value(splitter, "splitter"),
          cancellation,
          () -> runInProgress(cancellation).run());
    }

    /**
     * Aborts the rollout in progress on the splitter. See {@link Rollout#abort}. A rollout that
     * moves to its next step meanwhile is aborted at that step.
     */
    public RolloutResult abort() {
      Cancellation cancellation = new Cancellation();
      return RolloutThread.run(
          Required.value(splitter, "splitter"),
          cancellation,
          () -> {
            for (int attempt = 1; ; attempt++) {
              RolloutResult aborted =
                  runInProgress(cancellation).tryRollBack(Outcome.ABORTED, null, null, "aborted");
              if (aborted != null) {
                return aborted;
              }
              if (attempt == ABORT_ATTEMPTS) {
                throw new RolloutException(
                    "the rollout on "
                        + splitter
                        + " changed its state "
                        + ABORT_ATTEMPTS
                        + " times while it was being aborted; abort again");
              }
            }
          });
    }

    /** The rollout in progress on the splitter, from its stored state, to go on with or undo. */
    private RolloutRun runInProgress(Cancellation cancellation) {
      Deployer target = Required.value(deployer, "deployer");
      String name = Required.value(splitter, "splitter");
      refuseWithoutAnnotations(target, name);
      Stored stored = readable(target, name);
      return new RolloutRun(
          target,
          name,
          requireNonNull(stored.state()),
          stored.text(),
          clock,
          sleeper,
          listener,
          cancellation);
    }

    private static Stored readable(Deployer deployer, String splitter) {
      Stored stored =
          stored(deployer, splitter)
              .orElseThrow(() -> new RolloutException("no rollout is in progress on " + splitter));
      if (stored.state() == null) {
        throw new RolloutException(
            "the rollout state on "
                + splitter
                + " cannot be read (edited by hand, or written by a newer splitter): "
                + stored.text());
      }
      return stored;
    }
  }
}

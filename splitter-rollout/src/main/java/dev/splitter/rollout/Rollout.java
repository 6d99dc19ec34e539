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
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Moves a deployed splitter's weight from a baseline to a candidate in steps, on any backend,
 * checking gates on each step's traffic and restoring the weights from before the rollout as soon
 * as one fails.
 *
 * <pre>{@code
 * Rollout rollout = Rollout.builder()
 *     .deployer(deployer)                  // any backend that keeps annotations
 *     .splitter("traffic-splitter")        // a deployed splitter
 *     .baseline("my-api")                  // loses weight
 *     .candidate("my-api-v2")              // gains weight; added at 0 if not yet a target
 *     .steps(5, 25, 50, 100)               // the candidate's share at each step, in percent
 *     .interval(Duration.ofMinutes(5))     // bake time per step
 *     .gate(Gate.maxErrorRate(0.01))       // candidate 5XX / requests, over this step only
 *     .gate(Gate.maxLatencyRatio(1.2))     // candidate avg latency / baseline's, this step only
 *     .gate(Gate.errorRateVsBaseline(0.005)) // sequential: decided at every check, mid-step
 *     .gate(Gate.latencyVsBaseline(0.95, 1.2)) // candidate p95 / baseline's, with an interval
 *     .gate(Gate.minShadowAgreement(0.99)) // first a shadow step: 99 % of answers as the live ones
 *     .confidence(0.95)                    // for the sequential gates, over the whole rollout
 *     .checkEvery(Duration.ofSeconds(30))  // default: a tenth of the interval
 *     .minRequests(200)                    // fewer: inconclusive, wait another interval
 *     .listener(event -> System.out.println(event.message()))
 *     .build();
 * RolloutResult result = rollout.run();    // rollout.cancel() from another thread stops it
 * }</pre>
 *
 * <p>The baseline and candidate share the weight they held together before the rollout; every other
 * target keeps its own. A step is the candidate's percentage of that shared weight, and must come
 * out whole: with 20 between them, steps of 5 % (weight 1) fit and 3 % does not. Every step is
 * checked by {@link Deployer#plan} before anything is written, and deployed with its state by
 * {@link Deployer#deployIf}, with its validation and read-back.
 *
 * <p>Each step's threshold gates read the metrics source over that step's time only. Fewer than
 * {@code minRequests} candidate requests in the step, or a metrics source that cannot answer, makes
 * the step inconclusive: it waits another interval, up to {@code maxInconclusive} times, then rolls
 * back. An inconclusive step never passes. Sequential gates ({@link Gate}) look at every {@code
 * checkEvery}, on the traffic since the rollout's first step (one confidence sequence for the whole
 * rollout): one that fails rolls back at once, mid-step; a step ends at the first check after its
 * interval where every gate has passed; one still undecided keeps the step going, as an
 * inconclusive one. At a step where the baseline takes no traffic (100 %), they compare with its
 * traffic of the earlier steps.
 *
 * <p>The rollout's state (its {@link RolloutSpec}, the weights from before, the step reached) is
 * kept on the splitter's routing object, so a rollout whose process died can be finished with
 * {@link Builder#resume} or undone with {@link #abort} from anywhere; a second rollout on the same
 * splitter is refused meanwhile. Every write of a step is guarded by the state its writer last saw,
 * so of two rollouts started together one is refused, and one stopped from elsewhere writes nothing
 * more (see each backend's guarantee). A deploy of the splitter by hand keeps the state (only
 * {@code abort} or the end of the rollout clears it); deleting the splitter drops it with the
 * routing object.
 *
 * <p>One run per instance at a time; build another for another splitter. {@link #cancel} may be
 * called from any thread; once cancelled, an instance stays cancelled.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Rollout {
  /** The most steps a rollout may have: its state must fit one annotation on every backend. */
  public static final int MAX_STEPS = 20;

  /** Tries an abort makes when the rollout it aborts moves on between its read and its write. */
  private static final int ABORT_ATTEMPTS = 5;

  private final Deployer deployer;
  private final String splitter;
  private final @Nullable RolloutSpec spec;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RolloutListener listener;
  private final Cancellation cancellation = new Cancellation();

  private Rollout(Builder builder, @Nullable RolloutSpec spec) {
    this.deployer = Required.value(builder.deployer, "deployer");
    this.splitter = Required.value(builder.splitter, "splitter");
    this.spec = spec;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.listener = builder.listener;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** What this rollout does; empty for one that resumes the rollout in progress. */
  public Optional<RolloutSpec> spec() {
    return Optional.ofNullable(spec);
  }

  /**
   * Runs the rollout to its end: every step, or a rollback; a resumed one goes on from the step its
   * state had reached (that step's bake time starts again), or finishes its rollback. The work
   * (backend calls, waits, listener events) happens on a thread of the rollout's own, which nothing
   * else interrupts; this thread waits for it. {@link #cancel} or an interrupt of this thread stops
   * it: it restores the weights from before, finishing any write it is in first, and returns {@link
   * Outcome#ABORTED} (an interrupt is kept on this thread's flag).
   *
   * @throws RolloutException if the steps do not fit the splitter, its backend keeps no
   *     annotations, a rollout is already in progress on it or (resuming) none is (nothing was
   *     written), or if a rollback failed (its state is kept)
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
   * nothing written.
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
          spec == null ? 0 : spec.steps().size(),
          null,
          null,
          "cancelled before it started",
          Map.of());
    }
    refuseWithoutAnnotations(deployer, splitter);
    if (spec == null) {
      Stored stored = readable(deployer, splitter);
      return run(requireNonNull(stored.state()), stored.text());
    }
    TrafficSplitter current = deployer.describe(splitter).spec();
    inProgress(deployer, splitter)
        .ifPresent(
            running -> {
              throw new RolloutException(
                  "a rollout is already in progress on "
                      + splitter
                      + ": "
                      + running
                      + "; resume or abort it first");
            });
    if (spec.shadowStep() && !deployer.comparesShadows()) {
      throw refuse(
          spec,
          "a min-shadow-agreement gate reads shadow comparisons, and the "
              + deployer.capabilities().backend()
              + " backend's metrics source makes none (the local gateway does)");
    }
    RolloutState state = plan(spec, current);
    for (int index = 0; index < spec.steps().size(); index++) {
      deployer.plan(SplitterConfig.of(state.specAt(current, index)));
    }
    return run(state, null);
  }

  private RolloutResult run(RolloutState state, @Nullable String stored) {
    return new RolloutRun(deployer, splitter, state, stored, clock, sleeper, listener, cancellation)
        .run();
  }

  /**
   * Goes on with the rollout in progress on a splitter, with the system clock and no listener; see
   * {@link Builder#resume} for more.
   *
   * @throws RolloutException if no rollout is in progress on it
   */
  public static RolloutResult resume(Deployer deployer, String splitter) {
    return builder().deployer(deployer).splitter(splitter).resume().build().run();
  }

  /**
   * Stops the rollout in progress on a splitter and restores the weights from before it. A rollout
   * still running elsewhere writes nothing more: its next write finds the state changed. One that
   * moves to its next step meanwhile is aborted at that step. An interrupt of this thread waits for
   * the weights to be restored and is kept on its flag.
   *
   * @throws RolloutException if no rollout is in progress on it, or the weights could not be
   *     restored (its state is kept: abort again)
   */
  public static RolloutResult abort(Deployer deployer, String splitter) {
    requireNonNull(deployer, "deployer");
    requireNonNull(splitter, "splitter");
    Cancellation cancellation = new Cancellation();
    return RolloutThread.run(
        splitter,
        cancellation,
        () -> {
          refuseWithoutAnnotations(deployer, splitter);
          for (int attempt = 1; ; attempt++) {
            Stored stored = readable(deployer, splitter);
            RolloutResult aborted =
                new RolloutRun(
                        deployer,
                        splitter,
                        requireNonNull(stored.state()),
                        stored.text(),
                        Clock.systemUTC(),
                        Sleeper.threadSleep(),
                        RolloutListener.none(),
                        cancellation)
                    .tryRollBack(Outcome.ABORTED, null, null, "aborted");
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

  /**
   * The rollout in progress on a splitter, as its routing object keeps it; empty if none.
   *
   * @throws RolloutException if there is a rollout state that cannot be read (edited by hand, or
   *     written by a newer splitter)
   */
  public static Optional<RolloutStatus> inProgress(Deployer deployer, String splitter) {
    String text = deployer.annotations(splitter).get(RolloutState.KEY);
    if (text == null) {
      return Optional.empty();
    }
    RolloutState state = readable(splitter, text);
    return Optional.of(
        new RolloutStatus(state.spec(splitter), state.step() + 1, state.rollingBack()));
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

  /** The state at the start, once the steps are checked against the splitter as deployed. */
  private static RolloutState plan(RolloutSpec spec, TrafficSplitter current) {
    String candidate = spec.candidate();
    String splitter = spec.splitter();
    TargetApi candidateTarget = target(current, candidate).orElse(null);
    if (candidateTarget != null && candidateTarget.shadow()) {
      throw refuse(
          spec, candidate + " is " + splitter + "'s shadow; a candidate must take live traffic");
    }
    String baselineName = spec.baseline() != null ? spec.baseline() : onlyOther(spec, current);
    TargetApi baselineTarget =
        target(current, baselineName)
            .orElseThrow(
                () ->
                    refuse(
                        spec, "the baseline " + baselineName + " is not a target of " + splitter));
    if (baselineTarget.shadow()) {
      throw refuse(spec, baselineName + " is " + splitter + "'s shadow, not a baseline");
    }
    if (baselineName.equals(candidate)) {
      throw refuse(spec, "the baseline and the candidate are both " + candidate);
    }
    if (spec.shadowStep()) {
      current.apis().stream()
          .filter(TargetApi::shadow)
          .findFirst()
          .ifPresent(
              other -> {
                throw refuse(
                    spec,
                    splitter
                        + " already mirrors to "
                        + other.name()
                        + ", and the shadow step needs the shadow's place; remove it first");
              });
    }
    RolloutState state =
        RolloutState.start(
            spec,
            baselineName,
            baselineTarget.weight(),
            candidateTarget == null ? null : candidateTarget.weight());
    int pool = state.pool();
    if (pool == 0) {
      throw refuse(
          spec, baselineName + " and " + candidate + " hold no weight between them to shift");
    }
    for (int step : spec.steps()) {
      if (pool * step % 100 != 0) {
        throw refuse(
            spec,
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
      throw refuse(spec, "its state does not fit an annotation: " + e.getMessage());
    }
    return state;
  }

  /** The one live target besides the candidate, when no baseline was named. */
  private static String onlyOther(RolloutSpec spec, TrafficSplitter current) {
    List<String> others =
        current.apis().stream()
            .filter(
                api -> !api.shadow() && api.weight() > 0 && !api.name().equals(spec.candidate()))
            .map(TargetApi::name)
            .toList();
    if (others.size() != 1) {
      throw refuse(
          spec,
          "name the baseline: "
              + spec.splitter()
              + " has "
              + (others.isEmpty() ? "no target" : others.size() + " targets " + others)
              + " with weight besides "
              + spec.candidate());
    }
    return others.get(0);
  }

  private static RolloutException refuse(RolloutSpec spec, String why) {
    return new RolloutException(
        "cannot roll out " + spec.candidate() + " on " + spec.splitter() + ": " + why);
  }

  private static Optional<TargetApi> target(TrafficSplitter spec, String name) {
    return spec.apis().stream().filter(api -> api.name().equals(name)).findFirst();
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** The stored state of the rollout in progress, which must be there and readable. */
  private static Stored readable(Deployer deployer, String splitter) {
    String text = deployer.annotations(splitter).get(RolloutState.KEY);
    if (text == null) {
      throw new RolloutException("no rollout is in progress on " + splitter);
    }
    return new Stored(text, readable(splitter, text));
  }

  private static RolloutState readable(String splitter, String text) {
    return RolloutState.decode(text)
        .orElseThrow(
            () ->
                new RolloutException(
                    "the rollout state on "
                        + splitter
                        + " cannot be read (edited by hand, or written by a newer splitter): "
                        + text));
  }

  /** The stored text, and the state in it. */
  private record Stored(String text, RolloutState state) {}

  /**
   * Builds a {@link Rollout}: a new one from a {@link RolloutSpec} (given whole, or field by
   * field), or, with {@link #resume}, the one in progress on a splitter. Not thread-safe.
   */
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
    private double confidence = RolloutSpec.DEFAULT_CONFIDENCE;
    private @Nullable Duration checkEvery;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.threadSleep();
    private RolloutListener listener = RolloutListener.none();
    private boolean resume;
    private final List<String> specSet = new ArrayList<>();

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

    /** Everything the rollout does at once: its splitter, targets, steps and gates. */
    public Builder spec(RolloutSpec spec) {
      requireNonNull(spec, "spec");
      this.splitter = spec.splitter();
      this.baseline = spec.baseline();
      this.candidate = spec.candidate();
      this.steps = spec.steps();
      this.interval = spec.interval();
      this.gates.clear();
      this.gates.addAll(spec.gates());
      this.minRequests = spec.minRequests();
      this.maxInconclusive = spec.maxInconclusive();
      this.confidence = spec.confidence();
      this.checkEvery = spec.checkEvery();
      return set("spec");
    }

    /**
     * The target that gives up weight. Default: the splitter's one target with weight besides the
     * candidate (refused if there are several).
     */
    public Builder baseline(String baseline) {
      this.baseline = requireNonNull(baseline, "baseline");
      return set("baseline");
    }

    /** The target that gains weight; added at weight 0 if it is not yet a target. Required. */
    public Builder candidate(String candidate) {
      this.candidate = requireNonNull(candidate, "candidate");
      return set("candidate");
    }

    /**
     * The candidate's share of the weight it and the baseline hold, in percent, at each step;
     * rising, within 1..100, at most {@value Rollout#MAX_STEPS}. Default: 5, 25, 50, 100.
     *
     * @throws IllegalArgumentException if they do not rise within 1..100
     */
    public Builder steps(int... steps) {
      List<Integer> list = Arrays.stream(steps).boxed().toList();
      RolloutSpec.checkSteps(list);
      this.steps = list;
      return set("steps");
    }

    /** Bake time per step before its gates are read. Default: five minutes. */
    public Builder interval(Duration interval) {
      RolloutSpec.checkInterval(interval);
      this.interval = interval;
      return set("interval");
    }

    /** Adds a gate every step must pass. Default: none (a step passes on traffic alone). */
    public Builder gate(Gate gate) {
      this.gates.add(requireNonNull(gate, "gate"));
      return set("gate");
    }

    /** Candidate requests a step needs before its gates count. Default: 100; at least 1. */
    public Builder minRequests(long minRequests) {
      RolloutSpec.checkMinRequests(minRequests);
      this.minRequests = minRequests;
      return set("minRequests");
    }

    /** Extra intervals an inconclusive step may wait before the rollout rolls back. Default: 3. */
    public Builder maxInconclusive(int intervals) {
      RolloutSpec.checkMaxInconclusive(intervals);
      this.maxInconclusive = intervals;
      return set("maxInconclusive");
    }

    /**
     * How sure sequential gates ({@link Gate#errorRateVsBaseline}, {@link Gate#latencyVsBaseline})
     * must be before they decide, over the whole rollout: the chance that one fails a candidate no
     * worse than it allows, at any of its checks in any step, is at most {@code 1 - confidence}.
     * Default: 0.95.
     */
    public Builder confidence(double confidence) {
      RolloutSpec.checkConfidence(confidence);
      this.confidence = confidence;
      return set("confidence");
    }

    /**
     * How often sequential gates look within a step. Default: a tenth of the interval (at least a
     * second, if the interval allows).
     */
    public Builder checkEvery(Duration checkEvery) {
      requireNonNull(checkEvery, "checkEvery");
      if (checkEvery.isNegative() || checkEvery.isZero()) {
        throw new IllegalArgumentException("checkEvery must be positive, got " + checkEvery);
      }
      this.checkEvery = checkEvery;
      return set("checkEvery");
    }

    /**
     * Goes on with the rollout in progress on the splitter instead of starting one: its targets,
     * steps and gates come from the state kept on the routing object, so none may be set here; the
     * clock, sleeper and listener are this builder's.
     */
    public Builder resume() {
      this.resume = true;
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

    /** Hears each step, gate and ending, on the rollout's own thread. Default: nothing hears. */
    public Builder listener(RolloutListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the rollout; nothing is read or written until {@link Rollout#run}.
     *
     * @throws IllegalArgumentException if a gate that compares with the baseline has no step where
     *     the baseline takes traffic, or {@code checkEvery} is longer than the interval
     * @throws IllegalStateException if a required value is missing, or a resumed rollout was given
     *     targets, steps or gates of its own
     */
    public Rollout build() {
      if (resume) {
        if (!specSet.isEmpty()) {
          throw new IllegalStateException(
              "resume() goes on with the stored rollout, whose "
                  + String.join(", ", specSet)
                  + " cannot be set");
        }
        return new Rollout(this, null);
      }
      RolloutSpec spec =
          new RolloutSpec(
              Required.value(splitter, "splitter"),
              baseline,
              Required.value(candidate, "candidate"),
              steps,
              interval,
              gates,
              minRequests,
              maxInconclusive,
              confidence,
              checkEvery != null ? checkEvery : RolloutSpec.defaultCheckEvery(interval));
      return new Rollout(this, spec);
    }

    private Builder set(String field) {
      if (!specSet.contains(field)) {
        specSet.add(field);
      }
      return this;
    }
  }
}

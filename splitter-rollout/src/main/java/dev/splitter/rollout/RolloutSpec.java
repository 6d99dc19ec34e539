package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.Display;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a rollout does: which splitter, from which baseline to which candidate, in which steps, how
 * long each bakes and what gates it. The one description of a rollout: {@link Rollout.Builder}
 * builds one, the command line sends one to {@code splitter serve}, and {@link Rollout#inProgress}
 * reads one back from a routing object. Immutable; checked when made.
 *
 * @param splitter the deployed splitter
 * @param baseline the target that gives up weight; null: the one other target with weight
 * @param candidate the target that gains weight; added at weight 0 if not yet a target
 * @param steps the candidate's share of the weight it and the baseline hold, in percent, at each
 *     step: rising within 1..100, at most {@value Rollout#MAX_STEPS}; with a {@link
 *     Gate#minShadowAgreement} gate, a first step 0 is the shadow step (added if not given), where
 *     the candidate takes no live traffic and gets a copy of every request as the shadow
 * @param interval bake time per step, positive
 * @param gates what every step must pass
 * @param minRequests candidate requests a step needs before its gates count, at least 1
 * @param maxInconclusive extra intervals an inconclusive step may wait before the rollout rolls
 *     back, at least 0
 * @param confidence how sure sequential gates must be, over the whole rollout, before they decide:
 *     strictly between 0 and 1, 0.95 by default
 * @param checkEvery how often sequential gates look within a step: positive, at most the interval;
 *     by default (and if null) a tenth of the interval, at least a second if the interval allows
 */
@API(status = API.Status.EXPERIMENTAL)
public record RolloutSpec(
    String splitter,
    @Nullable String baseline,
    String candidate,
    List<Integer> steps,
    Duration interval,
    List<Gate> gates,
    long minRequests,
    int maxInconclusive,
    double confidence,
    Duration checkEvery) {

  /** How sure sequential gates are, unless told: 95 %. */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  /**
   * A rollout whose sequential gates, if any, decide at 95 % confidence and look every tenth of the
   * interval.
   */
  public RolloutSpec(
      String splitter,
      @Nullable String baseline,
      String candidate,
      List<Integer> steps,
      Duration interval,
      List<Gate> gates,
      long minRequests,
      int maxInconclusive) {
    this(
        splitter,
        baseline,
        candidate,
        steps,
        interval,
        gates,
        minRequests,
        maxInconclusive,
        DEFAULT_CONFIDENCE,
        defaultCheckEvery(interval));
  }

  /**
   * @throws IllegalArgumentException if a value is out of its range, or a latency gate has no step
   *     where the baseline takes traffic
   */
  public RolloutSpec {
    requireNonNull(splitter, "splitter");
    requireNonNull(candidate, "candidate");
    gates = List.copyOf(gates);
    boolean shadowStep = gates.stream().anyMatch(Gate::shadow);
    if (shadowStep && !steps.isEmpty() && steps.get(0) != SHADOW_STEP) {
      List<Integer> withShadowStep = new ArrayList<>(steps.size() + 1);
      withShadowStep.add(SHADOW_STEP);
      withShadowStep.addAll(steps);
      steps = withShadowStep;
    }
    steps = List.copyOf(steps);
    checkSteps(shadowStep ? steps.subList(1, steps.size()) : steps);
    if (steps.size() > Rollout.MAX_STEPS) {
      throw new IllegalArgumentException(
          "a rollout needs 1 to "
              + Rollout.MAX_STEPS
              + " steps, its shadow step included, got "
              + steps.size());
    }
    if (gates.stream().filter(Gate::shadow).count() > 1) {
      throw new IllegalArgumentException("a rollout has at most one min-shadow-agreement gate");
    }
    checkInterval(interval);
    checkMinRequests(minRequests);
    checkMaxInconclusive(maxInconclusive);
    checkConfidence(confidence);
    if (checkEvery == null) {
      checkEvery = defaultCheckEvery(interval);
    }
    checkCheckEvery(checkEvery, interval);
    boolean comparesWithBaseline =
        gates.stream()
            .anyMatch(gate -> gate.kind() == Gate.Kind.MAX_LATENCY_RATIO || gate.sequential());
    if (comparesWithBaseline && steps.get(shadowStep ? 1 : 0) == 100) {
      throw new IllegalArgumentException(
          gates.stream()
                  .filter(gate -> gate.kind() == Gate.Kind.MAX_LATENCY_RATIO || gate.sequential())
                  .findFirst()
                  .orElseThrow()
                  .kind()
                  .label()
              + " compares with the baseline, which takes no traffic at 100%: add an earlier step");
    }
  }

  /** The step where the candidate runs as the shadow: the first, with a shadow gate. */
  public static final int SHADOW_STEP = 0;

  /** Whether the rollout starts with a shadow step ({@link Gate#minShadowAgreement}). */
  public boolean shadowStep() {
    return gates.stream().anyMatch(Gate::shadow);
  }

  /** Whether any gate decides at every check. */
  public boolean sequential() {
    return gates.stream().anyMatch(Gate::sequential);
  }

  /**
   * How often sequential gates look by default: a tenth of the interval, at least a second if the
   * interval is longer.
   */
  public static Duration defaultCheckEvery(Duration interval) {
    Duration tenth = interval.dividedBy(10);
    Duration second = Duration.ofSeconds(1);
    return tenth.compareTo(second) >= 0 || interval.compareTo(second) <= 0 ? tenth : second;
  }

  /** The rollout in words, such as {@code my-api-v2 against my-api in 5/25/50/100% steps}. */
  @Override
  public String toString() {
    return candidate
        + (baseline == null ? "" : " against " + baseline)
        + " on "
        + splitter
        + ", steps "
        + String.join(
            "/",
            steps.stream()
                .map(step -> step == SHADOW_STEP ? "shadow" : String.valueOf(step))
                .toList())
        + "%, "
        + interval.toString().substring(2).toLowerCase(Locale.ROOT)
        + " each"
        + (gates.isEmpty() ? "" : ", gates " + gates)
        + (sequential() ? " at " + Display.percentOf(confidence) + "% confidence" : "");
  }

  static void checkSteps(List<Integer> steps) {
    if (steps.isEmpty() || steps.size() > Rollout.MAX_STEPS) {
      throw new IllegalArgumentException(
          "a rollout needs 1 to " + Rollout.MAX_STEPS + " steps, got " + steps.size());
    }
    int previous = 0;
    for (int step : steps) {
      if (step <= previous || step > 100) {
        throw new IllegalArgumentException(
            "steps must rise within 1..100, got "
                + steps
                + " ("
                + step
                + " after "
                + previous
                + ")");
      }
      previous = step;
    }
  }

  static void checkInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
  }

  static void checkMinRequests(long minRequests) {
    if (minRequests < 1) {
      throw new IllegalArgumentException("minRequests must be at least 1, got " + minRequests);
    }
  }

  static void checkConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "confidence must be strictly between 0 and 1 (0.95 for 95%), got " + confidence);
    }
  }

  static void checkCheckEvery(Duration checkEvery, Duration interval) {
    if (checkEvery.isNegative() || checkEvery.isZero() || checkEvery.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "checkEvery must be positive and at most the interval ("
              + interval
              + "), got "
              + checkEvery);
    }
  }

  static void checkMaxInconclusive(int intervals) {
    if (intervals < 0) {
      throw new IllegalArgumentException("maxInconclusive must be >= 0, got " + intervals);
    }
  }
}

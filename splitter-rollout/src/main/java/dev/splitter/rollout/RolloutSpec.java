package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
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
 *     step: rising within 1..100, at most {@value Rollout#MAX_STEPS}
 * @param interval bake time per step, positive
 * @param gates what every step must pass
 * @param minRequests candidate requests a step needs before its gates count, at least 1
 * @param maxInconclusive extra intervals an inconclusive step may wait before the rollout rolls
 *     back, at least 0
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
    int maxInconclusive) {

  /**
   * @throws IllegalArgumentException if a value is out of its range, or a latency gate has no step
   *     where the baseline takes traffic
   */
  public RolloutSpec {
    requireNonNull(splitter, "splitter");
    requireNonNull(candidate, "candidate");
    steps = List.copyOf(steps);
    gates = List.copyOf(gates);
    checkSteps(steps);
    checkInterval(interval);
    checkMinRequests(minRequests);
    checkMaxInconclusive(maxInconclusive);
    boolean comparesLatency =
        gates.stream().anyMatch(gate -> gate.kind() == Gate.Kind.MAX_LATENCY_RATIO);
    if (comparesLatency && steps.get(0) == 100) {
      throw new IllegalArgumentException(
          "max-latency-ratio compares with the baseline, which takes no traffic at 100%: add an"
              + " earlier step");
    }
  }

  /** The rollout in words, such as {@code my-api-v2 against my-api in 5/25/50/100% steps}. */
  @Override
  public String toString() {
    return candidate
        + (baseline == null ? "" : " against " + baseline)
        + " on "
        + splitter
        + ", steps "
        + String.join("/", steps.stream().map(String::valueOf).toList())
        + "%, "
        + interval.toString().substring(2).toLowerCase(Locale.ROOT)
        + " each"
        + (gates.isEmpty() ? "" : ", gates " + gates);
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

  static void checkMaxInconclusive(int intervals) {
    if (intervals < 0) {
      throw new IllegalArgumentException("maxInconclusive must be >= 0, got " + intervals);
    }
  }
}

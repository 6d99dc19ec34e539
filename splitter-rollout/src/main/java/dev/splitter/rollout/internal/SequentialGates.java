package dev.splitter.rollout.internal;

import dev.splitter.core.internal.AlwaysValid;
import dev.splitter.core.internal.AlwaysValid.Interval;
import dev.splitter.rollout.Gate;
import dev.splitter.spi.TargetMetrics;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a sequential gate decides on the traffic of a step so far: the candidate against the
 * baseline, with an always-valid interval ({@link AlwaysValid}) at error {@code alpha}.
 */
@API(status = API.Status.INTERNAL)
public final class SequentialGates {
  /**
   * The smallest scale an error-rate interval is tuned for: a margin of 0 still tunes it for
   * differences of a tenth of a point.
   */
  private static final double MIN_SCALE = 0.001;

  private SequentialGates() {}

  /** What the evidence says so far. */
  public enum Outcome {
    /** Shown not worse than the gate allows. */
    PASS,
    /** Shown worse than the gate allows. */
    FAIL,
    /** Not shown either way yet. */
    UNDECIDED
  }

  /**
   * A gate's decision.
   *
   * @param interval the compared value (a difference of rates, a ratio of quantiles) and its
   *     interval
   */
  public record Decision(Gate gate, Outcome outcome, Interval interval) {
    /** As events say it: {@code error-rate-vs-baseline +1.62% (+0.41% to +2.83%) > +0.50%}. */
    public String describe() {
      String sign =
          switch (outcome) {
            case FAIL -> " > ";
            case PASS -> " <= ";
            case UNDECIDED -> " vs ";
          };
      return gate.name()
          + " "
          + gate.format(interval.estimate())
          + " ("
          + gate.format(interval.lower())
          + " to "
          + (Double.isInfinite(interval.upper()) ? "?" : gate.format(interval.upper()))
          + ")"
          + sign
          + gate.format(gate.threshold());
    }
  }

  /**
   * The gate's decision on these figures (the rollout's so far); empty when they cannot tell (no
   * latency distribution from the metrics source, no baseline traffic).
   */
  public static Optional<Decision> decide(
      Gate gate, TargetMetrics candidate, TargetMetrics baseline, double alpha) {
    Optional<Interval> interval =
        switch (gate.kind()) {
          case ERROR_RATE_VS_BASELINE ->
              baseline.requests() == 0
                  ? Optional.empty()
                  : Optional.of(
                      AlwaysValid.rateDifference(
                          candidate.requests(),
                          candidate.responses5xx(),
                          baseline.requests(),
                          baseline.responses5xx(),
                          alpha,
                          Math.max(gate.threshold(), MIN_SCALE)));
          case LATENCY_VS_BASELINE ->
              AlwaysValid.quantileRatio(
                  candidate.latency(), baseline.latency(), gate.quantile(), alpha);
          case MAX_ERROR_RATE, MAX_LATENCY_RATIO, MIN_SHADOW_AGREEMENT ->
              throw new IllegalArgumentException(gate + " is not sequential");
        };
    return interval.map(
        found ->
            new Decision(
                gate,
                found.above(gate.threshold())
                    ? Outcome.FAIL
                    : found.atMost(gate.threshold()) ? Outcome.PASS : Outcome.UNDECIDED,
                found));
  }
}

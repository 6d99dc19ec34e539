package dev.splitter.rollout;

import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A check on the candidate's traffic during one rollout step; a value above the threshold rolls the
 * rollout back. Immutable; gates are stored with the rollout's state, so only these kinds exist.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Gate {
  /** What a gate measures. */
  public enum Kind {
    /** The candidate's 5XX answers over its requests, in this step. */
    MAX_ERROR_RATE("max-error-rate"),
    /** The candidate's average latency over the baseline's, in this step. */
    MAX_LATENCY_RATIO("max-latency-ratio");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The name in events, the CLI and stored state, such as {@code max-error-rate}. */
    public String label() {
      return label;
    }
  }

  private final Kind kind;
  private final double threshold;

  private Gate(Kind kind, double threshold) {
    this.kind = kind;
    this.threshold = threshold;
  }

  /**
   * Fails when the candidate's 5XX answers exceed this share of its requests in the step.
   *
   * @param rate from 0 (any error fails) to 1
   */
  public static Gate maxErrorRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("maxErrorRate must be within 0..1, got " + rate);
    }
    return new Gate(Kind.MAX_ERROR_RATE, rate);
  }

  /**
   * Fails when the candidate's average latency exceeds the baseline's, in the same step, by more
   * than this factor. At a step where the baseline takes no traffic (the candidate at 100 %), the
   * baseline's average from the last step that had one is used.
   *
   * @param ratio above 0; 1.2 allows the candidate to be 20 % slower
   */
  public static Gate maxLatencyRatio(double ratio) {
    if (!(ratio > 0 && Double.isFinite(ratio))) {
      throw new IllegalArgumentException("maxLatencyRatio must be above 0, got " + ratio);
    }
    return new Gate(Kind.MAX_LATENCY_RATIO, ratio);
  }

  /**
   * The gate of this kind and threshold, as {@link #maxErrorRate} or {@link #maxLatencyRatio} makes
   * it.
   */
  public static Gate of(Kind kind, double threshold) {
    return switch (kind) {
      case MAX_ERROR_RATE -> maxErrorRate(threshold);
      case MAX_LATENCY_RATIO -> maxLatencyRatio(threshold);
    };
  }

  public Kind kind() {
    return kind;
  }

  public double threshold() {
    return threshold;
  }

  /**
   * What this gate measures in one step's traffic; empty when the traffic cannot tell (no candidate
   * requests, no baseline latency to compare with).
   *
   * @param baselineReference the baseline's average latency from an earlier step, used when it has
   *     none in this one
   */
  public OptionalDouble measure(
      TargetMetrics candidate, TargetMetrics baseline, @Nullable Duration baselineReference) {
    return switch (kind) {
      case MAX_ERROR_RATE ->
          candidate.requests() == 0
              ? OptionalDouble.empty()
              : OptionalDouble.of((double) candidate.responses5xx() / candidate.requests());
      case MAX_LATENCY_RATIO -> {
        Duration reference =
            baseline.averageLatency() != null ? baseline.averageLatency() : baselineReference;
        Duration observed = candidate.averageLatency();
        yield observed == null || reference == null || reference.isZero()
            ? OptionalDouble.empty()
            : OptionalDouble.of((double) observed.toNanos() / reference.toNanos());
      }
    };
  }

  /** Whether a measured value passes: at most the threshold. */
  public boolean passes(double value) {
    return value <= threshold;
  }

  /** The value as a person reads it: a percentage for error rates, a factor for ratios. */
  public String format(double value) {
    return kind == Kind.MAX_ERROR_RATE
        ? String.format(Locale.ROOT, "%.2f%%", value * 100)
        : String.format(Locale.ROOT, "%.2fx", value);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Gate gate
        && gate.kind == kind
        && Double.compare(gate.threshold, threshold) == 0;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Double.hashCode(threshold);
  }

  @Override
  public String toString() {
    return kind.label + " " + format(threshold);
  }
}

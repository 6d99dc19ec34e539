package dev.splitter.rollout;

import dev.splitter.core.Display;
import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A check on the candidate's traffic during one rollout step. Immutable; gates are stored with the
 * rollout's state, so only these kinds exist.
 *
 * <ul>
 *   <li>Threshold gates ({@link #maxErrorRate}, {@link #maxLatencyRatio}) read the step's figures
 *       once its interval has baked; a value above the threshold rolls the rollout back.
 *   <li>Sequential gates ({@link #errorRateVsBaseline}, {@link #latencyVsBaseline}) compare the
 *       candidate with the baseline on the same traffic, since the rollout's first step, at every
 *       check, with an always-valid confidence interval at the rollout's confidence: they fail as
 *       soon as the candidate is shown worse than the bound, pass as soon as it is shown not to be,
 *       and otherwise let the step go on. Looking at every check does not raise the chance of a
 *       false roll-back (docs/architecture.md gives the method).
 *   <li>A shadow gate ({@link #minShadowAgreement}) gives the rollout a first step where the
 *       candidate takes no live traffic: it runs as the splitter's shadow, on a copy of every
 *       request, until its answers have agreed with the live ones often enough.
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Gate {
  /** What a gate measures. */
  public enum Kind {
    /** The candidate's 5XX answers over its requests, in this step. */
    MAX_ERROR_RATE("max-error-rate"),
    /** The candidate's average latency over the baseline's, in this step. */
    MAX_LATENCY_RATIO("max-latency-ratio"),
    /** The candidate's 5XX rate minus the baseline's, since the rollout began, with an interval. */
    ERROR_RATE_VS_BASELINE("error-rate-vs-baseline"),
    /** The candidate's latency quantile over the baseline's, since the rollout began, likewise. */
    LATENCY_VS_BASELINE("latency-vs-baseline"),
    /** The share of the candidate's shadow answers that agreed with the live ones, in step 0. */
    MIN_SHADOW_AGREEMENT("min-shadow-agreement");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The name in events, the CLI and stored state, such as {@code max-error-rate}. */
    public String label() {
      return label;
    }

    /** Whether gates of this kind decide at every check, against the baseline. */
    public boolean sequential() {
      return this == ERROR_RATE_VS_BASELINE || this == LATENCY_VS_BASELINE;
    }
  }

  private final Kind kind;
  private final double threshold;
  private final double quantile;

  private Gate(Kind kind, double threshold, double quantile) {
    this.kind = kind;
    this.threshold = threshold;
    this.quantile = quantile;
  }

  private Gate(Kind kind, double threshold) {
    this(kind, threshold, Double.NaN);
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
   * Fails as soon as the candidate's 5XX rate is shown, at the rollout's confidence, to exceed the
   * baseline's (since the rollout's first step) by more than {@code margin}; passes as soon as it
   * is shown not to.
   *
   * @param margin from 0 to 1: 0.005 lets the candidate fail half a point more often
   */
  public static Gate errorRateVsBaseline(double margin) {
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException(
          "errorRateVsBaseline's margin must be within 0..1, got " + margin);
    }
    return new Gate(Kind.ERROR_RATE_VS_BASELINE, margin);
  }

  /**
   * Fails as soon as the candidate's latency at {@code quantile} is shown, at the rollout's
   * confidence, to exceed the baseline's (since the rollout's first step) by more than {@code
   * maxRatio}; passes as soon as it is shown not to. Reads the metrics source's latency
   * distributions.
   *
   * @param quantile strictly between 0 and 1: 0.95 for p95
   * @param maxRatio above 0: 1.2 lets the candidate's p95 be 20 % higher
   */
  public static Gate latencyVsBaseline(double quantile, double maxRatio) {
    if (!(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException(
          "latencyVsBaseline's quantile must be strictly between 0 and 1, got " + quantile);
    }
    if (!(maxRatio > 0 && Double.isFinite(maxRatio))) {
      throw new IllegalArgumentException(
          "latencyVsBaseline's maxRatio must be above 0, got " + maxRatio);
    }
    return new Gate(Kind.LATENCY_VS_BASELINE, maxRatio, quantile);
  }

  /**
   * Gives the rollout a shadow step before its first live one: the candidate runs as the splitter's
   * shadow, getting a copy of every request while the baseline answers all of them, and the rollout
   * goes on to live traffic only once the candidate's answers agreed with the live ones on at least
   * this share of at least {@code minRequests} compared requests, read at the end of each interval.
   * Fewer compared requests: inconclusive, as any step. Less agreement: rolled back (the shadow
   * removed). Needs a backend whose metrics source compares shadow answers (the local gateway; see
   * {@link dev.splitter.core.Deployer#comparesShadows}).
   *
   * @param share from 0 to 1: 0.99 lets one compared answer in a hundred differ
   */
  public static Gate minShadowAgreement(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("minShadowAgreement must be within 0..1, got " + share);
    }
    return new Gate(Kind.MIN_SHADOW_AGREEMENT, share);
  }

  /**
   * The gate of this kind and threshold, as {@link #maxErrorRate}, {@link #maxLatencyRatio}, {@link
   * #errorRateVsBaseline} or {@link #minShadowAgreement} makes it.
   *
   * @throws IllegalArgumentException for {@link Kind#LATENCY_VS_BASELINE}, which needs a quantile
   *     too
   */
  public static Gate of(Kind kind, double threshold) {
    return switch (kind) {
      case MAX_ERROR_RATE -> maxErrorRate(threshold);
      case MAX_LATENCY_RATIO -> maxLatencyRatio(threshold);
      case ERROR_RATE_VS_BASELINE -> errorRateVsBaseline(threshold);
      case MIN_SHADOW_AGREEMENT -> minShadowAgreement(threshold);
      case LATENCY_VS_BASELINE ->
          throw new IllegalArgumentException("latency-vs-baseline needs a quantile");
    };
  }

  /** The gate of this kind, threshold and quantile (which only latency-vs-baseline reads). */
  public static Gate of(Kind kind, double threshold, double quantile) {
    return kind == Kind.LATENCY_VS_BASELINE
        ? latencyVsBaseline(quantile, threshold)
        : of(kind, threshold);
  }

  public Kind kind() {
    return kind;
  }

  /** The threshold, margin or ratio the gate compares with. */
  public double threshold() {
    return threshold;
  }

  /** The latency quantile a latency-vs-baseline gate compares; NaN for the others. */
  public double quantile() {
    return quantile;
  }

  /** Whether this gate decides at every check, against the baseline. */
  public boolean sequential() {
    return kind.sequential();
  }

  /** Whether this gate reads the shadow step's comparisons rather than live traffic. */
  public boolean shadow() {
    return kind == Kind.MIN_SHADOW_AGREEMENT;
  }

  /**
   * What this gate measures in one step's traffic; empty when the traffic cannot tell (no candidate
   * requests, no baseline latency to compare with).
   *
   * @param baselineReference the baseline's average latency from an earlier step, used when it has
   *     none in this one
   * @throws IllegalStateException for a sequential gate, which decides on an interval instead
   */
  public OptionalDouble measure(
      TargetMetrics candidate, TargetMetrics baseline, @Nullable Duration baselineReference) {
    return switch (kind) {
      case ERROR_RATE_VS_BASELINE, LATENCY_VS_BASELINE ->
          throw new IllegalStateException(
              kind.label() + " decides with an interval: see RolloutRun");
      case MIN_SHADOW_AGREEMENT ->
          throw new IllegalStateException(kind.label() + " reads the shadow step's comparisons");
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

  /**
   * Whether a measured value passes: at most the threshold (at least, for {@link
   * #minShadowAgreement}).
   */
  public boolean passes(double value) {
    return kind == Kind.MIN_SHADOW_AGREEMENT ? value >= threshold : value <= threshold;
  }

  /**
   * The value as a person reads it: a percentage for error rates, in points for a difference of
   * them, a factor for ratios.
   */
  public String format(double value) {
    return switch (kind) {
      case MAX_ERROR_RATE, MIN_SHADOW_AGREEMENT ->
          String.format(Locale.ROOT, "%.2f%%", value * 100);
      case ERROR_RATE_VS_BASELINE -> String.format(Locale.ROOT, "%+.2f%%", value * 100);
      case MAX_LATENCY_RATIO, LATENCY_VS_BASELINE -> String.format(Locale.ROOT, "%.2fx", value);
    };
  }

  /** The gate's name with its quantile, such as {@code latency-vs-baseline p95}. */
  public String name() {
    return kind == Kind.LATENCY_VS_BASELINE ? kind.label + " " + percentile(quantile) : kind.label;
  }

  /** A rank as a percentile's name: 0.95 is {@code p95}, 0.999 {@code p99.9}. */
  public static String percentile(double rank) {
    return "p" + Display.percentOf(rank);
  }

  /**
   * The rank a percentile's name stands for: {@code p95} is 0.95.
   *
   * @throws IllegalArgumentException if it is not {@code p} and a number
   */
  public static double rankOf(String percentile) {
    if (!percentile.startsWith("p")) {
      throw new IllegalArgumentException("not a percentile such as p95: " + percentile);
    }
    return Display.shareOf(percentile.substring(1));
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Gate gate
        && gate.kind == kind
        && Double.compare(gate.threshold, threshold) == 0
        && Double.compare(gate.quantile, quantile) == 0;
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + Double.hashCode(threshold)) * 31 + Double.hashCode(quantile);
  }

  @Override
  public String toString() {
    return name() + " " + format(threshold);
  }
}

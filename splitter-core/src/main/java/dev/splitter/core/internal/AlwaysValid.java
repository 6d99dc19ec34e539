package dev.splitter.core.internal;

import dev.splitter.spi.LatencyDistribution;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Always-valid confidence intervals (confidence sequences): intervals that may be read after every
 * new observation, as often as one likes, and still cover the true value at every one of those
 * times at once with the stated confidence. What {@code compare} prints and the rollout's
 * sequential gates decide on.
 *
 * <p>The method is the normal-mixture sequential probability ratio test (mSPRT) of Johari, Koomen,
 * Pekelis and Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests", Operations
 * Research 70(3), 2022: for an estimate with variance {@code v} and a normal mixture of variance
 * {@code τ²} over the true value, the interval is
 *
 * <pre>
 *   estimate ± sqrt( v (v + τ²) / τ² · ln((v + τ²) / (v α²)) )
 * </pre>
 *
 * (Robbins' normal-mixture boundary; Howard, Ramdas, McAuliffe and Sekhon, "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences", Annals of Statistics 49(2), 2021). With
 * {@code v} estimated from the data it holds asymptotically (Waudby-Smith et al., "Time-uniform
 * central limit theory and asymptotic confidence sequences", Annals of Statistics, 2024). {@code
 * τ²} is fixed in advance so that the interval is narrowest where the estimate's variance is {@code
 * v*}: {@code τ² = v* / r}, with {@code r} as in {@link #tuning} (the closed form of Howard et al.,
 * which the authors' reference implementation, confseq, uses).
 *
 * <ul>
 *   <li>A difference of error rates: the Agresti–Caffo estimate (one error and one success added to
 *       each arm; Agresti and Caffo, The American Statistician 54(4), 2000) and its unpooled
 *       variance.
 *   <li>A latency quantile: the confidence sequence for a quantile of Howard and Ramdas,
 *       "Sequential estimation of quantiles with applications to A/B-testing and best-arm
 *       identification", Bernoulli 28(3), 2022: the share of observations at or below the true
 *       q-quantile is a mean of Bernoulli(q) indicators with variance {@code q(1 − q)/n}, so its
 *       interval {@code q ± h} maps to the quantiles at ranks {@code q − h} and {@code q + h}.
 *   <li>A ratio of two arms' quantiles: each arm's interval at half the error, divided (a union
 *       bound).
 * </ul>
 */
@API(status = API.Status.INTERNAL)
public final class AlwaysValid {
  /** The sample size a quantile's interval is tuned for: narrowest at a thousand observations. */
  static final long QUANTILE_PLANNED = 1000;

  private AlwaysValid() {}

  /**
   * An interval around an estimate.
   *
   * @param upper {@link Double#POSITIVE_INFINITY} when the data cannot bound it
   */
  public record Interval(double estimate, double lower, double upper) {
    /** Whether every value in it is above {@code value}. */
    public boolean above(double value) {
      return lower > value;
    }

    /** Whether every value in it is at most {@code value}. */
    public boolean atMost(double value) {
      return upper <= value;
    }
  }

  /**
   * The half-width of the interval around an estimate of variance {@code variance}, with the
   * mixture tuned for variance {@code planned}, at error {@code alpha}.
   */
  public static double halfWidth(double variance, double planned, double alpha) {
    if (variance <= 0) {
      return 0;
    }
    double tau2 = planned / tuning(alpha);
    return Math.sqrt(
        variance
            * (variance + tau2)
            / tau2
            * Math.log((variance + tau2) / (variance * alpha * alpha)));
  }

  /**
   * {@code r} such that the mixture {@code τ² = v* / r} makes the interval about narrowest where
   * the estimate's variance is {@code v*}: {@code 1 / (2 ln(1/α) + ln(1 + 2 ln(1/α)))}, about 0.126
   * at 95 % (confseq's {@code TwoSidedNormalMixture::best_rho}).
   */
  static double tuning(double alpha) {
    double twice = 2 * Math.log(1 / alpha);
    return 1 / (twice + Math.log(1 + twice));
  }

  /**
   * The candidate's error rate minus the baseline's, with its interval at error {@code alpha},
   * narrowest when its half-width is about {@code scale} (a margin one cares about). The estimate
   * is the observed difference; the interval is centred on the Agresti–Caffo one, which differs
   * from it by less than a request's worth of either side.
   */
  public static Interval rateDifference(
      long candidateRequests,
      long candidateErrors,
      long baselineRequests,
      long baselineErrors,
      double alpha,
      double scale) {
    double candidate = (candidateErrors + 1.0) / (candidateRequests + 2.0);
    double baseline = (baselineErrors + 1.0) / (baselineRequests + 2.0);
    double variance =
        candidate * (1 - candidate) / (candidateRequests + 2.0)
            + baseline * (1 - baseline) / (baselineRequests + 2.0);
    double planned = scale * scale / widthFactor(alpha);
    double centre = candidate - baseline;
    double half = halfWidth(variance, planned, alpha);
    double observed =
        (candidateRequests == 0 ? 0 : (double) candidateErrors / candidateRequests)
            - (baselineRequests == 0 ? 0 : (double) baselineErrors / baselineRequests);
    return new Interval(observed, centre - half, centre + half);
  }

  /**
   * The square of the half-width over the standard error where the interval is narrowest: {@code (1
   * + r) ln((1 + r) / (r α²))}, about 9.2 at 95 %. A planned variance of {@code (scale)² / this}
   * makes the narrowest half-width {@code scale}.
   */
  static double widthFactor(double alpha) {
    double r = tuning(alpha);
    return (1 + r) * Math.log((1 + r) / (r * alpha * alpha));
  }

  /**
   * The quantile at {@code rank} of one arm, in nanoseconds, with its interval at error {@code
   * alpha}; empty without observations or (from a percentile source) without the ranks needed.
   */
  public static Optional<Interval> quantile(
      LatencyDistribution latency, double rank, double alpha) {
    long n = latency.count();
    Optional<Duration> estimate = latency.quantile(rank);
    if (n == 0) {
      return Optional.empty();
    }
    double spread = rank * (1 - rank);
    double half = halfWidth(spread / n, spread / QUANTILE_PLANNED, alpha);
    double low = rank - half;
    double high = rank + half;
    double lower = low <= 0 ? 0 : nanos(latency.floor(low));
    double upper =
        high >= 1
            ? Double.POSITIVE_INFINITY
            : latency.ceiling(high).map(AlwaysValid::nanos).orElse(Double.POSITIVE_INFINITY);
    double middle =
        estimate
            .map(AlwaysValid::nanos)
            .orElse(Double.isInfinite(upper) ? lower : (lower + upper) / 2);
    return Optional.of(new Interval(middle, lower, upper));
  }

  /**
   * The candidate's quantile at {@code rank} over the baseline's, with its interval at error {@code
   * alpha} (each arm's at half of it); empty if either arm has no interval or the baseline's could
   * be zero.
   */
  public static Optional<Interval> quantileRatio(
      LatencyDistribution candidate, LatencyDistribution baseline, double rank, double alpha) {
    Optional<Interval> ofCandidate = quantile(candidate, rank, alpha / 2);
    Optional<Interval> ofBaseline = quantile(baseline, rank, alpha / 2);
    if (ofCandidate.isEmpty() || ofBaseline.isEmpty() || ofBaseline.get().estimate() <= 0) {
      return Optional.empty();
    }
    Interval c = ofCandidate.get();
    Interval b = ofBaseline.get();
    double lower = Double.isInfinite(b.upper()) ? 0 : c.lower() / b.upper();
    double upper = b.lower() <= 0 ? Double.POSITIVE_INFINITY : c.upper() / b.lower();
    return Optional.of(new Interval(c.estimate() / b.estimate(), lower, upper));
  }

  private static double nanos(Optional<Duration> value) {
    return value.map(AlwaysValid::nanos).orElse(0.0);
  }

  private static double nanos(Duration value) {
    return (double) value.toNanos();
  }
}

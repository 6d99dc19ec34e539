package dev.splitter.core.internal;

import org.apiguardian.api.API;

/**
 * Pearson's chi-square goodness-of-fit test: how likely counts at least this far from the expected
 * ones are by chance. The p-value is the regularized upper incomplete gamma function Q(df/2, x/2),
 * by its series below a + 1 and its continued fraction above (Numerical Recipes, 6.2), with
 * Lanczos' log-gamma; accurate to about 1e-10, far beyond what a significance level needs.
 */
@API(status = API.Status.INTERNAL)
public final class ChiSquare {
  private static final int MAX_ITERATIONS = 1000;
  private static final double EPSILON = 1e-15;
  private static final double TINY = 1e-300;
  private static final double[] LANCZOS = {
    76.18009172947146,
    -86.50532032941677,
    24.01409824083091,
    -1.231739572450155,
    0.1208650973866179e-2,
    -0.5395239384953e-5
  };

  private ChiSquare() {}

  /** The statistic: the sum of (observed - expected)² / expected. */
  public static double statistic(long[] observed, double[] expected) {
    double sum = 0;
    for (int i = 0; i < observed.length; i++) {
      double difference = observed[i] - expected[i];
      sum += difference * difference / expected[i];
    }
    return sum;
  }

  /** The probability of a statistic at least {@code x} with {@code degreesOfFreedom}. */
  public static double pValue(double x, int degreesOfFreedom) {
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException("degreesOfFreedom must be >= 1, got " + degreesOfFreedom);
    }
    if (x <= 0) {
      return 1;
    }
    double a = degreesOfFreedom / 2.0;
    double half = x / 2;
    return half < a + 1 ? 1 - lowerSeries(a, half) : upperFraction(a, half);
  }

  /** P(a, x) by its series. */
  private static double lowerSeries(double a, double x) {
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  /** Q(a, x) by its continued fraction (modified Lentz). */
  private static double upperFraction(double a, double x) {
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < TINY ? TINY : d;
      c = b + an / c;
      c = Math.abs(c) < TINY ? TINY : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  private static double logGamma(double x) {
    double y = x;
    double tmp = x + 5.5;
    tmp -= (x + 0.5) * Math.log(tmp);
    double series = 1.000000000190015;
    for (double coefficient : LANCZOS) {
      series += coefficient / ++y;
    }
    return -tmp + Math.log(2.5066282746310005 * series / x);
  }
}

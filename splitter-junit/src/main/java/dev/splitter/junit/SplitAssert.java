package dev.splitter.junit;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TargetApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Checks that a split is the one asked for, allowing for chance: each API's count of answers must
 * lie within {@code sigmas} standard deviations of what its weight predicts (the binomial
 * distribution: n·p expected, √(n·p·(1−p)) for one standard deviation).
 *
 * <pre>{@code
 * SplitAssert.assertSplit(responses).matches(20, 80);                  // the spec's order
 * SplitAssert.assertSplit(responses).withinSigmas(3).matches(Map.of("my-api", 20, "another-my-api", 80));
 * }</pre>
 *
 * <p>With the default of 4 standard deviations a correct split fails about once in 16,000 checks
 * per API. A failure names every API's count, its share, the expected share, one standard
 * deviation, and by how many it is off.
 */
@API(status = API.Status.STABLE)
public final class SplitAssert {
  private static final double DEFAULT_SIGMAS = 4;

  private final Responses responses;
  private final double sigmas;

  private SplitAssert(Responses responses, double sigmas) {
    this.responses = responses;
    this.sigmas = sigmas;
  }

  /** Starts an assertion on these responses. */
  public static SplitAssert assertSplit(Responses responses) {
    return new SplitAssert(requireNonNull(responses, "responses"), DEFAULT_SIGMAS);
  }

  /** How many standard deviations an API's count may be off. Default 4. */
  public SplitAssert withinSigmas(double sigmas) {
    if (!(sigmas > 0)) {
      throw new IllegalArgumentException("sigmas must be positive, got " + sigmas);
    }
    return new SplitAssert(responses, sigmas);
  }

  /**
   * Asserts the split matches these weights, one per non-shadow target in the order of the
   * splitter's spec (the order of its file).
   *
   * @throws AssertionError if it does not
   */
  public SplitAssert matches(int... weights) {
    List<TargetApi> targets = responses.routedTargets();
    if (weights.length != targets.size()) {
      throw new IllegalArgumentException(
          responses.splitter().name()
              + " routes to "
              + targets.size()
              + " APIs ("
              + targets.stream().map(TargetApi::name).collect(Collectors.joining(", "))
              + "), but "
              + weights.length
              + " weights were given");
    }
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (int i = 0; i < weights.length; i++) {
      byName.put(targets.get(i).name(), weights[i]);
    }
    return matches(byName);
  }

  /**
   * Asserts the split matches these weights by API name; they need not add up to 100, only their
   * proportions count. An API that answered but is not named is expected to have 0.
   *
   * @throws AssertionError if it does not
   */
  public SplitAssert matches(Map<String, Integer> weights) {
    Map<String, Integer> expected = new LinkedHashMap<>(weights);
    responses.byApi().keySet().forEach(api -> expected.putIfAbsent(api, 0));
    long total = expected.values().stream().mapToLong(Integer::longValue).sum();
    if (total <= 0 || expected.values().stream().anyMatch(weight -> weight < 0)) {
      throw new IllegalArgumentException("weights must be >= 0 with a positive sum: " + weights);
    }
    long n = responses.answered();
    if (n == 0) {
      throw new AssertionError(
          "no API answered any of the "
              + responses.total()
              + " requests to "
              + responses.splitter().name()
              + " (statuses "
              + responses.byStatus()
              + ")");
    }
    StringBuilder table = new StringBuilder();
    boolean off = false;
    for (Map.Entry<String, Integer> entry : expected.entrySet()) {
      double p = entry.getValue() / (double) total;
      long count = responses.count(entry.getKey());
      double mean = n * p;
      double sigma = Math.sqrt(n * p * (1 - p));
      double deviations =
          sigma == 0 ? (count == mean ? 0 : Double.POSITIVE_INFINITY) : (count - mean) / sigma;
      boolean rowOff = Math.abs(deviations) > sigmas;
      off |= rowOff;
      table.append(
          String.format(
              Locale.ROOT,
              "%n  %-20s %8d  %6.2f%%  expected %6.2f%%  sigma %7.1f  off by %+.1f sigma%s",
              entry.getKey(),
              count,
              100.0 * count / n,
              100 * p,
              sigma,
              deviations,
              rowOff ? "  <-" : ""));
    }
    if (off) {
      throw new AssertionError(
          String.format(
                  Locale.ROOT,
                  "the split of %d answered requests to %s is not %s within %.1f sigma:",
                  n,
                  responses.splitter().name(),
                  expected.values().stream().map(String::valueOf).collect(Collectors.joining("/")),
                  sigmas)
              + table);
    }
    return this;
  }
}

package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.internal.ChiSquare;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.TargetMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The split a splitter's traffic really took, next to its weights: each live target's share of the
 * requests the metrics source counted, and whether the counts are further from the weights than
 * chance allows (Pearson's chi-square test over the targets with weight above 0).
 *
 * <p>A random split of N requests wanders: 80/20 over 200 requests gives 74–86 % three times in a
 * thousand. The test is made only from {@value #MIN_REQUESTS} requests and 5 expected per target,
 * and flags a p-value under {@value #SIGNIFICANCE}, so a healthy splitter is flagged about once in
 * a thousand reads. What skews a split: counts taken behind a retrying client or proxy, sticky
 * sessions, an ejected target, pinned requests.
 *
 * @param requests requests counted across the live targets
 * @param shares each live target's share of them, 0 to 1, by API name in the spec's order
 * @param pValue the chance of counts this far off from a split as weighted; null when there are too
 *     few requests to tell, fewer than two targets with weight, or one of them has no count (a
 *     source without samples for it cannot tell zero from unknown)
 * @param skewed whether {@code pValue} is under {@value #SIGNIFICANCE}
 */
@API(status = API.Status.STABLE)
public record ObservedSplit(
    long requests, Map<String, Double> shares, @Nullable Double pValue, boolean skewed) {

  /** A p-value under this flags the split. */
  public static final double SIGNIFICANCE = 0.001;

  /** The fewest requests the test is made on. */
  public static final long MIN_REQUESTS = 100;

  private static final double MIN_EXPECTED = 5;

  public ObservedSplit {
    shares = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shares));
  }

  /** The split of these targets' counted requests; shadows are left out. */
  public static ObservedSplit of(List<TargetStatus> targets) {
    return split(
        targets.stream().map(target -> new Counted(target.api(), target.metrics())).toList());
  }

  /**
   * The split of a splitter's counted requests, from a metrics source's figures by API name (an API
   * without figures counts none); shadows are left out.
   */
  public static ObservedSplit of(TrafficSplitter spec, Map<String, TargetMetrics> metrics) {
    return split(
        spec.apis().stream()
            .map(api -> new Counted(api, metrics.getOrDefault(api.name(), TargetMetrics.NONE)))
            .toList());
  }

  private static ObservedSplit split(List<Counted> targets) {
    List<Counted> live = targets.stream().filter(target -> !target.api().shadow()).toList();
    long total = live.stream().mapToLong(target -> target.metrics().requests()).sum();
    Map<String, Double> shares = new LinkedHashMap<>();
    if (total > 0) {
      live.forEach(
          target -> shares.put(target.api().name(), (double) target.metrics().requests() / total));
    }
    Double pValue = pValue(live.stream().filter(target -> target.api().weight() > 0).toList());
    return new ObservedSplit(total, shares, pValue, pValue != null && pValue < SIGNIFICANCE);
  }

  /** A target and what it served. */
  private record Counted(TargetApi api, TargetMetrics metrics) {}

  private static @Nullable Double pValue(List<Counted> weighted) {
    long counted = weighted.stream().mapToLong(target -> target.metrics().requests()).sum();
    int weights = weighted.stream().mapToInt(target -> target.api().weight()).sum();
    // A target with no count may be one the source has no samples for: unknown, not zero.
    boolean everyCounted = weighted.stream().allMatch(target -> target.metrics().requests() > 0);
    if (weighted.size() < 2 || counted < MIN_REQUESTS || !everyCounted) {
      return null;
    }
    long[] observed = new long[weighted.size()];
    double[] expected = new double[weighted.size()];
    for (int i = 0; i < observed.length; i++) {
      observed[i] = weighted.get(i).metrics().requests();
      expected[i] = (double) counted * weighted.get(i).api().weight() / weights;
      if (expected[i] < MIN_EXPECTED) {
        return null;
      }
    }
    return ChiSquare.pValue(ChiSquare.statistic(observed, expected), observed.length - 1);
  }

  /**
   * A target's share as the table shows it, such as {@code 79.8%}; empty if nothing was counted.
   */
  public Optional<String> share(String api) {
    Double share = shares.get(requireNonNull(api, "api"));
    return share == null
        ? Optional.empty()
        : Optional.of(String.format(Locale.ROOT, "%.1f%%", share * 100));
  }

  /** What {@code get} says under its table when the split is skewed; empty otherwise. */
  public Optional<String> note(List<TargetStatus> targets) {
    return note(targets.stream().map(TargetStatus::api));
  }

  /** {@link #note(List)} for a splitter's targets. */
  public Optional<String> note(TrafficSplitter spec) {
    return note(spec.apis().stream());
  }

  private Optional<String> note(java.util.stream.Stream<TargetApi> targets) {
    if (!skewed || pValue == null) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    targets.forEach(
        target ->
            share(target.name())
                .ifPresent(
                    share ->
                        parts.add(target.name() + " " + share + " for weight " + target.weight())));
    return Optional.of(
        String.format(
            Locale.ROOT,
            "the observed split is further from the weights than chance allows (chi-square p = %.2g"
                + " over %d requests): %s",
            pValue,
            requests,
            parts.stream().collect(Collectors.joining(", "))));
  }
}

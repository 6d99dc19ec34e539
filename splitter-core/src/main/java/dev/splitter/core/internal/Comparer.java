package dev.splitter.core.internal;

import dev.splitter.core.Comparison;
import dev.splitter.core.Comparison.Estimate;
import dev.splitter.core.Comparison.Options;
import dev.splitter.core.Comparison.Row;
import dev.splitter.core.Comparison.Verdict;
import dev.splitter.core.ObservedSplit;
import dev.splitter.core.internal.AlwaysValid.Interval;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Compares each live target of a splitter with its baseline ({@link Comparison}): three
 * always-valid intervals per target (5XX rate difference, p50 and p95 ratios), the error shared out
 * evenly over all of them (a Bonferroni split), and a verdict from where they lie.
 */
@API(status = API.Status.INTERNAL)
public final class Comparer {
  /** Requests each side needs before a difference of rates is judged. */
  static final long MIN_REQUESTS = 100;

  private static final int INTERVALS_PER_TARGET = 3;

  /**
   * A 5XX difference's interval is tuned to be narrowest where its half-width is twice the margin:
   * between showing a difference (away from zero) and showing none (within the margin). Never tuned
   * below a fifth of a point.
   */
  private static final double MIN_SCALE = 0.002;

  private Comparer() {}

  /** The baseline the options name, or the target with the most weight. */
  public static String baseline(TrafficSplitter spec, Options options) {
    List<TargetApi> live = live(spec);
    if (options.baseline() != null) {
      String named = options.baseline();
      if (live.stream().noneMatch(api -> api.name().equals(named))) {
        throw new IllegalArgumentException(
            named
                + " is not a live target of "
                + spec.name()
                + " (its live targets: "
                + String.join(", ", live.stream().map(TargetApi::name).toList())
                + ")");
      }
      return named;
    }
    return live.stream()
        .max(Comparator.comparingInt(TargetApi::weight))
        .map(TargetApi::name)
        .orElseThrow(
            () -> new IllegalArgumentException(spec.name() + " has no live target to compare"));
  }

  /**
   * The comparison of {@code report}'s figures over {@code window}, which is the time since the
   * weights were last written if {@code sinceWritten}.
   */
  public static Comparison compare(
      TrafficSplitter spec,
      ObservedSplit observed,
      String baseline,
      MetricsReport report,
      Duration window,
      boolean sinceWritten,
      Options options) {
    List<TargetApi> live = live(spec);
    int others = Math.max(1, live.size() - 1);
    double alpha = (1 - options.confidence()) / (others * INTERVALS_PER_TARGET);
    TargetMetrics base = report.metrics().getOrDefault(baseline, TargetMetrics.NONE);
    List<Row> rows = new ArrayList<>();
    for (TargetApi api : live) {
      TargetMetrics metrics = report.metrics().getOrDefault(api.name(), TargetMetrics.NONE);
      if (api.name().equals(baseline)) {
        rows.add(0, row(api, metrics, null, null, null, Verdict.BASELINE, List.of()));
      } else {
        rows.add(compare(api, metrics, base, alpha, options));
      }
    }
    List<String> notes = new ArrayList<>(report.notes());
    observed.note(spec).ifPresent(notes::add);
    List<TargetMetrics> figures =
        live.stream()
            .map(api -> report.metrics().getOrDefault(api.name(), TargetMetrics.NONE))
            .toList();
    if (figures.stream().anyMatch(metrics -> metrics.requests() > 0)
        && figures.stream().allMatch(metrics -> metrics.latency().count() == 0)) {
      notes.add("the metrics source reports no latency distributions: latency is not compared");
    }
    return new Comparison(
        spec.name(), baseline, window, sinceWritten, options.confidence(), rows, observed, notes);
  }

  private static Row compare(
      TargetApi api, TargetMetrics target, TargetMetrics base, double alpha, Options options) {
    @Nullable Estimate errors = null;
    if (target.requests() > 0 && base.requests() > 0) {
      errors =
          estimate(
              AlwaysValid.rateDifference(
                  target.requests(),
                  target.responses5xx(),
                  base.requests(),
                  base.responses5xx(),
                  alpha,
                  Math.max(2 * options.errorMargin(), MIN_SCALE)));
    }
    @Nullable Estimate p50 = ratio(target, base, 0.5, alpha);
    @Nullable Estimate p95 = ratio(target, base, 0.95, alpha);
    List<String> worse = new ArrayList<>();
    List<String> better = new ArrayList<>();
    List<String> same = new ArrayList<>();
    List<String> open = new ArrayList<>();
    boolean enough = target.requests() >= MIN_REQUESTS && base.requests() >= MIN_REQUESTS;
    if (!enough) {
      open.add("fewer than " + MIN_REQUESTS + " requests on a side");
    } else {
      judge(errors, options.errorMargin(), worse, better, same, open);
      double margin = options.latencyMargin();
      String within = String.format(Locale.ROOT, "within %.0f%%", (margin - 1) * 100);
      judgeRatio(p50, margin, "p50", within, worse, better, same, open);
      judgeRatio(p95, margin, "p95", within, worse, better, same, open);
    }
    Verdict verdict;
    List<String> reasons;
    if (!worse.isEmpty()) {
      verdict = Verdict.WORSE;
      reasons = worse;
    } else if (!better.isEmpty()) {
      verdict = Verdict.BETTER;
      reasons = better;
    } else if (enough && open.isEmpty() && !same.isEmpty()) {
      verdict = Verdict.NO_DIFFERENCE;
      reasons = same;
    } else {
      verdict = Verdict.NOT_ENOUGH_DATA;
      reasons = new ArrayList<>(same);
      reasons.addAll(open);
    }
    return row(api, target, errors, p50, p95, verdict, reasons);
  }

  private static void judgeRatio(
      @Nullable Estimate ratio,
      double margin,
      String name,
      String within,
      List<String> worse,
      List<String> better,
      List<String> same,
      List<String> open) {
    if (ratio == null) {
      return;
    }
    if (ratio.lower() > 1) {
      worse.add(name + " higher");
    } else if (ratio.upper() < 1) {
      better.add(name + " lower");
    } else if (ratio.lower() >= 1 / margin && ratio.upper() <= margin) {
      same.add(name + " " + within);
    } else {
      open.add(name + " undecided");
    }
  }

  private static void judge(
      @Nullable Estimate difference,
      double margin,
      List<String> worse,
      List<String> better,
      List<String> same,
      List<String> open) {
    if (difference == null) {
      open.add("5XX rate unknown");
    } else if (difference.lower() > 0) {
      worse.add("5XX rate higher");
    } else if (difference.upper() < 0) {
      better.add("5XX rate lower");
    } else if (difference.lower() >= -margin && difference.upper() <= margin) {
      same.add(String.format(Locale.ROOT, "5XX rate within %.2f pts", margin * 100));
    } else {
      open.add("5XX rate undecided");
    }
  }

  private static @Nullable Estimate ratio(
      TargetMetrics target, TargetMetrics base, double rank, double alpha) {
    Optional<Interval> ratio =
        AlwaysValid.quantileRatio(target.latency(), base.latency(), rank, alpha);
    return ratio.map(Comparer::estimate).orElse(null);
  }

  private static Estimate estimate(Interval interval) {
    return new Estimate(interval.estimate(), interval.lower(), interval.upper());
  }

  private static Row row(
      TargetApi api,
      TargetMetrics metrics,
      @Nullable Estimate errors,
      @Nullable Estimate p50,
      @Nullable Estimate p95,
      Verdict verdict,
      List<String> reasons) {
    return new Row(
        api.name(),
        api.weight(),
        metrics.requests(),
        metrics.responses5xx(),
        metrics.requests() == 0 ? null : (double) metrics.responses5xx() / metrics.requests(),
        errors,
        p50,
        p95,
        verdict,
        reasons);
  }

  private static List<TargetApi> live(TrafficSplitter spec) {
    return spec.apis().stream().filter(api -> !api.shadow()).toList();
  }
}

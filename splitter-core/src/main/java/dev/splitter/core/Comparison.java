package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.internal.Ages;
import dev.splitter.core.internal.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Is a target better than the baseline? Each live target of a splitter against one of them, on the
 * same window of traffic: requests, 5XX rate and its difference from the baseline's, p50 and p95
 * latency over the baseline's, each with an always-valid interval, and a verdict in words. What
 * {@link Deployer#compare} answers and {@code splitter compare} prints.
 *
 * <p>The intervals are confidence sequences (docs/architecture.md gives the method and its
 * references): over traffic counted from a fixed time, by default since the weights were last
 * written, they may be read as often as one likes and still hold at the stated confidence at every
 * reading at once. The confidence is shared out over every interval of the comparison (three per
 * target), so the chance that any verdict is wrong is at most {@code 1 - confidence}. Over a window
 * that slides ({@code Options.window}, the last hour) each reading holds on its own, but repeated
 * readings are not one sequence.
 *
 * @param splitter the splitter compared
 * @param baseline the target the others are compared with
 * @param window the traffic compared: the last this long
 * @param sinceWritten whether the window is the time since the weights were last written (the
 *     default) rather than one the caller chose
 * @param confidence over the whole comparison
 * @param rows the baseline first, then every other live target in the spec's order
 * @param observed the split since the weights were last written, next to the weights, as {@code
 *     get} shows it: a sample-ratio mismatch ({@link ObservedSplit#skewed}) makes every comparison
 *     suspect
 * @param notes what a person should know: the metrics source's notes, a skewed split
 */
@API(status = API.Status.EXPERIMENTAL)
public record Comparison(
    String splitter,
    String baseline,
    Duration window,
    boolean sinceWritten,
    double confidence,
    List<Row> rows,
    ObservedSplit observed,
    List<String> notes) {

  public Comparison {
    requireNonNull(splitter, "splitter");
    requireNonNull(baseline, "baseline");
    requireNonNull(window, "window");
    rows = List.copyOf(rows);
    requireNonNull(observed, "observed");
    notes = List.copyOf(notes);
  }

  /** What the evidence says of a target against the baseline. */
  public enum Verdict {
    /** The target the others are compared with. */
    BASELINE("baseline"),
    /** Shown better on some figure and worse on none. */
    BETTER("better"),
    /** Shown worse on some figure. */
    WORSE("worse"),
    /** Shown within the margins on every figure. */
    NO_DIFFERENCE("no difference"),
    /** Not shown either way yet. */
    NOT_ENOUGH_DATA("not enough data yet");

    private final String words;

    Verdict(String words) {
      this.words = words;
    }

    /** As {@code compare} prints it: {@code no difference}, {@code not enough data yet}. */
    public String words() {
      return words;
    }
  }

  /**
   * An estimate and its always-valid interval.
   *
   * @param upper {@link Double#POSITIVE_INFINITY} when the data cannot bound it yet
   */
  public record Estimate(double value, double lower, double upper) {}

  /**
   * One target against the baseline.
   *
   * @param errorRate its 5XX answers over its requests; null without requests
   * @param errorDifference its 5XX rate minus the baseline's; null for the baseline or without
   *     requests on either
   * @param p50Ratio its median latency over the baseline's; null for the baseline, or without
   *     latency distributions from the metrics source
   * @param p95Ratio the same for p95
   * @param reasons why the verdict, in words: {@code 5XX rate higher}, {@code p95 within 10%}
   */
  public record Row(
      String api,
      int weight,
      long requests,
      long errors,
      @Nullable Double errorRate,
      @Nullable Estimate errorDifference,
      @Nullable Estimate p50Ratio,
      @Nullable Estimate p95Ratio,
      Verdict verdict,
      List<String> reasons) {
    public Row {
      requireNonNull(api, "api");
      requireNonNull(verdict, "verdict");
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * What to compare, and how sure to be.
   *
   * @param baseline the target to compare with; null for the one with the most weight (the first in
   *     the spec on a tie)
   * @param window the traffic to compare, the last this long; null for the traffic since the
   *     weights were last written
   * @param confidence over the whole comparison, strictly between 0 and 1
   * @param errorMargin a 5XX rate difference within ± this is no difference: 0.005 is half a point
   * @param latencyMargin a latency ratio within 1/this to this is no difference: 1.1 is 10 %
   */
  public record Options(
      @Nullable String baseline,
      @Nullable Duration window,
      double confidence,
      double errorMargin,
      double latencyMargin) {

    /**
     * The defaults: the heaviest target, the traffic since the weights were last written, 95 %,
     * half a point, 10 %.
     */
    public static final Options DEFAULTS = new Options(null, null, 0.95, 0.005, 1.1);

    public Options {
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException(
            "confidence must be strictly between 0 and 1, got " + confidence);
      }
      if (!(errorMargin >= 0 && errorMargin < 1)) {
        throw new IllegalArgumentException("errorMargin must be within 0..1, got " + errorMargin);
      }
      if (!(latencyMargin >= 1 && Double.isFinite(latencyMargin))) {
        throw new IllegalArgumentException(
            "latencyMargin must be at least 1, got " + latencyMargin);
      }
      if (window != null && (window.isNegative() || window.isZero())) {
        throw new IllegalArgumentException("window must be positive, got " + window);
      }
    }

    /** These options with another baseline. */
    public Options withBaseline(@Nullable String baseline) {
      return new Options(baseline, window, confidence, errorMargin, latencyMargin);
    }

    /** These options over another window. */
    public Options withWindow(@Nullable Duration window) {
      return new Options(baseline, window, confidence, errorMargin, latencyMargin);
    }

    /** These options at another confidence. */
    public Options withConfidence(double confidence) {
      return new Options(baseline, window, confidence, errorMargin, latencyMargin);
    }
  }

  /** The comparison as {@code splitter compare} prints it. */
  public String toTable() {
    List<List<String>> table = new ArrayList<>();
    for (Row row : rows) {
      boolean isBaseline = row.verdict() == Verdict.BASELINE;
      table.add(
          List.of(
              row.api(),
              Integer.toString(row.weight()),
              Long.toString(row.requests()),
              row.errorRate() == null ? "-" : percent(row.errorRate()),
              isBaseline ? "-" : points(row.errorDifference()),
              isBaseline ? "-" : ratio(row.p50Ratio()),
              isBaseline ? "-" : ratio(row.p95Ratio()),
              row.verdict().words()
                  + (row.reasons().isEmpty() ? "" : ": " + String.join(", ", row.reasons()))));
    }
    StringBuilder text =
        new StringBuilder(
            Tables.render(
                List.of(
                    "apis",
                    "weight",
                    "requests",
                    "5XX rate",
                    "5XX vs baseline",
                    "p50 ratio",
                    "p95 ratio",
                    "verdict"),
                table));
    notes.forEach(note -> text.append("note: ").append(note).append('\n'));
    text.append('\n')
        .append("baseline: ")
        .append(baseline)
        .append(
            sinceWritten
                ? "; traffic since the weights were last written ("
                    + Ages.since(Instant.EPOCH, Instant.EPOCH.plus(window))
                    + " ago)"
                : "; traffic of the last " + Ages.since(Instant.EPOCH, Instant.EPOCH.plus(window)))
        .append("; intervals always valid at ")
        .append(Display.percentOf(confidence))
        .append("% over the whole comparison\n");
    return text.toString();
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  private static String points(@Nullable Estimate difference) {
    if (difference == null) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%+.2f pts (%+.2f to %+.2f)",
        difference.value() * 100,
        difference.lower() * 100,
        difference.upper() * 100);
  }

  private static String ratio(@Nullable Estimate ratio) {
    if (ratio == null) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%.2fx (%.2f-%s)",
        ratio.value(),
        ratio.lower(),
        Double.isInfinite(ratio.upper()) ? "?" : String.format(Locale.ROOT, "%.2f", ratio.upper()));
  }
}

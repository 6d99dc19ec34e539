package dev.splitter.core.internal;

import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.ShadowReport.FieldDifference;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** How shadow comparisons read: {@code get}'s shadow lines, {@code diff}'s pairs. */
@API(status = API.Status.INTERNAL)
public final class ShadowText {
  /** The differing fields {@code get} names. */
  private static final int FIELDS_SHOWN = 5;

  private ShadowText() {}

  /** Why a backend's {@code get} has no comparison for its shadow, and what works instead. */
  public static String notCompared(String backend) {
    return "the shadow's answers are not compared: the "
        + backend
        + " backend's proxy discards a mirror's answers (only its 2XX and 5XX are counted); to"
        + " compare them, send the same traffic through a `splitter serve` (the local gateway),"
        + " with the live API and the candidate as its shadow";
  }

  /** The lines {@code get} prints under its table for a compared shadow. */
  public static String report(ShadowReport report, Instant now) {
    StringBuilder text = new StringBuilder();
    text.append("\nshadow ")
        .append(report.api())
        .append(", compared with the live answers for the last ")
        .append(Ages.since(report.since(), now))
        .append(" (since the weights were last written):\n");
    long inFlight = report.mirrored() - report.compared() - report.notCompared();
    text.append("  agreement   ")
        .append(
            report.agreement().isPresent()
                ? percent(report.agreement().getAsDouble())
                    + " of "
                    + count(report.compared())
                    + " compared"
                : "- (nothing compared yet)")
        .append(" (")
        .append(count(report.mirrored()))
        .append(" mirrored, ")
        .append(count(report.notCompared()))
        .append(" not compared")
        .append(inFlight > 0 ? ", " + count(inFlight) + " in flight" : "")
        .append(")\n");
    text.append("  status      ")
        .append(count(report.statusMismatches()))
        .append(" mismatches (")
        .append(count(report.shadowFailures()))
        .append(" with no answer from the shadow)\n");
    if (report.compared() > 0) {
      text.append("  latency     p50 ")
          .append(versus(report.shadowLatency(), report.liveLatency(), 0.5))
          .append("; p95 ")
          .append(versus(report.shadowLatency(), report.liveLatency(), 0.95))
          .append('\n');
    }
    List<FieldDifference> fields = report.fields();
    if (!fields.isEmpty()) {
      text.append("  differing   ")
          .append(
              fields.stream()
                  .limit(FIELDS_SHOWN)
                  .map(
                      field ->
                          (field.path().isEmpty() ? "(body)" : field.path())
                              + " "
                              + count(field.count())
                              + (field.noise() ? " (noise)" : ""))
                  .collect(Collectors.joining(" · ")))
          .append(fields.size() > FIELDS_SHOWN ? " · …" : "")
          .append('\n');
    }
    if (report.noisePairs() > 0) {
      text.append("  noise       ")
          .append(count(report.noisePairs()))
          .append(" requests answered twice by the live target\n");
    }
    return text.toString();
  }

  /** {@code diff}'s text: each disagreeing pair, newest first. */
  public static String differences(String splitter, List<ShadowDifference> differences) {
    if (differences.isEmpty()) {
      return "no disagreement between "
          + splitter
          + "'s shadow and its live targets kept (the gateway keeps the last 100)\n";
    }
    StringBuilder text = new StringBuilder();
    for (ShadowDifference difference : differences) {
      text.append(difference.at().truncatedTo(ChronoUnit.MILLIS))
          .append("  ")
          .append(difference.method())
          .append(' ')
          .append(difference.uri())
          .append("  differ at: ")
          .append(String.join(", ", difference.paths()))
          .append('\n');
      text.append("  request   ").append(oneLine(difference.request())).append('\n');
      text.append("  live      ")
          .append(difference.liveApi())
          .append(" ")
          .append(difference.liveStatus())
          .append(" in ")
          .append(Tables.millis(difference.liveLatency()))
          .append(": ")
          .append(oneLine(difference.liveAnswer()))
          .append('\n');
      text.append("  shadow    ")
          .append(difference.shadowApi())
          .append(" ")
          .append(difference.shadowStatus())
          .append(" in ")
          .append(Tables.millis(difference.shadowLatency()))
          .append(": ")
          .append(oneLine(difference.shadowAnswer()))
          .append("\n\n");
    }
    return text.toString();
  }

  private static String versus(LatencyDistribution shadow, LatencyDistribution live, double rank) {
    Optional<Duration> s = shadow.quantile(rank);
    Optional<Duration> l = live.quantile(rank);
    if (s.isEmpty() || l.isEmpty()) {
      return "-";
    }
    String ratio =
        l.get().isZero()
            ? ""
            : String.format(
                Locale.ROOT, " (×%.2f)", (double) s.get().toNanos() / l.get().toNanos());
    return Tables.millis(s.get()) + " vs " + Tables.millis(l.get()) + " live" + ratio;
  }

  private static String oneLine(String text) {
    String line = text.replace("\r", "\\r").replace("\n", "\\n");
    return line.isEmpty() ? "(empty)" : line;
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String count(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }
}

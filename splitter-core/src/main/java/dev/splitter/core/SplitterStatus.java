package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.internal.Ages;
import dev.splitter.core.internal.ShadowText;
import dev.splitter.core.internal.Tables;
import dev.splitter.model.Assignment;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.ShadowReport;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A deployed splitter as {@code get} shows it: one row per target, then when it was last updated
 * and where it is reached.
 *
 * @param splitter the deployed spec
 * @param lastUpdated when its routing object was last written
 * @param endpoint where callers reach it; null if it is not exposed
 * @param targets one entry per target, in the spec's order
 * @param notes what a person should know about the figures (a metrics source that could not answer,
 *     no samples in the window); printed under the table
 * @param observed the split the counted traffic took since the routing object was last written (or
 *     over the metrics window, if that is shorter), next to the weights
 * @param assignmentMode how the routing object keeps one user's requests on one target
 * @param assignment the bucket layout it keeps for keyed requests; null when it keeps none
 * @param shadow how the shadow's answers compared with the live ones; null when it has no shadow or
 *     the metrics source does not compare them (then a note says so)
 */
@API(status = API.Status.STABLE)
public record SplitterStatus(
    TrafficSplitter splitter,
    Instant lastUpdated,
    @Nullable URI endpoint,
    List<TargetStatus> targets,
    List<String> notes,
    ObservedSplit observed,
    AssignmentMode assignmentMode,
    @Nullable Assignment assignment,
    @Nullable ShadowReport shadow) {

  private static final List<String> HEADERS =
      List.of("apis", "weights", "status", "requested", "last update", "avg request", "2XX", "5XX");

  /** With counted traffic, each target's observed share is shown next to its weight. */
  private static final List<String> HEADERS_OBSERVED =
      List.of(
          "apis",
          "weights",
          "observed",
          "status",
          "requested",
          "last update",
          "avg request",
          "2XX",
          "5XX");

  /** The latency percentiles {@code get} shows, by rank, and their columns. */
  private static final double[] RANKS = {0.5, 0.95, 0.99};

  private static final List<String> PERCENTILES = List.of("p50", "p95", "p99");

  public SplitterStatus {
    requireNonNull(splitter, "splitter");
    requireNonNull(lastUpdated, "lastUpdated");
    targets = List.copyOf(targets);
    notes = List.copyOf(notes);
    requireNonNull(observed, "observed");
    requireNonNull(assignmentMode, "assignmentMode");
  }

  /** The status of a splitter whose shadow's answers are not compared. */
  public SplitterStatus(
      TrafficSplitter splitter,
      Instant lastUpdated,
      @Nullable URI endpoint,
      List<TargetStatus> targets,
      List<String> notes,
      ObservedSplit observed,
      AssignmentMode assignmentMode,
      @Nullable Assignment assignment) {
    this(
        splitter,
        lastUpdated,
        endpoint,
        targets,
        notes,
        observed,
        assignmentMode,
        assignment,
        null);
  }

  /**
   * The status of a splitter whose requests are all drawn at random, its split observed over the
   * same traffic as the targets' figures.
   */
  public SplitterStatus(
      TrafficSplitter splitter,
      Instant lastUpdated,
      @Nullable URI endpoint,
      List<TargetStatus> targets,
      List<String> notes) {
    this(
        splitter,
        lastUpdated,
        endpoint,
        targets,
        notes,
        ObservedSplit.of(targets),
        AssignmentMode.RANDOM,
        null,
        null);
  }

  /** The split the counted traffic took, next to the weights: {@link #observed}. */
  public ObservedSplit observedSplit() {
    return observed;
  }

  /** The {@code get NAME} output, as of now. */
  public String toTable() {
    return toTable(Instant.now());
  }

  /**
   * The {@code get NAME} output of the Cortex CLI, with ages counted to {@code now}; once the
   * metrics source counted requests, each target's observed share stands next to its weight, and a
   * note says when the split is further from the weights than chance allows ({@link
   * ObservedSplit}):
   *
   * <pre>
   * apis             weights   observed   status   requested   last update   avg request   2XX   5XX
   * another-my-api   80        80.3%      live     1           5m            11.2 ms       803   0
   * my-api           20        19.7%      live     1           6m            10.9 ms       197   0
   * </pre>
   *
   * <p>With a source that knows how latencies were spread, p50, p95 and p99 follow as the last
   * columns; with a shadow whose answers the source compares, its agreement follows the last line.
   *
   * <pre>
   *
   * last updated: 4m
   * endpoint: http://127.0.0.1:8080/traffic-splitter
   * curl: curl http://127.0.0.1:8080/traffic-splitter -X POST -H "Content-Type: application/json" -d @sample.json
   * </pre>
   */
  public String toTable(Instant now) {
    ObservedSplit split = observedSplit();
    boolean observed = split.requests() > 0;
    // Pinned requests are not part of the split: a column of their own, outside every figure.
    boolean pinned = targets.stream().anyMatch(target -> target.metrics().pinned() > 0);
    // Percentiles once the source has a distribution: last, after the columns scripts may read.
    boolean percentiles =
        targets.stream().anyMatch(target -> target.metrics().latency().count() > 0);
    List<List<String>> rows =
        targets.stream()
            .sorted(Comparator.comparing(target -> target.api().name()))
            .map(target -> row(target, now, observed ? split : null, pinned, percentiles))
            .toList();
    List<String> headers = new ArrayList<>(observed ? HEADERS_OBSERVED : HEADERS);
    if (pinned) {
      headers.add("pinned");
    }
    if (percentiles) {
      headers.addAll(PERCENTILES);
    }
    StringBuilder text = new StringBuilder(Tables.render(headers, rows));
    notes.forEach(note -> text.append("note: ").append(note).append('\n'));
    split.note(targets).ifPresent(note -> text.append("note: ").append(note).append('\n'));
    text.append("\nlast updated: ").append(Ages.since(lastUpdated, now)).append('\n');
    Optional.ofNullable(endpoint)
        .ifPresent(
            url ->
                text.append("endpoint: ")
                    .append(url)
                    .append('\n')
                    .append("curl: curl ")
                    .append(url)
                    .append(" -X POST -H \"Content-Type: application/json\" -d @sample.json\n"));
    // After Cortex's lines, which scripts written for its output may read.
    if (assignmentMode.kind() != AssignmentMode.Kind.RANDOM) {
      text.append("assignment: ").append(assignmentMode.describe()).append('\n');
    }
    if (assignment != null) {
      text.append("buckets: ").append(assignment.encode()).append('\n');
    }
    if (shadow != null) {
      text.append(ShadowText.report(shadow, now));
    }
    return text.toString();
  }

  private static List<String> row(
      TargetStatus target,
      Instant now,
      @Nullable ObservedSplit split,
      boolean pinned,
      boolean percentiles) {
    boolean served = target.metrics().requests() > 0;
    List<String> row = new ArrayList<>();
    row.add(target.api().name() + (target.api().shadow() ? " (shadow)" : ""));
    row.add(Integer.toString(target.api().weight()));
    if (split != null) {
      row.add(split.share(target.api().name()).orElse("-"));
    }
    row.addAll(rest(target, now, served));
    if (pinned) {
      row.add(Long.toString(target.metrics().pinned()));
    }
    if (percentiles) {
      for (double rank : RANKS) {
        row.add(target.metrics().latency().quantile(rank).map(Tables::millis).orElse("-"));
      }
    }
    return row;
  }

  private static List<String> rest(TargetStatus target, Instant now, boolean served) {
    return List.of(
        Display.state(target.status().state()),
        Integer.toString(target.status().requested()),
        Optional.ofNullable(target.status().lastUpdated())
            .map(at -> Ages.since(at, now))
            .orElse("-"),
        Optional.ofNullable(target.metrics().averageLatency()).map(Tables::millis).orElse("-"),
        served ? Long.toString(target.metrics().responses2xx()) : "-",
        served ? Long.toString(target.metrics().responses5xx()) : "-");
  }
}

package dev.splitter.cli.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.splitter.core.Comparison;
import dev.splitter.core.Display;
import dev.splitter.core.ObservedSplit;
import dev.splitter.core.SplitterStatus;
import dev.splitter.core.SplitterSummary;
import dev.splitter.core.TargetStatus;
import dev.splitter.model.Assignment;
import dev.splitter.model.TargetApi;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/** What {@code get} prints with {@code -o json|yaml}, and what a running serve sends. */
@API(status = API.Status.INTERNAL)
public final class Views {
  private Views() {}

  /** A view and the table that shows it. */
  public record Rendered<T>(T view, String table) {}

  /** One splitter, as {@code get NAME} shows it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      String name,
      @Nullable String endpoint,
      @JsonProperty("last_updated") Instant lastUpdated,
      List<Api> apis,
      @Nullable Split split,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes,
      @Nullable KeyAssignment assignment,
      @Nullable Shadow shadow) {

    static Status of(SplitterStatus status) {
      ObservedSplit split = status.observedSplit();
      return new Status(
          status.splitter().name(),
          Objects.toString(status.endpoint(), null),
          status.lastUpdated(),
          status.targets().stream()
              .map(target -> Api.of(target, split.shares().get(target.api().name())))
              .toList(),
          split.requests() == 0 ? null : Split.of(split),
          status.notes(),
          KeyAssignment.of(status.assignmentMode(), status.assignment()),
          status.shadow() == null ? null : Shadow.of(status.shadow()));
    }

    public Status {
      notes = notes == null ? List.of() : List.copyOf(notes); // absent from serve's JSON: none
    }
  }

  /**
   * How keyed users are kept on one target: {@code mode} is {@code random}, {@code key}, {@code
   * bucket} or {@code cookie}; {@code buckets} the layout {@code Assignment.decode} reads.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KeyAssignment(
      String mode,
      @Nullable String header,
      @JsonProperty("stickiness_seconds") @Nullable Long stickinessSeconds,
      @Nullable String buckets) {

    static KeyAssignment of(AssignmentMode mode, @Nullable Assignment layout) {
      return new KeyAssignment(
          mode.kind().name().toLowerCase(Locale.ROOT),
          mode.header(),
          mode.stickiness() == null ? null : mode.stickiness().toSeconds(),
          layout == null ? null : layout.encode());
    }
  }

  /** One target of a splitter. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Api(
      String name,
      int weight,
      boolean shadow,
      String status,
      int requested,
      @JsonProperty("last_update") @Nullable Instant lastUpdate,
      @JsonProperty("avg_request_ms") @Nullable Double averageRequestMillis,
      @JsonProperty("responses_2xx") long responses2xx,
      @JsonProperty("responses_5xx") long responses5xx,
      long requests,
      @JsonProperty("observed_share") @Nullable Double observedShare,
      @JsonProperty("pinned_requests") long pinnedRequests,
      @JsonProperty("latency_ms") @Nullable Percentiles latency) {

    static Api of(TargetStatus target, @Nullable Double observedShare) {
      return new Api(
          target.api().name(),
          target.api().weight(),
          target.api().shadow(),
          Display.state(target.status().state()),
          target.status().requested(),
          target.status().lastUpdated(),
          millis(target.metrics().averageLatency()),
          target.metrics().responses2xx(),
          target.metrics().responses5xx(),
          target.metrics().requests(),
          observedShare,
          target.metrics().pinned(),
          Percentiles.of(target.metrics().latency()));
    }
  }

  /**
   * How the shadow's answers compared with the live ones since the weights were last written:
   * {@code agreement} is absent before the first comparison.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Shadow(
      String api,
      Instant since,
      long mirrored,
      long compared,
      long agreed,
      @Nullable Double agreement,
      @JsonProperty("status_mismatches") long statusMismatches,
      @JsonProperty("shadow_failures") long shadowFailures,
      @JsonProperty("not_compared") long notCompared,
      List<Field> fields,
      @JsonProperty("live_latency_ms") @Nullable Percentiles liveLatency,
      @JsonProperty("shadow_latency_ms") @Nullable Percentiles shadowLatency,
      @JsonProperty("noise_pairs") long noisePairs) {

    static Shadow of(ShadowReport report) {
      return new Shadow(
          report.api(),
          report.since(),
          report.mirrored(),
          report.compared(),
          report.agreed(),
          report.agreement().isPresent() ? report.agreement().getAsDouble() : null,
          report.statusMismatches(),
          report.shadowFailures(),
          report.notCompared(),
          report.fields().stream().map(Field::of).toList(),
          Percentiles.of(report.liveLatency()),
          Percentiles.of(report.shadowLatency()),
          report.noisePairs());
    }
  }

  /** A JSON path where the shadow's answers differed, and how often. */
  public record Field(
      String path, long count, @JsonProperty("noise_count") long noiseCount, boolean noise) {
    static Field of(ShadowReport.FieldDifference field) {
      return new Field(field.path(), field.count(), field.noiseCount(), field.noise());
    }
  }

  /** {@code diff}'s pairs, newest first. */
  public record Differences(String splitter, List<Difference> differences) {
    static Differences of(String splitter, List<ShadowDifference> differences) {
      return new Differences(splitter, differences.stream().map(Difference::of).toList());
    }
  }

  /** One request whose shadow answer disagreed with the live one. */
  public record Difference(
      Instant at,
      String method,
      String uri,
      String request,
      List<String> paths,
      @JsonProperty("live_api") String liveApi,
      @JsonProperty("live_status") int liveStatus,
      @JsonProperty("live_answer") String liveAnswer,
      @JsonProperty("live_ms") double liveMillis,
      @JsonProperty("shadow_api") String shadowApi,
      @JsonProperty("shadow_status") int shadowStatus,
      @JsonProperty("shadow_answer") String shadowAnswer,
      @JsonProperty("shadow_ms") double shadowMillis) {
    static Difference of(ShadowDifference difference) {
      return new Difference(
          difference.at(),
          difference.method(),
          difference.uri(),
          difference.request(),
          difference.paths(),
          difference.liveApi(),
          difference.liveStatus(),
          difference.liveAnswer(),
          difference.liveLatency().toNanos() / 1e6,
          difference.shadowApi(),
          difference.shadowStatus(),
          difference.shadowAnswer(),
          difference.shadowLatency().toNanos() / 1e6);
    }
  }

  /** A target's latency percentiles in milliseconds; absent from a source that has none. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Percentiles(
      @Nullable Double p50, @Nullable Double p95, @Nullable Double p99, long count) {
    static @Nullable Percentiles of(LatencyDistribution latency) {
      if (latency.count() == 0) {
        return null;
      }
      return new Percentiles(
          millis(latency.quantile(0.5).orElse(null)),
          millis(latency.quantile(0.95).orElse(null)),
          millis(latency.quantile(0.99).orElse(null)),
          latency.count());
    }
  }

  /**
   * How the counted traffic split, against the weights: {@code p_value} is absent when there were
   * too few requests to tell.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Split(
      long requests, @JsonProperty("p_value") @Nullable Double pValue, boolean skewed) {
    static Split of(ObservedSplit split) {
      return new Split(split.requests(), split.pValue(), split.skewed());
    }
  }

  /** One line of {@code get} without a name. */
  public record Summary(
      String name, List<Weight> apis, @JsonProperty("last_updated") Instant lastUpdated) {

    static Summary of(SplitterSummary summary) {
      return new Summary(
          summary.splitter().name(),
          summary.splitter().apis().stream().map(Weight::of).toList(),
          summary.lastUpdated());
    }
  }

  /** A target's name and weight. */
  public record Weight(String name, int weight, boolean shadow) {
    static Weight of(TargetApi api) {
      return new Weight(api.name(), api.weight(), api.shadow());
    }
  }

  /**
   * A comparison, as {@code compare -o json} prints it: {@code since_written} when the window is
   * the time since the weights were last written (the default), not a {@code --since} one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Compared(
      String splitter,
      String baseline,
      @JsonProperty("window_seconds") long windowSeconds,
      @JsonProperty("since_written") boolean sinceWritten,
      double confidence,
      List<ComparedApi> apis,
      @Nullable Split split,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes) {

    static Compared of(Comparison comparison) {
      return new Compared(
          comparison.splitter(),
          comparison.baseline(),
          comparison.window().toSeconds(),
          comparison.sinceWritten(),
          comparison.confidence(),
          comparison.rows().stream().map(ComparedApi::of).toList(),
          comparison.observed().requests() == 0 ? null : Split.of(comparison.observed()),
          comparison.notes());
    }

    public Compared {
      notes = notes == null ? List.of() : List.copyOf(notes);
    }
  }

  /**
   * One target against the baseline: {@code verdict} is {@code baseline}, {@code better}, {@code
   * worse}, {@code no_difference} or {@code not_enough_data}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ComparedApi(
      String name,
      int weight,
      long requests,
      @JsonProperty("responses_5xx") long responses5xx,
      @JsonProperty("error_rate") @Nullable Double errorRate,
      @JsonProperty("error_rate_difference") @Nullable Range errorRateDifference,
      @JsonProperty("p50_ratio") @Nullable Range p50Ratio,
      @JsonProperty("p95_ratio") @Nullable Range p95Ratio,
      String verdict,
      List<String> reasons) {

    static ComparedApi of(Comparison.Row row) {
      return new ComparedApi(
          row.api(),
          row.weight(),
          row.requests(),
          row.errors(),
          row.errorRate(),
          Range.of(row.errorDifference()),
          Range.of(row.p50Ratio()),
          Range.of(row.p95Ratio()),
          row.verdict().name().toLowerCase(Locale.ROOT),
          row.reasons());
    }
  }

  /** An estimate and its always-valid interval; {@code upper} is absent when nothing bounds it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Range(double value, double lower, @Nullable Double upper) {
    static @Nullable Range of(Comparison.@Nullable Estimate estimate) {
      return estimate == null
          ? null
          : new Range(
              estimate.value(),
              estimate.lower(),
              Double.isInfinite(estimate.upper()) ? null : estimate.upper());
    }
  }

  /** What a deploy did, or would do. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Deployed(List<String> messages, List<String> warnings, @Nullable String plan) {}

  private static @Nullable Double millis(@Nullable Duration duration) {
    return duration == null ? null : duration.toNanos() / 1e6;
  }
}

package dev.splitter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.Comparison;
import dev.splitter.core.Comparison.Verdict;
import dev.splitter.core.ObservedSplit;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.TargetMetrics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdicts from a source without latency distributions: error rates alone, and a note. */
class ComparerTest {
  private static final TrafficSplitter SPEC =
      TrafficSplitter.builder()
          .name("ab")
          .apiGateway(ApiGateway.NONE)
          .target("a", 50)
          .target("b", 25)
          .target("c", 25)
          .build();

  @Test
  void errorRatesDecideAndTheMissingLatencyIsSaid() {
    MetricsReport report =
        MetricsReport.of(
            Map.of(
                "a", new TargetMetrics(10_000, 9500, 500, Duration.ofMillis(5)),
                "b", new TargetMetrics(5000, 4500, 500, Duration.ofMillis(5)),
                "c", new TargetMetrics(5000, 5000, 0, Duration.ofMillis(5))));
    Comparison comparison =
        Comparer.compare(
            SPEC,
            ObservedSplit.of(SPEC, report.metrics()),
            Comparer.baseline(SPEC, Comparison.Options.DEFAULTS),
            report,
            Duration.ofHours(1),
            false,
            Comparison.Options.DEFAULTS);

    assertThat(comparison.baseline()).isEqualTo("a");
    assertThat(comparison.rows())
        .extracting(Comparison.Row::api, Comparison.Row::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", Verdict.BASELINE),
            org.assertj.core.groups.Tuple.tuple("b", Verdict.WORSE),
            org.assertj.core.groups.Tuple.tuple("c", Verdict.BETTER));
    Comparison.Row worse = comparison.rows().get(1);
    assertThat(worse.reasons()).containsExactly("5XX rate higher");
    assertThat(worse.errorRate()).isEqualTo(0.1);
    assertThat(worse.errorDifference().value())
        .isEqualTo(0.05, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(worse.p50Ratio()).isNull();
    assertThat(comparison.notes())
        .containsExactly(
            "the metrics source reports no latency distributions: latency is not compared");
    assertThat(comparison.toTable())
        .contains("+5.00 pts (", "worse: 5XX rate higher", "better: 5XX rate lower")
        .contains("traffic of the last 1h");
  }
}

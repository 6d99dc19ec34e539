package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.Comparison;
import dev.splitter.core.Comparison.Row;
import dev.splitter.core.Comparison.Verdict;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code compare} on the embedded gateway, with real requests to sample APIs over loopback: the
 * gateway's latency histograms and counts, the always-valid intervals and the verdicts.
 */
class CompareTest {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final LocalCluster cluster = LocalCluster.builder().start();

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    for (AutoCloseable api : opened) {
      api.close();
    }
  }

  @Test
  void theSlowerOfTwoTargetsIsWorse() {
    api(SampleApi.start("my-api"));
    api(SampleApi.builder("my-api-v2").latency(Duration.ofMillis(15)).start());
    deploy("my-api", 50, "my-api-v2", 50);
    Http.postMany(cluster.endpointUrl("ab"), 600, 8);

    Comparison comparison = cluster.deployer().compare("ab");

    assertThat(comparison.baseline()).isEqualTo("my-api"); // the heavier, the first on a tie
    Row baseline = comparison.rows().get(0);
    Row candidate = comparison.rows().get(1);
    assertThat(baseline.verdict()).isEqualTo(Verdict.BASELINE);
    assertThat(candidate.api()).isEqualTo("my-api-v2");
    assertThat(candidate.requests()).isBetween(200L, 400L);
    assertThat(candidate.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(candidate.reasons()).contains("p50 higher");
    assertThat(candidate.p50Ratio().lower()).isGreaterThan(1);
    assertThat(comparison.toTable())
        .contains("apis", "5XX vs baseline", "p50 ratio", "worse: ")
        .contains("baseline: my-api; traffic since the weights were last written (")
        .contains("; intervals always valid at 95%");
  }

  @Test
  void twoEqualTargetsShowNoDifferenceOnceThereIsEnoughTraffic() {
    api(SampleApi.builder("my-api").latency(Duration.ofMillis(5)).start());
    api(SampleApi.builder("my-api-v2").latency(Duration.ofMillis(5)).start());
    deploy("my-api", 50, "my-api-v2", 50);
    Http.postMany(cluster.endpointUrl("ab"), 40, 4);

    Row early = cluster.deployer().compare("ab").rows().get(1);

    assertThat(early.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
    assertThat(early.reasons()).contains("fewer than 100 requests on a side");

    Http.postMany(cluster.endpointUrl("ab"), 3000, 8);
    Comparison later =
        cluster
            .deployer()
            .compare(
                "ab", Comparison.Options.DEFAULTS.withBaseline("my-api-v2").withConfidence(0.9));

    assertThat(later.baseline()).isEqualTo("my-api-v2");
    Row row = later.rows().get(1);
    assertThat(row.api()).isEqualTo("my-api");
    // No errors on either side: the difference is shown within half a point.
    assertThat(row.errorDifference().upper()).isLessThan(0.005);
    assertThat(row.verdict()).isIn(Verdict.NO_DIFFERENCE, Verdict.NOT_ENOUGH_DATA);
    assertThat(row.reasons()).contains("5XX rate within 0.50 pts");
  }

  @Test
  void aBaselineThatIsNotALiveTargetIsRefused() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy("my-api", 50, "my-api-v2", 50);

    assertThatThrownBy(
            () ->
                cluster.deployer().compare("ab", Comparison.Options.DEFAULTS.withBaseline("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nope is not a live target of ab (its live targets: my-api, my-api-v2)");
  }

  private void api(SampleApi api) {
    opened.add(api);
    cluster.registerApi(api.name(), api.uri());
  }

  private void deploy(String first, int firstWeight, String second, int secondWeight) {
    cluster
        .deployer()
        .deploy(
            SplitterConfig.of(
                TrafficSplitter.builder()
                    .name("ab")
                    .apiGateway(ApiGateway.NONE)
                    .target(first, firstWeight)
                    .target(second, secondWeight)
                    .build()));
  }
}

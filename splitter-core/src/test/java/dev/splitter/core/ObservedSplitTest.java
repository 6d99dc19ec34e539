package dev.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitter.core.internal.ChiSquare;
import dev.splitter.model.TargetApi;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.TargetMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedSplitTest {

  @Test
  void pValuesMatchTheChiSquareTables() {
    // Critical values from any chi-square table.
    assertThat(ChiSquare.pValue(3.841459, 1)).isCloseTo(0.05, within(1e-6));
    assertThat(ChiSquare.pValue(10.827566, 1)).isCloseTo(0.001, within(1e-7));
    assertThat(ChiSquare.pValue(5.991465, 2)).isCloseTo(0.05, within(1e-6));
    assertThat(ChiSquare.pValue(11.070498, 5)).isCloseTo(0.05, within(1e-6));
    assertThat(ChiSquare.pValue(0.454936, 1)).isCloseTo(0.5, within(1e-6));
    assertThat(ChiSquare.pValue(0, 3)).isEqualTo(1.0);
    assertThat(ChiSquare.pValue(500, 2)).isLessThan(1e-100);
  }

  @Test
  void aSplitAsWeightedIsNotFlagged() {
    ObservedSplit split =
        ObservedSplit.of(List.of(target("a", 80, 16_050), target("b", 20, 3_950)));

    assertThat(split.requests()).isEqualTo(20_000);
    assertThat(split.share("a")).hasValue("80.3%");
    assertThat(split.pValue()).isGreaterThan(0.05);
    assertThat(split.skewed()).isFalse();
    assertThat(split.note(List.of())).isEmpty();
  }

  @Test
  void aSkewedSplitIsFlaggedWithANote() {
    List<TargetStatus> targets = List.of(target("a", 80, 1_600), target("b", 20, 800));

    ObservedSplit split = ObservedSplit.of(targets);

    assertThat(split.skewed()).isTrue();
    assertThat(split.note(targets))
        .hasValueSatisfying(
            note ->
                assertThat(note)
                    .startsWith("the observed split is further from the weights than chance allows")
                    .endsWith("over 2400 requests): a 66.7% for weight 80, b 33.3% for weight 20"));
  }

  @Test
  void tooFewRequestsOrTargetsAreNotJudged() {
    assertThat(ObservedSplit.of(List.of(target("a", 80, 60), target("b", 20, 30))).pValue())
        .isNull();
    // 1 % of 200 expected is 2, under the 5 the test needs.
    assertThat(ObservedSplit.of(List.of(target("a", 99, 190), target("b", 1, 10))).pValue())
        .isNull();
    assertThat(ObservedSplit.of(List.of(target("a", 100, 5000))).pValue()).isNull();
    // No count at all for b: its source may have no samples for it, so no judgement.
    assertThat(ObservedSplit.of(List.of(target("a", 80, 5000), target("b", 20, 0))).pValue())
        .isNull();
    assertThat(ObservedSplit.of(List.of(target("a", 80, 0), target("b", 20, 0))).shares())
        .isEmpty();
  }

  @Test
  void shadowsAreLeftOutAndWeightZeroTargetsShowTheirShareOnly() {
    ObservedSplit split =
        ObservedSplit.of(
            List.of(
                target("a", 80, 800),
                target("b", 20, 200),
                target("pinned", 0, 50),
                new TargetStatus(
                    new TargetApi("mirror", 50, true),
                    new ApiStatus(ApiState.LIVE, 1, null),
                    new TargetMetrics(500, 500, 0, null))));

    assertThat(split.shares()).containsOnlyKeys("a", "b", "pinned");
    assertThat(split.share("pinned")).hasValue("4.8%");
    assertThat(split.skewed()).isFalse();
  }

  private static TargetStatus target(String name, int weight, long requests) {
    return new TargetStatus(
        new TargetApi(name, weight, false),
        new ApiStatus(ApiState.LIVE, 1, null),
        new TargetMetrics(requests, requests, 0, null));
  }
}

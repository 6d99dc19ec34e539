package dev.splitter.rollout.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStateTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00.750Z");

  @Test
  void sequentialGatesTheirConfidenceChecksAndStartAreKept() {
    RolloutSpec spec =
        new RolloutSpec(
            "traffic-splitter",
            "my-api",
            "my-api-v2",
            List.of(10, 50, 100),
            Duration.ofMinutes(5),
            List.of(
                Gate.maxErrorRate(0.01),
                Gate.errorRateVsBaseline(0.005),
                Gate.latencyVsBaseline(0.999, 1.25)),
            200,
            3,
            0.99,
            Duration.ofSeconds(20));
    RolloutState state = RolloutState.start(spec, "my-api", 80, null).atStep(1, NOW);

    String text = state.encode();
    RolloutState read = RolloutState.decode(text).orElseThrow();

    assertThat(text)
        .contains("g=e:0.01/d:0.005/p99.9:1.25", "cf=0.99", "ce=PT20S", "t=1796385600")
        .hasSizeLessThanOrEqualTo(256);
    assertThat(read).isEqualTo(state);
    assertThat(read.started()).isEqualTo(Instant.parse("2026-12-04T12:00:00Z"));
    assertThat(read.spec("traffic-splitter")).isEqualTo(spec);
    // The start is kept from the first step on.
    assertThat(read.atStep(2, NOW.plusSeconds(600)).started()).isEqualTo(read.started());
  }

  @Test
  void aShadowGateStartsTheStepsWithTheShadowStepWhichMirrorsEveryRequest() {
    RolloutSpec spec =
        new RolloutSpec(
            "traffic-splitter",
            "my-api",
            "my-api-v2",
            List.of(10, 100),
            Duration.ofMinutes(5),
            List.of(Gate.minShadowAgreement(0.99), Gate.maxErrorRate(0.01)),
            200,
            3);
    RolloutState state = RolloutState.start(spec, "my-api", 80, null);
    TrafficSplitter current =
        TrafficSplitter.builder()
            .name("traffic-splitter")
            .target("my-api", 80)
            .target("b", 20)
            .build();

    assertThat(spec.steps()).containsExactly(0, 10, 100);
    assertThat(spec.toString()).contains("steps shadow/10/100%");
    assertThat(state.encode()).contains("s=0/10/100", "g=a:0.99/e:0.01");
    RolloutState read = RolloutState.decode(state.encode()).orElseThrow();
    assertThat(read.steps()).isEqualTo(state.steps());
    assertThat(read.gates()).isEqualTo(state.gates());
    assertThat(state.specAt(current, 0).apis())
        .containsExactly(
            new TargetApi("my-api", 80, false),
            new TargetApi("b", 20, false),
            new TargetApi("my-api-v2", 100, true));
    assertThat(state.specAt(current, 1).apis())
        .contains(new TargetApi("my-api", 72, false), new TargetApi("my-api-v2", 8, false));
    assertThat(state.restored(state.specAt(current, 0)).apis())
        .containsExactly(new TargetApi("my-api", 80, false), new TargetApi("b", 20, false));
    assertThatThrownBy(
            () ->
                new RolloutSpec(
                    "traffic-splitter",
                    null,
                    "my-api-v2",
                    List.of(0, 50),
                    Duration.ofMinutes(5),
                    List.of(Gate.maxErrorRate(0.01)),
                    200,
                    3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("steps must rise within 1..100, got [0, 50] (0 after 0)");
  }

  @Test
  void aStateWrittenBeforeSequentialGatesReadsWithTheDefaults() {
    RolloutState read =
        RolloutState.decode(
                "v1 run n=4f0c9a1e b=my-api c=my-api-v2 wb=80 wc=- s=5/25/50/100 k=1 i=PT5M"
                    + " g=e:0.01/l:1.2 m=200 x=3 r=12000000")
            .orElseThrow();

    assertThat(read.confidence()).isEqualTo(0.95);
    assertThat(read.started()).isNull();
    assertThat(read.gates()).containsExactly(Gate.maxErrorRate(0.01), Gate.maxLatencyRatio(1.2));
    assertThat(read.encode()).doesNotContain("cf=", "t=");
  }

  @Test
  void aGateThisVersionDoesNotKnowMakesTheStateUnreadable() {
    assertThat(
            RolloutState.decode(
                "v1 run n=4f0c9a1e b=a c=b wb=80 wc=- s=100 k=0 i=PT5M g=z:1 m=1 x=0 r=-"))
        .isEmpty();
  }
}

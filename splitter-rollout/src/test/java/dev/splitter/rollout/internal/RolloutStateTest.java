package dev.splitter.rollout.internal;

import static org.assertj.core.api.Assertions.assertThat;

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

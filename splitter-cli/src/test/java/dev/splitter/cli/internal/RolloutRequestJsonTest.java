package dev.splitter.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code splitter rollout} sends to {@code splitter serve}: the library's own spec. */
class RolloutRequestJsonTest {
  @Test
  void aRolloutSpecCrossesToServeWhole() throws Exception {
    RolloutSpec spec =
        new RolloutSpec(
            "traffic-splitter",
            null,
            "my-api-v2",
            List.of(10, 50, 100),
            Duration.ofSeconds(90),
            List.of(Gate.maxErrorRate(0.01), Gate.maxLatencyRatio(1.2)),
            200,
            2);

    String json = Json.JSON.writeValueAsString(Rollouts.Request.start(spec));

    assertThat(json)
        .contains("\"interval\":\"PT1M30S\"")
        .contains("{\"kind\":\"max-error-rate\",\"threshold\":0.01}");
    assertThat(Json.JSON.readValue(json, Rollouts.Request.class).start()).isEqualTo(spec);
    assertThat(
            Json.JSON
                .readValue(
                    Json.JSON.writeValueAsString(Rollouts.Request.resume("traffic-splitter")),
                    Rollouts.Request.class)
                .start())
        .isNull();
  }

  @Test
  void sequentialGatesTheirConfidenceAndChecksCrossToo() throws Exception {
    RolloutSpec spec =
        new RolloutSpec(
            "traffic-splitter",
            "my-api",
            "my-api-v2",
            List.of(10, 100),
            Duration.ofMinutes(10),
            List.of(Gate.errorRateVsBaseline(0.005), Gate.latencyVsBaseline(0.95, 1.2)),
            200,
            2,
            0.99,
            Duration.ofSeconds(20));

    String json = Json.JSON.writeValueAsString(Rollouts.Request.start(spec));

    assertThat(json)
        .contains("{\"kind\":\"latency-vs-baseline\",\"threshold\":1.2,\"quantile\":0.95}")
        .contains("\"confidence\":0.99");
    assertThat(Json.JSON.readValue(json, Rollouts.Request.class).start()).isEqualTo(spec);
  }

  @Test
  void anUnknownGateIsRefused() {
    assertThatThrownBy(
            () -> Json.JSON.readValue("{\"kind\":\"max-cost\",\"threshold\":1}", Gate.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("not a gate");
  }
}

package dev.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.internal.Ages;
import dev.splitter.core.internal.SpecDiff;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.Change;
import dev.splitter.spi.TargetMetrics;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderingTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void changesPrintTheCortexLines() {
    assertThat(Display.outcome(Change.CREATED, "ts", "TrafficSplitter"))
        .isEqualTo("created ts (TrafficSplitter)");
    assertThat(Display.outcome(Change.UPDATED, "ts", "TrafficSplitter"))
        .isEqualTo("updated ts (TrafficSplitter)");
    assertThat(Display.outcome(Change.UNCHANGED, "ts", "TrafficSplitter"))
        .isEqualTo("ts (TrafficSplitter) is up to date");
    assertThat(new DeleteResult("ts").messages()).containsExactly("deleted ts");
  }

  @Test
  void agesUseTheLargestWholeUnit() {
    assertThat(Ages.since(NOW.minusSeconds(45), NOW)).isEqualTo("45s");
    assertThat(Ages.since(NOW.minusSeconds(5 * 60 + 59), NOW)).isEqualTo("5m");
    assertThat(Ages.since(NOW.minus(Duration.ofHours(3)), NOW)).isEqualTo("3h");
    assertThat(Ages.since(NOW.minus(Duration.ofDays(2)), NOW)).isEqualTo("2d");
    assertThat(Ages.since(NOW.plusSeconds(10), NOW)).isEqualTo("0s");
  }

  @Test
  void theStatusTableShowsTrafficAndMarksTheShadow() {
    SplitterStatus status =
        new SplitterStatus(
            TrafficSplitter.builder()
                .name("ts")
                .target("b", 80)
                .target("a", 20)
                .shadow("c", 5)
                .build(),
            NOW.minusSeconds(240),
            URI.create("http://127.0.0.1:8080/ts"),
            List.of(
                target(
                    TargetApi.of("b", 80),
                    ApiState.LIVE,
                    new TargetMetrics(803, 800, 3, Duration.ofMillis(12))),
                target(TargetApi.of("a", 20), ApiState.ERROR, TargetMetrics.NONE),
                target(
                    TargetApi.shadowOf("c", 5),
                    ApiState.UPDATING,
                    new TargetMetrics(40, 40, 0, Duration.ofNanos(900_000)))),
            List.of("no samples for a in the last 1h"));

    assertThat(status.toTable(NOW))
        .isEqualTo(
            """
            apis         weights   observed   status     requested   last update   avg request   2XX   5XX
            a            20        0.0%       error      1           6m            -             -     -
            b            80        100.0%     live       1           6m            12.0 ms       800   3
            c (shadow)   5         -          updating   1           6m            0.9 ms        40    0
            note: no samples for a in the last 1h

            last updated: 4m
            endpoint: http://127.0.0.1:8080/ts
            curl: curl http://127.0.0.1:8080/ts -X POST -H "Content-Type: application/json" -d @sample.json
            """);
  }

  @Test
  void theDiffNamesEachChangedField() {
    TrafficSplitter before =
        TrafficSplitter.builder().name("ts").target("a", 20).target("b", 80).build();
    TrafficSplitter after =
        TrafficSplitter.builder()
            .name("ts")
            .endpoint("/v2")
            .apiGateway(ApiGateway.NONE)
            .target("a", 50)
            .target("c", 50)
            .build();

    assertThat(SpecDiff.between(before, after))
        .containsExactly(
            "networking.endpoint: /ts -> /v2",
            "networking.api_gateway: public -> none",
            "apis[a].weight: 20 -> 50",
            "apis[b]: removed (was weight 80)",
            "apis[c]: added (weight 50)");
    assertThat(SpecDiff.between(before, before)).isEmpty();
    assertThat(
            SpecDiff.between(
                before,
                TrafficSplitter.builder().name("ts").target("b", 80).target("a", 20).build()))
        .containsExactly("apis: order changed");
  }

  private static TargetStatus target(TargetApi api, ApiState state, TargetMetrics metrics) {
    return new TargetStatus(api, new ApiStatus(state, 1, NOW.minusSeconds(360)), metrics);
  }
}

package dev.splitter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitterConfigTest {
  private static final Path EXAMPLE = Path.of("../examples/traffic-splitter/cortex.yaml");

  @Test
  void theReferenceExampleLoads() {
    SplitterConfig config = SplitterConfig.load(EXAMPLE);

    assertThat(config.realtimeApis())
        .extracting(RealtimeApi::name)
        .containsExactly("my-api", "another-my-api");
    assertThat(config.trafficSplitters())
        .containsExactly(
            TrafficSplitter.builder()
                .name("traffic-splitter")
                .target("my-api", 20)
                .target("another-my-api", 80)
                .build());
    assertThat(config.realtimeApis().get(0).extra())
        .isEqualTo(
            Map.of(
                "predictor", Map.of("type", "python", "path", "predictor.py"),
                "compute", Map.of("cpu", 1L)));
  }

  @Test
  void defaultsAreResolvedOnce() {
    TrafficSplitter splitter =
        SplitterConfig.parse(
                "- name: ts\n  kind: TrafficSplitter\n  apis: [{name: a, weight: 100}]\n", "c.yaml")
            .trafficSplitters()
            .get(0);

    assertThat(splitter.networking()).isEqualTo(new Networking("/ts", ApiGateway.PUBLIC));
    assertThat(splitter.apis()).containsExactly(new TargetApi("a", 100, false));
  }

  @Test
  void endpointsAreMadeCanonical() {
    assertThat(new Networking("models/v1//", ApiGateway.NONE).endpoint()).isEqualTo("/models/v1");
    assertThat(new Networking("/x", ApiGateway.NONE).endpoint()).isEqualTo("/x");
    assertThat(new Networking("/", ApiGateway.NONE).endpoint()).isEqualTo("/");
    assertThat(new Networking("", ApiGateway.NONE).endpoint()).isEqualTo("/");
  }

  @Test
  void jsonIsReadLikeYaml() {
    SplitterConfig json =
        SplitterConfig.parse(
            """
            [{"name": "ts", "kind": "TrafficSplitter",
              "networking": {"endpoint": "split/", "api_gateway": "none"},
              "apis": [{"name": "a", "weight": 90}, {"name": "b", "weight": 10, "shadow": true}]}]
            """,
            "cortex.json");

    assertThat(json.trafficSplitters())
        .containsExactly(
            TrafficSplitter.builder()
                .name("ts")
                .endpoint("/split")
                .apiGateway(ApiGateway.NONE)
                .target("a", 90)
                .shadow("b", 10)
                .build());
    assertThat(json.position(0, "apis[1].weight")).contains(new SourcePosition(3, 65));
  }

  @Test
  void positionsPointAtValuesAndFallBackToTheEnclosingNode() {
    SplitterConfig config = SplitterConfig.load(EXAMPLE);

    assertThat(config.position(2, "apis[1].weight")).contains(new SourcePosition(29, 15));
    assertThat(config.position(2, "apis[1].shadow")).contains(new SourcePosition(28, 7));
    assertThat(config.position(2, "")).contains(new SourcePosition(20, 3));
    assertThat(SplitterConfig.of(RealtimeApi.of("a")).position(0, "name")).isEmpty();
  }

  @Test
  void writtenYamlReadsBackEqual() {
    SplitterConfig config = SplitterConfig.load(EXAMPLE);

    assertThat(SplitterConfig.parse(config.toYaml(), "again.yaml")).isEqualTo(config);
  }

  @Test
  void writtenYamlSpellsOutDefaultsAndOmitsFalseShadows() {
    SplitterConfig config =
        SplitterConfig.of(
            TrafficSplitter.builder()
                .name("ts")
                .target("a", 80)
                .shadow("b", 5)
                .target("c", 20)
                .build());

    assertThat(config.toYaml())
        .isEqualTo(
            """
            - name: ts
              kind: TrafficSplitter
              networking:
                endpoint: /ts
                api_gateway: public
              apis:
                - name: a
                  weight: 80
                - name: b
                  weight: 5
                  shadow: true
                - name: c
                  weight: 20
            """);
  }

  @Test
  void writtenJsonIsOneCanonicalLine() {
    SplitterConfig config =
        SplitterConfig.of(TrafficSplitter.builder().name("ts").target("a", 100).build());

    assertThat(config.toJson())
        .isEqualTo(
            "[{\"name\":\"ts\",\"kind\":\"TrafficSplitter\",\"networking\":{\"endpoint\":\"/ts\","
                + "\"api_gateway\":\"public\"},\"apis\":[{\"name\":\"a\",\"weight\":100}]}]");
  }

  @Test
  void stringsThatLookLikeOtherTypesStayStringsThroughARoundTrip() {
    RealtimeApi api =
        new RealtimeApi(
            "a",
            Networking.defaultsFor("a"),
            Map.of("values", List.of("true", "123", "null", "1.5", "yes", "~", "- x", "a: b")));

    SplitterConfig config = SplitterConfig.of(api);

    assertThat(SplitterConfig.parse(config.toYaml(), "again.yaml")).isEqualTo(config);
  }

  @Test
  void theBuilderCopiesAndRebuilds() {
    TrafficSplitter splitter =
        TrafficSplitter.builder()
            .name("ts")
            .target("a", 80)
            .target("b", 20)
            .shadow("c", 10)
            .endpoint("/x")
            .apiGateway(ApiGateway.NONE)
            .build();

    assertThat(splitter.toBuilder().build()).isEqualTo(splitter);
    assertThat(splitter.liveTargets()).extracting(TargetApi::name).containsExactly("a", "b");
    assertThat(splitter.toBuilder().name("other").build().networking().endpoint()).isEqualTo("/x");
    assertThatThrownBy(() -> TrafficSplitter.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name is required: call name(...) first");
  }

  @Test
  void resourcesCannotBeChangedAfterReading() {
    SplitterConfig config = SplitterConfig.load(EXAMPLE);

    assertThatThrownBy(() -> config.resources().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.realtimeApis().get(0).extra().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> predictor =
        (Map<String, Object>) config.realtimeApis().get(0).extra().get("predictor");
    assertThatThrownBy(() -> predictor.put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}

package dev.splitter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.RoutingBackend;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  private static final BackendCapabilities ALB_LIKE =
      BackendCapabilities.builder("alb").shadows(false).maxTargets(2).maxEndpointLength(10).build();

  @Test
  void whatTheBackendCannotRealiseFailsWithTheFilesLinesBesideCortexsOwnRules() {
    String yaml =
        "- name: ts\n  kind: TrafficSplitter\n  networking: {endpoint: /0123456789, api_gateway: none}\n  apis:\n"
            + "    - {name: a, weight: 50}\n"
            + "    - {name: b, weight: 40}\n"
            + "    - {name: c, weight: 10, shadow: true}\n";

    assertThatThrownBy(() -> deployer().plan(SplitterConfig.parse(yaml, "cortex.yaml")))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::toString)
                    .containsExactly(
                        "cortex.yaml:3:26: ts: networking.endpoint: the alb backend matches"
                            + " endpoints of at most 10 characters, found 11",
                        "cortex.yaml:5:5: ts: apis: expected weights of all non-shadow apis to"
                            + " sum to 100 but found 90",
                        "cortex.yaml:5:5: ts: apis: the alb backend routes to at most 2 apis,"
                            + " found 3",
                        "cortex.yaml:7:37: ts: apis[2].shadow: the alb backend cannot mirror"
                            + " traffic to a shadow api"));
  }

  @Test
  void aSpecThatFitsHasNoProblems() {
    TrafficSplitter fits =
        TrafficSplitter.builder()
            .name("ts")
            .endpoint("/ts")
            .target("a", 60)
            .target("b", 40)
            .build();

    assertThat(ALB_LIKE.check(fits)).isEmpty();
    assertThat(BackendCapabilities.builder("any").build().check(fits)).isEmpty();
  }

  @Test
  void limitsOutOfRangeAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> BackendCapabilities.builder("x").maxTargets(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTargets must be >= 1, got 0");
  }

  @Test
  void aDeployerWithoutARoutingBackendIsMisuseNamedByItsSetter() {
    assertThatThrownBy(() -> Deployer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("routing is required: call routing(...) first");
  }

  private static Deployer deployer() {
    return Deployer.builder()
        .routing(RoutingBackend.planOnly(ALB_LIKE))
        .catalog(new Knows("a", "b", "c"))
        .build();
  }

  private record Knows(Set<String> names) implements ApiCatalog {
    Knows(String... names) {
      this(Set.of(names));
    }

    @Override
    public boolean exists(String apiName) {
      return names.contains(apiName);
    }

    @Override
    public ApiStatus status(String apiName) {
      return new ApiStatus(ApiState.LIVE, 1, null);
    }
  }
}

package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Gateway API backend on the real API server, with the Gateway API's standard CRDs. */
class GatewayApiRoutingTest extends GatewayApiContract implements ApiServerFlows {

  @Override
  TestCluster newCluster() {
    return RealCluster.start();
  }

  @Test
  void httpRouteWeightsAreRelativeSoTheSchemaTakesAnySumAndOurValidationMustNot() {
    deployer.deploy(split(20));
    HTTPRoute object = routingObject("traffic-splitter");
    object.getSpec().getRules().get(0).getBackendRefs().forEach(ref -> ref.setWeight(500));

    cluster.client.resource(object).update();

    assertThat(liveWeights("traffic-splitter")).containsExactly(500, 500);
  }

  @Test
  void pinningNeedsARulePerTargetSoSixteenTargetsAreRefusedBeforeAnyWrite() {
    StringBuilder apis = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      apis.append("    - {name: api-")
          .append(i)
          .append(", weight: ")
          .append(i == 0 ? 85 : 1)
          .append("}\n");
    }
    SplitterConfig sixteen =
        SplitterConfig.parse(
            """
            - name: wide
              kind: TrafficSplitter
              networking: {endpoint: /wide, api_gateway: none}
              apis:
            """
                + apis,
            "cortex.yaml");

    assertThatThrownBy(() -> deployer.deploy(sixteen))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("with pinning, the gateway-api backend needs 17 routes")
        .hasMessageContaining("holds at most 16");
    assertThat(cluster.client.resources(HTTPRoute.class).withName("wide").get()).isNull();
    Deployer unpinned = unpinned().build();
    // Without pinning the routes fit; only the unknown APIs (this deployer has no catalog) remain.
    assertThatThrownBy(() -> unpinned.plan(sixteen))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageNotContaining("routes");
  }

  @Test
  void withPinningOffOnlyTheWeightedRuleIsWrittenAndTheHeaderIsLeftAlone() {
    Deployer unpinned =
        unpinned().catalog(KubernetesApiCatalog.builder().client(cluster.client).build()).build();

    unpinned.deploy(split(20));

    HTTPRoute object = routingObject("traffic-splitter");
    assertThat(object.getSpec().getRules()).hasSize(1);
    assertThat(object.getSpec().getRules().get(0).getFilters())
        .extracting(filter -> filter.getType())
        .containsExactly("URLRewrite");
    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80);
  }

  private Deployer.Builder unpinned() {
    return Deployer.builder().routing(routing(cluster.client).pinning(false).build());
  }

  @Test
  void theServerRefusesAPrefixRewriteOnAnExactMatchWhichWeNeverRender() {
    deployer.deploy(split(20));
    HTTPRoute object = routingObject("traffic-splitter");
    object
        .getSpec()
        .getRules()
        .get(0)
        .setFilters(
            List.of(
                new HTTPRouteFilterBuilder()
                    .withType("URLRewrite")
                    .withNewUrlRewrite()
                    .withNewPath()
                    .withType("ReplacePrefixMatch")
                    .withReplacePrefixMatch("/")
                    .endPath()
                    .endUrlRewrite()
                    .build()));

    assertThatThrownBy(() -> cluster.client.resource(object).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("path.replacePrefixMatch, exactly one PathPrefix match");
  }

  @Test
  void theServerRefusesAMirrorOverOneHundredPercentWhichOurValidationRefusesFirst() {
    deployer.deploy(withShadow());
    HTTPRoute object = routingObject("traffic-splitter");
    object.getSpec().getRules().get(0).getFilters().stream()
        .filter(filter -> filter.getRequestMirror() != null)
        .forEach(filter -> filter.getRequestMirror().setPercent(101));

    assertThatThrownBy(() -> cluster.client.resource(object).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("percent");
  }

  @Test
  void onAMeshTheRouteAttachesToTheServiceInsteadOfAGateway() {
    Deployer mesh =
        Deployer.builder()
            .routing(
                GatewayApiRouting.builder()
                    .client(cluster.client)
                    .meshService("models", "predict")
                    .build())
            .catalog(KubernetesApiCatalog.builder().client(cluster.client).build())
            .build();

    assertThat(mesh.deploy(split(20)).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");

    ParentReference parent = routingObject("traffic-splitter").getSpec().getParentRefs().get(0);
    assertThat(parent.getKind()).isEqualTo("Service");
    assertThat(parent.getGroup()).isEmpty();
    assertThat(parent.getName()).isEqualTo("predict");
    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80);
    assertThat(mesh.deploy(split(20)).messages())
        .containsExactly("traffic-splitter (TrafficSplitter) is up to date");
  }
}

package dev.splitter.k8s;

import dev.splitter.spi.RoutingBackend;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The contract for the Gateway API backend: how its object looks. */
abstract class GatewayApiContract extends KubernetesRoutingContract {

  @Override
  public RoutingBackend backend(KubernetesClient client, Clock clock) {
    return routing(client).clock(clock).build();
  }

  /** The backend on the test gateway {@code infra/public-gateway}, to finish configuring. */
  static GatewayApiRouting.Builder routing(KubernetesClient client) {
    return GatewayApiRouting.builder().client(client).gateway("infra", "public-gateway");
  }

  @Override
  public String collectionPath() {
    return "/apis/gateway.networking.k8s.io/v1/namespaces/models/httproutes";
  }

  @Override
  public HTTPRoute routingObject(String name) {
    return cluster.client.resources(HTTPRoute.class).withName(name).get();
  }

  @Override
  public List<Integer> liveWeights(String name) {
    HTTPRouteRule rule = routingObject(name).getSpec().getRules().get(0);
    List<Integer> weights = new ArrayList<>();
    rule.getBackendRefs().forEach(ref -> weights.add(ref.getWeight()));
    rule.getFilters().stream()
        .filter(filter -> filter.getRequestMirror() != null)
        .forEach(filter -> weights.add(filter.getRequestMirror().getPercent()));
    return weights;
  }

  @Override
  public void editFirstWeight(String name, int weight) {
    cluster
        .client
        .resources(HTTPRoute.class)
        .withName(name)
        .edit(
            route -> {
              route.getSpec().getRules().get(0).getBackendRefs().get(0).setWeight(weight);
              return route;
            });
  }

  @Override
  void createForeignRoute(String name, String path, Map<String, String> labels) {
    cluster
        .client
        .resources(HTTPRoute.class)
        .resource(
            new HTTPRouteBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewParentRef()
                .withName("public-gateway")
                .withNamespace("infra")
                .endParentRef()
                .addNewRule()
                .addNewMatch()
                .withNewPath()
                .withType("PathPrefix")
                .withValue(path)
                .endPath()
                .endMatch()
                .addNewBackendRef()
                .withName("legacy")
                .withPort(80)
                .endBackendRef()
                .endRule()
                .endSpec()
                .build())
        .create();
  }

  @Override
  public String backendAndKind() {
    return "gateway-api HTTPRoute";
  }

  @Override
  String goldenFile() {
    return "golden/httproute.yaml";
  }
}

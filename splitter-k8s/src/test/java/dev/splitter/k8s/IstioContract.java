package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.spi.RoutingBackend;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract for the Istio backend: how its object looks. */
abstract class IstioContract extends KubernetesRoutingContract {

  @Override
  public RoutingBackend backend(KubernetesClient client, Clock clock) {
    return IstioRouting.builder().client(client).clock(clock).build();
  }

  @Override
  public String collectionPath() {
    return "/apis/networking.istio.io/v1/namespaces/models/virtualservices";
  }

  @Override
  public VirtualService routingObject(String name) {
    return cluster.client.resources(VirtualService.class).withName(name).get();
  }

  @Override
  public List<Integer> liveWeights(String name) {
    List<HTTPRoute> routes = routingObject(name).getSpec().getHttp();
    HTTPRoute route = routes.get(routes.size() - 1); // the weighted route; pinned ones come first
    List<Integer> weights = new ArrayList<>();
    route.getRoute().forEach(destination -> weights.add(destination.getWeight()));
    if (route.getMirror() != null) {
      weights.add(route.getMirrorPercentage().getValue().intValue());
    }
    return weights;
  }

  @Override
  public void editFirstWeight(String name, int weight) {
    cluster
        .client
        .resources(VirtualService.class)
        .withName(name)
        .edit(
            vs -> {
              List<HTTPRoute> routes = vs.getSpec().getHttp();
              routes.get(routes.size() - 1).getRoute().get(0).setWeight(weight);
              return vs;
            });
  }

  @Override
  void createForeignRoute(String name, String path, Map<String, String> labels) {
    cluster
        .client
        .resources(VirtualService.class)
        .resource(
            new VirtualServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withGateways("apis-gateway")
                .withHosts("*")
                .addNewHttp()
                .addNewMatch()
                .withNewUri()
                .withNewStringMatchPrefixType(path)
                .endUri()
                .endMatch()
                .addNewRoute()
                .withNewDestination()
                .withHost("legacy")
                .endDestination()
                .endRoute()
                .endHttp()
                .endSpec()
                .build())
        .create();
  }

  @Override
  public String backendAndKind() {
    return "istio VirtualService";
  }

  @Override
  String goldenFile() {
    return "golden/virtualservice.yaml";
  }

  @Test
  void olderIstioGetsV1beta1() {
    RoutingBackend beta =
        IstioRouting.builder().client(cluster.client).version(IstioVersion.V1BETA1).build();

    beta.apply(split(20).trafficSplitters().get(0));

    HasMetadata written =
        cluster
            .client
            .resources(io.fabric8.istio.api.networking.v1beta1.VirtualService.class)
            .withName("traffic-splitter")
            .get();
    assertThat(written.getApiVersion()).isEqualTo("networking.istio.io/v1beta1");
    assertThat(beta.describe("traffic-splitter")).isPresent();
  }
}

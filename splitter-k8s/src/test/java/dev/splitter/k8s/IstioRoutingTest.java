package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.networking.v1.VirtualService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Istio backend on the real API server, with Istio's CRDs. */
class IstioRoutingTest extends IstioContract implements ApiServerFlows {

  @Override
  TestCluster newCluster() {
    return RealCluster.start();
  }

  @Test
  void istiosSchemaPutsNoBoundOnAWeightSoOurValidationMust() {
    deployer.deploy(split(20));
    VirtualService object = routingObject("traffic-splitter");
    List<HTTPRoute> routes = object.getSpec().getHttp();
    routes.get(routes.size() - 1).getRoute().get(0).setWeight(1000);

    cluster.client.resource(object).update();

    assertThat(liveWeights("traffic-splitter")).containsExactly(1000, 80);
  }
}

package dev.splitter.k8s;

import dev.splitter.spi.RoutingBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** Rollouts on the Gateway API backend: the state is an annotation on the HTTPRoute. */
abstract class GatewayApiRolloutContract extends KubernetesRolloutContract {
  @Override
  RoutingBackend backend(KubernetesClient client, Clock clock) {
    return GatewayApiContract.routing(client).clock(clock).build();
  }

  @Override
  HasMetadata routingObject(String name) {
    return cluster.client.resources(HTTPRoute.class).withName(name).get();
  }
}

package dev.splitter.k8s;

import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.RoutingBackend;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * Rollouts on the Istio backend: the state is an annotation on the VirtualService. Its routes
 * assign keyed users by bucket, so the contract also runs with the layout carried over from step to
 * step (the Gateway API's rollouts run without).
 */
abstract class IstioRolloutContract extends KubernetesRolloutContract {
  @Override
  RoutingBackend backend(KubernetesClient client, Clock clock) {
    return IstioRouting.builder()
        .client(client)
        .clock(clock)
        .bucketHeader(AssignmentMode.BUCKET_HEADER)
        .build();
  }

  @Override
  HasMetadata routingObject(String name) {
    return cluster.client.resources(VirtualService.class).withName(name).get();
  }
}

package dev.splitter.k8s;

import dev.splitter.core.Deployer;
import dev.splitter.rollout.RolloutContract;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.RoutingBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Rollouts on a Kubernetes backend: the state is an annotation on the routing object. */
abstract class KubernetesRolloutContract extends RolloutContract {
  TestCluster cluster;

  abstract TestCluster newCluster();

  abstract RoutingBackend backend(KubernetesClient client, Clock clock);

  abstract HasMetadata routingObject(String name);

  @BeforeEach
  void start() {
    cluster = newCluster();
    cluster.realtimeApi("my-api", 2, 2);
    cluster.realtimeApi("another-my-api", 2, 2);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Override
  protected RoutingBackend routing() {
    return backend(cluster.client, clock);
  }

  @Override
  protected Deployer.Builder deployerOn(RoutingBackend routing) {
    return Deployer.builder()
        .routing(routing)
        .catalog(KubernetesApiCatalog.builder().client(cluster.client).build());
  }

  @Override
  protected Map<String, String> storedOnObject(String splitter) {
    return Annotations.readFrom(routingObject(splitter).getMetadata().getAnnotations());
  }
}

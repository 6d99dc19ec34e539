package dev.splitter.k8s;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.util.Map;

/**
 * A cluster the Kubernetes tests run on, with the namespace {@value #NAMESPACE} and a client that
 * does not retry, so an injected failure is seen at once: the real API server ({@link
 * RealCluster}), or fabric8's mock server for faults a real server cannot be made to produce
 * ({@link MockCluster}).
 */
public abstract class TestCluster implements AutoCloseable {
  public static final String NAMESPACE = "models";

  public final NamespacedKubernetesClient client;

  TestCluster(NamespacedKubernetesClient client) {
    this.client = client;
  }

  /**
   * A Realtime API as Cortex ran it: a labelled Service, and a Deployment whose status says this
   * many replicas, this many available (written through the status subresource, as the Deployment
   * controller would).
   */
  public void realtimeApi(String name, int replicas, int available) {
    Map<String, String> labels = Map.of("apiKind", "RealtimeAPI", "apiName", name);
    client
        .services()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(8888)
                .endPort()
                .withSelector(labels)
                .endSpec()
                .build())
        .create();
    Deployment created =
        client
            .apps()
            .deployments()
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector()
                    .withMatchLabels(labels)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("api")
                    .withImage("cortexlabs/api:0.42.0")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    client
        .apps()
        .deployments()
        .resource(
            new DeploymentBuilder(created)
                .withNewStatus()
                .withObservedGeneration(created.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(available)
                .withAvailableReplicas(available)
                .addNewCondition()
                .withType("Available")
                .withStatus(available > 0 ? "True" : "False")
                .withLastUpdateTime("2026-11-24T09:30:00Z")
                .endCondition()
                .endStatus()
                .build())
        .updateStatus();
  }

  @Override
  public abstract void close();
}

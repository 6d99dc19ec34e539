package dev.splitter.k8s;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The namespace {@value #NAMESPACE} on the real API server ({@link ApiServer}): created on first
 * use, and emptied of what the tests write when closed. (A namespace cannot be deleted here: no
 * controller manager runs to finalise it.)
 */
public final class RealCluster extends TestCluster {

  private RealCluster(NamespacedKubernetesClient client) {
    super(client);
  }

  public static RealCluster start() {
    ApiServer server = ApiServer.shared();
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(server.kubeconfig(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.setNamespace(NAMESPACE);
    config.setRequestRetryBackoffLimit(0);
    NamespacedKubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .build()
            .adapt(NamespacedKubernetesClient.class);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    RealCluster cluster = new RealCluster(client);
    cluster.empty();
    return cluster;
  }

  /** Removes every object the tests write, so each test starts from an empty namespace. */
  private void empty() {
    client.resources(io.fabric8.istio.api.networking.v1.VirtualService.class).delete();
    client.resources(HTTPRoute.class).delete();
    client.apps().deployments().delete();
    client.services().delete();
  }

  @Override
  public void close() {
    try {
      empty();
    } finally {
      client.close();
    }
  }
}

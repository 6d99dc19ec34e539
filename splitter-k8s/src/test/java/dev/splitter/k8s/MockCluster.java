package dev.splitter.k8s;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's Kubernetes mock server in CRUD mode on loopback (real HTTP and JSON; objects are stored
 * and served back), with a client that does not retry, so an injected 500 is seen at once.
 */
final class MockCluster implements AutoCloseable {
  static final String NAMESPACE = "models";

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;

  private MockCluster() {
    // Expectations (injected failures) first, then CRUD: as the junit extension's crud mode does.
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client =
        server.createClient(
            builder ->
                builder
                    .editOrNewConfig()
                    .withNamespace(NAMESPACE)
                    .withRequestRetryBackoffLimit(0)
                    .endConfig());
  }

  static MockCluster start() {
    return new MockCluster();
  }

  /** A Realtime API as Cortex ran it: a labelled Service and Deployment with this status. */
  void realtimeApi(String name, int replicas, int available) {
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
    client
        .apps()
        .deployments()
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withGeneration(1L)
                .withCreationTimestamp("2026-11-20T10:00:00Z")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(1L)
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withAvailableReplicas(available)
                .addNewCondition()
                .withType("Available")
                .withStatus(available > 0 ? "True" : "False")
                .withLastUpdateTime("2026-11-24T09:30:00Z")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  /** The requests made since the last call, as "METHOD path", oldest first. */
  List<String> takeRequests() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request.getMethod() + " " + request.getPath());
    }
    return requests;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}

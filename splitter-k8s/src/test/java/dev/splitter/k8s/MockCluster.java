package dev.splitter.k8s;

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
final class MockCluster extends TestCluster {
  final KubernetesMockServer server;

  private MockCluster(KubernetesMockServer server) {
    super(
        server.createClient(
            builder ->
                builder
                    .editOrNewConfig()
                    .withNamespace(NAMESPACE)
                    .withRequestRetryBackoffLimit(0)
                    .endConfig()));
    this.server = server;
  }

  static MockCluster start() {
    // Expectations (injected failures) first, then CRUD: as the junit extension's crud mode does.
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new MockCluster(server);
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

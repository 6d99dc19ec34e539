package example;

import dev.splitter.core.Deployer;
import dev.splitter.k8s.GatewayApiRouting;
import dev.splitter.k8s.IstioRouting;
import dev.splitter.k8s.PrometheusMetrics;
import dev.splitter.model.SplitterConfig;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** splitter-k8s: deploy with both Kubernetes backends on fabric8's mock server. */
public final class K8sUse {
  /**
   * The mock server is the test's tool, not a library under check: it logs every request at INFO,
   * so it is quietened (held, since java.util.logging keeps loggers weakly).
   */
  private static final Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

  public static void main(String[] args) throws Exception {
    Quiet.check(K8sUse::run);
  }

  static void run() {
    ValidationUse.run();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try (NamespacedKubernetesClient client = server.createClient()) {
      SplitterConfig config = SplitterConfig.parse(Files.SPLITTER_ONLY, "cortex.yaml");
      Deployer[] deployers = {
            Deployer.builder()
                .routing(IstioRouting.builder().client(client).namespace("default").build())
                .catalog(new CoreUse.TwoApis())
                .build(),
            Deployer.builder()
                .routing(
                    GatewayApiRouting.builder()
                        .client(client)
                        .namespace("models")
                        .gateway("infra", "public")
                        .build())
                .catalog(new CoreUse.TwoApis())
                .build(),
            // On a mesh, with traffic figures from a Prometheus that is not there: get still answers.
            Deployer.builder()
                .routing(
                    GatewayApiRouting.builder()
                        .client(client)
                        .namespace("mesh")
                        .meshService("mesh", "predict")
                        .build())
                .catalog(new CoreUse.TwoApis())
                .metrics(
                    PrometheusMetrics.builder()
                        .url(URI.create("http://127.0.0.1:9/"))
                        .namespace("mesh")
                        .timeout(Duration.ofSeconds(2))
                        .build())
                .build()
          };
      for (Deployer deployer : deployers) {
        CoreUse.expect(deployer.deploy(config).messages(), "created traffic-splitter (TrafficSplitter)");
        CoreUse.expect(
            deployer.deploy(config).messages(), "traffic-splitter (TrafficSplitter) is up to date");
      }
      List<String> notes = deployers[2].get("traffic-splitter").notes();
      if (notes.size() != 1 || !notes.get(0).startsWith("no traffic figures: prometheus: ")) {
        throw new AssertionError("expected a note that Prometheus could not answer, got " + notes);
      }
    } finally {
      server.destroy();
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }
}

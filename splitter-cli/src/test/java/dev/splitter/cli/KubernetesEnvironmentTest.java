package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.k8s.ApiServer;
import dev.splitter.k8s.RealCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --env} with an Istio environment on the real API server: the command builds its client
 * from the kubeconfig, and {@code prometheus_url} fills (or, here, explains) get's traffic columns.
 */
class KubernetesEnvironmentTest {
  @TempDir Path home;
  private RealCluster cluster;

  @BeforeEach
  void cluster() throws IOException {
    cluster = RealCluster.start();
    cluster.realtimeApi("my-api", 1, 1);
    cluster.realtimeApi("another-my-api", 1, 1);
    // fabric8 reads the kubeconfig's path from this property, as kubectl does from KUBECONFIG.
    System.setProperty("kubeconfig", ApiServer.shared().kubeconfig().toString());
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Files.writeString(
        home.resolve("environments.yaml"),
        """
        environments:
          cluster:
            backend: istio
            namespace: models
            prometheus_url: http://127.0.0.1:%d
            bucket_header: x-user-bucket
        """
            .formatted(closed));
    Files.writeString(
        home.resolve("cortex.yaml"),
        """
        - name: traffic-splitter
          kind: TrafficSplitter
          networking: {api_gateway: none}
          apis:
            - {name: my-api, weight: 30}
            - {name: another-my-api, weight: 70}
        """);
  }

  @AfterEach
  void stop() {
    System.clearProperty("kubeconfig");
    cluster.close();
  }

  @Test
  void getAnswersWithANoteWhenPrometheusCannot() throws IOException {
    CliRun deploy =
        CliRun.run(home, "deploy", "--env", "cluster", home.resolve("cortex.yaml").toString());
    assertThat(deploy.err()).isEmpty();
    assertThat(deploy.out()).contains("created traffic-splitter (TrafficSplitter)");

    CliRun get = CliRun.run(home, "get", "traffic-splitter", "--env", "cluster");
    assertThat(get.code()).isZero();
    assertThat(get.out())
        .contains("my-api", "30", "live")
        .contains("note: no traffic figures: prometheus: query requests: ");

    JsonNode json =
        new ObjectMapper()
            .readTree(
                CliRun.run(home, "get", "traffic-splitter", "--env", "cluster", "-o", "json")
                    .out());
    assertThat(json.path("notes").get(0).asText()).startsWith("no traffic figures: prometheus:");
    assertThat(json.path("assignment").path("mode").asText()).isEqualTo("bucket");
    assertThat(json.path("assignment").path("header").asText()).isEqualTo("x-user-bucket");
    assertThat(json.path("assignment").path("buckets").asText())
        .isEqualTo("my-api=0-2999 another-my-api=3000-9999");
    CliRun assign = CliRun.run(home, "assign", "traffic-splitter", "--env", "cluster", "user-42");
    int bucket = dev.splitter.model.Assignment.bucket("traffic-splitter", "user-42");
    assertThat(assign.out())
        .isEqualTo(
            "user-42\t" + bucket + "\t" + (bucket < 3000 ? "my-api" : "another-my-api") + "\n");
    assertThat(CliRun.run(home, "delete", "traffic-splitter", "--env", "cluster").code()).isZero();
  }
}

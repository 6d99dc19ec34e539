package dev.splitter.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.model.SplitterConfig;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --sample-apis}: sample servers are bounded, and stopped once nothing targets them.
 */
class FileApisTest {

  private static SplitterConfig splitter(String name, String api) {
    return SplitterConfig.parse(
        "- {name: "
            + api
            + ", kind: RealtimeAPI}\n"
            + "- {name: "
            + name
            + ", kind: TrafficSplitter, networking: {api_gateway: none},"
            + " apis: [{name: "
            + api
            + ", weight: 100}]}\n",
        "cortex.yaml");
  }

  @Test
  void aSampleServerStopsOnceNoSplitterTargetsIt() throws Exception {
    try (LocalCluster cluster = LocalCluster.start();
        FileApis apis = new FileApis(cluster, Map.of(), true)) {
      Deployer deployer = cluster.deployerBuilder().realtimeApis(apis).build();
      deployer.deploy(splitter("one", "one-api"));
      deployer.deploy(splitter("two", "two-api"));
      assertThat(apis.samples()).containsExactlyInAnyOrder("one-api", "two-api");

      deployer.delete("two");
      apis.stopUnused();

      assertThat(apis.samples()).containsExactly("one-api");
      assertThat(cluster.deployer().get("one").targets()).hasSize(1);
    }
  }

  @Test
  void atMost32SampleServersRunAtOnce() {
    try (LocalCluster cluster = LocalCluster.start();
        FileApis apis = new FileApis(cluster, Map.of(), true)) {
      Deployer deployer = cluster.deployerBuilder().realtimeApis(apis).build();
      for (int i = 0; i < FileApis.MAX_SAMPLES; i++) {
        deployer.deploy(splitter("s" + i, "api-" + i));
      }

      assertThatThrownBy(() -> deployer.deploy(splitter("one-too-many", "api-x")))
          .hasMessageContaining("serve starts at most 32");
      assertThat(apis.samples()).hasSize(FileApis.MAX_SAMPLES);
    }
  }

  @Test
  void aStoppedSampleServerNoLongerListens() throws Exception {
    try (LocalCluster cluster = LocalCluster.start();
        FileApis apis = new FileApis(cluster, Map.of(), true)) {
      Deployer deployer = cluster.deployerBuilder().realtimeApis(apis).build();
      deployer.deploy(splitter("gone", "gone-api"));
      int port = apis.sampleUri("gone-api").getPort();

      deployer.delete("gone");
      apis.stopUnused();

      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(IOException.class);
    }
  }
}
